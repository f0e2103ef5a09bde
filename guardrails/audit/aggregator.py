"""`guardrails audit --aggregator NAME`: read our Config rule's per-resource verdicts from an AWS Config
aggregator instead of crawling every account and region.

The detective stack's custom rule (`bedrock-guardrails-workspace-cmk`, or `bedrock-guardrails-org-...`
in StackSet copies) already judges every kind the crawl judges (its inventory.CONFIG_TYPES) with the same
code as the crawl (guardrails.live_verdict), and an organization aggregator collects those verdicts. So:

1. DescribeAggregateComplianceByConfigRules, filtered on each of our rule names (paginated, 1000 a page):
   which account-regions have the rule;
2. GetAggregateComplianceDetailsByConfigRule per account-region (it requires AccountId and AwsRegion;
   paginated, 100 a page), `max_workers` at a time: each resource's compliance and annotation (the
   verdict's reasons, 256 characters at most).

What the aggregate can and cannot say, compared with the crawl:
- one finding per resource under its CMK rule (WorkspaceCMK / ResourceCMK), the annotation as the reason:
  Config keeps one evaluation per resource and rule, so granular rule ids exist only in the crawl;
- the accepted-exception reason is read back from the annotation (`accepted exception (REASON): ...`);
- on a customer-managed key or not, from the annotation's key-reference reasons (the live_verdict texts);
- the account's own evaluation (AWS::::Account) NON_COMPLIANT means some resource type could not be
  listed there: a not-evaluated scope, as in the crawl;
- account-regions without the rule (the detective stack not deployed) do not appear at all. Use the crawl
  for those.
"""

from __future__ import annotations

import re
from typing import Any

from guardrails.audit.model import COMPLIANT, NON_COMPLIANT, AuditResult, Finding, NotEvaluated, Scope
from guardrails.detective.names import ACCOUNT_STACK_PREFIX, STACKSET_PREFIX, DeploymentNames
from guardrails.rules import resource_cmk, workspace_cmk

DESCRIBE_PAGE, DETAILS_PAGE = 1000, 100  # the APIs' maximum Limit
RULE_NAMES = tuple(DeploymentNames(prefix).workspace_rule for prefix in (ACCOUNT_STACK_PREFIX, STACKSET_PREFIX))
ACCOUNT_TYPE = "AWS::::Account"
# Config resource type -> the ARN the crawl reports for it (the service's own ARN format).
_ARNS = {
    "AWS::DataZone::Domain": "arn:{partition}:datazone:{region}:{account}:domain/{id}",
    "AWS::Bedrock::Agent": "arn:{partition}:bedrock:{region}:{account}:agent/{id}",
    "AWS::Bedrock::Flow": "arn:{partition}:bedrock:{region}:{account}:flow/{id}",
    "AWS::Bedrock::Prompt": "arn:{partition}:bedrock:{region}:{account}:prompt/{id}",
    "AWS::Bedrock::Guardrail": "arn:{partition}:bedrock:{region}:{account}:guardrail/{id}",
    "AWS::Bedrock::KnowledgeBase": "arn:{partition}:bedrock:{region}:{account}:knowledge-base/{id}",
    "AWS::Bedrock::DataSource": "arn:{partition}:bedrock:{region}:{account}:knowledge-base/{id}",  # id: KB/data-source/DS
    "AWS::Bedrock::RetrievalInstruction": "arn:{partition}:bedrock:{region}:{account}:retrieval-instruction/{id}",
    "AWS::Bedrock::Session": "arn:{partition}:bedrock:{region}:{account}:session/{id}",
    "AWS::BedrockAgentCore::Memory": "arn:{partition}:bedrock-agentcore:{region}:{account}:memory/{id}",
    "AWS::BedrockAgentCore::Gateway": "arn:{partition}:bedrock-agentcore:{region}:{account}:gateway/{id}",
    "AWS::BedrockAgentCore::PolicyEngine": "arn:{partition}:bedrock-agentcore:{region}:{account}:policy-engine/{id}",
    "AWS::BedrockAgentCore::Evaluator": "arn:{partition}:bedrock-agentcore:{region}:{account}:evaluator/{id}",
    "AWS::BedrockAgentCore::Dataset": "arn:{partition}:bedrock-agentcore:{region}:{account}:dataset/{id}",
    "AWS::BedrockAgentCore::ConfigurationBundle": "arn:{partition}:bedrock-agentcore:{region}:{account}:configuration-bundle/{id}",
}  # the other kinds' ComplianceResourceId is their ARN already
_EXCEPTION = re.compile(r"^accepted exception \((?P<reason>.+?)\): (?P<rest>.*)$", re.S)
# live_verdict's reasons that mean "not on a customer-managed key" (key_reference_problem, judge_key).
_NOT_ON_CMK = ("no customer-managed key", "uses the AWS-managed key", "is not a KMS key identifier",
               "not customer-managed", "cannot prove", "cannot read the key")


def rule_scopes(config: Any, aggregator: str) -> list[tuple[str, str, str]]:
    """(rule name, account, region) for every account-region where one of our rules reports to the aggregator."""
    found = set()
    for rule in RULE_NAMES:
        pages = config.get_paginator("describe_aggregate_compliance_by_config_rules").paginate(
            ConfigurationAggregatorName=aggregator, Filters={"ConfigRuleName": rule},
            PaginationConfig={"PageSize": DESCRIBE_PAGE})
        for page in pages:
            for item in page.get("AggregateComplianceByConfigRules", []):
                if item.get("ConfigRuleName") == rule:
                    found.add((rule, item["AccountId"], item["AwsRegion"]))
    return sorted(found)


def resource_arn(resource_type: str, resource_id: str, account: str, region: str, partition: str = "aws") -> str:
    template = _ARNS.get(resource_type)
    if resource_id.startswith("arn:") or template is None:
        return resource_id
    return template.format(partition=partition, region=region, account=account, id=resource_id)


def to_finding(result: dict[str, Any], partition: str = "aws") -> Finding | NotEvaluated | None:
    qualifier = result["EvaluationResultIdentifier"]["EvaluationResultQualifier"]
    rtype, rid = qualifier["ResourceType"], qualifier["ResourceId"]
    account, region = result["AccountId"], result["AwsRegion"]
    status, annotation = result.get("ComplianceType"), result.get("Annotation", "")
    if rtype == ACCOUNT_TYPE:
        return NotEvaluated(account, region, "inventory (Config rule)", annotation) if status == NON_COMPLIANT else None
    if status not in (COMPLIANT, NON_COMPLIANT):  # NOT_APPLICABLE: the resource has gone; INSUFFICIENT_DATA
        return None if status == "NOT_APPLICABLE" else NotEvaluated(account, region, f"{rtype} {rid}", f"Config: {status}")
    rule = workspace_cmk.RULE.id if rtype == "AWS::DataZone::Domain" else resource_cmk.RULE.id
    exception, reason = None, annotation
    match = _EXCEPTION.match(annotation) if status == NON_COMPLIANT else None
    if match:
        exception, reason = match["reason"], match["rest"]
    on_cmk = status == COMPLIANT or not any(marker in reason for marker in _NOT_ON_CMK)
    return Finding(resource_arn(rtype, rid, account, region, partition), rtype, rid, account, region, status, rule,
                   reason or "(no annotation)", None, on_cmk, exception)


def _details(config: Any, aggregator: str, rule: str, account: str, region: str) -> list[dict[str, Any]]:
    pages = config.get_paginator("get_aggregate_compliance_details_by_config_rule").paginate(
        ConfigurationAggregatorName=aggregator, ConfigRuleName=rule, AccountId=account, AwsRegion=region,
        PaginationConfig={"PageSize": DETAILS_PAGE})
    return [item for page in pages for item in page.get("AggregateEvaluationResults", [])]


def read_aggregator(config: Any, aggregator: str, partition: str = "aws", max_workers: int = 8) -> AuditResult:
    """The audit result the aggregator holds for our rules; raises what the Config API raises."""
    from concurrent.futures import ThreadPoolExecutor

    result = AuditResult()
    scopes = rule_scopes(config, aggregator)
    for account, region in sorted({(account, region) for _, account, region in scopes}):
        result.scopes.append(Scope(account, region))
    with ThreadPoolExecutor(max_workers=max(1, max_workers), thread_name_prefix="aggregate") as pool:
        pages = pool.map(lambda scope: _details(config, aggregator, *scope), scopes)
        for items in pages:
            for item in items:
                found = to_finding(item, partition)
                if isinstance(found, NotEvaluated):
                    result.not_evaluated.append(found)
                elif found is not None:
                    result.findings.append(found)
    return result
