"""Audit findings as AWS Security Finding Format (ASFF) findings for Security Hub's BatchImportFindings.

The service model is the schema: tests validate every finding with botocore's parameter validator
for BatchImportFindings (AwsSecurityFinding). Field meanings follow the ASFF reference
(https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format.html):

- Id is stable: the same resource and rule (granular id included) always give the same Id, so a
  re-import updates the finding instead of adding one.
- ProductArn is the account's default product (custom integration):
  arn:<partition>:securityhub:<region>:<account>:product/<account>/default.
- GeneratorId is `bedrock-cmk-guardrails/<rule id>`: with ProductArn it is how the importer finds
  the findings it imported before (GetFindings, GeneratorId PREFIX), to resolve fixed ones.
- A COMPLIANT resource is a PASSED finding of severity INFORMATIONAL, as Security Hub's own controls
  report passed checks; an accepted exception (the exception tag) is FAILED with Workflow SUPPRESSED
  and the tag's reason as the Note.
- Compliance.RelatedRequirements lists the controls the rule evidences (guardrails/rules/compliance.py),
  spelled as Security Hub spells them (e.g. `NIST.800-53.r5 SC-12`).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Any

from guardrails.audit.model import COMPLIANT
from guardrails.audit.reports.fixes import fix_for
from guardrails.rules import RULES_BY_ID
from guardrails.rules.compliance import related_requirements

SCHEMA_VERSION = "2018-10-08"
GENERATOR_PREFIX = "bedrock-cmk-guardrails/"
PRODUCT_NAME = "Bedrock CMK Guardrails"
UPDATED_BY = "bedrock-cmk-guardrails"
TYPES = ["Software and Configuration Checks/Industry and Regulatory Standards",
         "Software and Configuration Checks/AWS Security Best Practices"]
SEVERITY = {"error": "HIGH", "warning": "MEDIUM", "info": "LOW"}
# ASFF length limits (AwsSecurityFinding in the Security Hub API reference).
TITLE_MAX, DESCRIPTION_MAX, RECOMMENDATION_MAX, NOTE_MAX = 256, 1024, 512, 512
HANDED_OVER_FIELD = GENERATOR_PREFIX + "HandedOverToConfigRule"


def finding_id(finding) -> str:
    """Stable per (account, region, resource, rule): the hash keeps it within ASFF's 512 characters."""
    digest = hashlib.sha256(f"{finding.resource}|{finding.rule}".encode()).hexdigest()[:40]
    return f"{GENERATOR_PREFIX}{finding.account}/{finding.region}/{finding.rule}/{digest}"


def partition_of(arn: str) -> str:
    parts = (arn or "").split(":")
    return parts[1] if len(parts) > 2 and parts[0] == "arn" and parts[1] else "aws"


def product_arn(partition: str, region: str, account: str) -> str:
    return f"arn:{partition}:securityhub:{region}:{account}:product/{account}/default"


def timestamp(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def resource_type(cloudformation_type: str) -> str:
    """Resources[].Type as Security Hub's Config integration writes it for a Config evaluation's resource type
    (AWS's mapping table: detail.resourceType -> Resources[i].Type, e.g. AWS::S3::Bucket -> AwsS3Bucket), so both
    routes name a resource's type alike; a type without the AWS:: form (none today) is Other."""
    parts = cloudformation_type.split("::")
    return "Aws" + parts[1] + parts[2] if len(parts) == 3 and parts[0] == "AWS" and all(parts) else "Other"


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _severity(finding) -> str:
    if finding.status == COMPLIANT:
        return "INFORMATIONAL"
    rule = RULES_BY_ID.get(finding.rule.split("[", 1)[0])
    return SEVERITY[rule.severity.value] if rule else "HIGH"


def to_asff(finding, now: datetime, created_at: str | None = None) -> dict[str, Any]:
    """One audit finding as an ASFF finding. `created_at` keeps the first import's CreatedAt on updates."""
    partition = partition_of(finding.resource)
    rule = RULES_BY_ID.get(finding.rule.split("[", 1)[0])
    title = rule.title if rule else finding.rule
    updated = timestamp(now)
    severity = {"Label": _severity(finding), "Original": SEVERITY.get(rule.severity.value, "HIGH") if rule else "HIGH"}
    item: dict[str, Any] = {
        "SchemaVersion": SCHEMA_VERSION,
        "Id": finding_id(finding),
        "ProductArn": product_arn(partition, finding.region, finding.account),
        "ProductName": PRODUCT_NAME,
        "CompanyName": PRODUCT_NAME,
        "GeneratorId": GENERATOR_PREFIX + finding.rule,
        "AwsAccountId": finding.account,
        "Region": finding.region,
        "Types": list(TYPES),
        "CreatedAt": created_at or updated,
        "UpdatedAt": updated,
        "Severity": severity,
        "FindingProviderFields": {"Severity": dict(severity), "Types": list(TYPES)},
        "Title": clip(f"{title} ({finding.rule})", TITLE_MAX),
        "Description": clip(f"{finding.resource_type} {finding.name}: {finding.reason}", DESCRIPTION_MAX),
        "Remediation": {"Recommendation": {"Text": clip(fix_for(finding), RECOMMENDATION_MAX)}},
        "ProductFields": {"bedrock-cmk-guardrails/RuleId": finding.rule,  # security_hub.RULE_FIELD
                          "bedrock-cmk-guardrails/ResourceType": finding.resource_type},
        "Resources": [{"Type": resource_type(finding.resource_type), "Id": finding.resource, "Partition": partition, "Region": finding.region,
                       "Details": {"Other": {k: v for k, v in {"ResourceType": finding.resource_type, "Name": finding.name,
                                                               "KmsKeyId": finding.key or ""}.items() if v}}}],
        "Compliance": {"Status": "PASSED" if finding.status == COMPLIANT else "FAILED",
                       "RelatedRequirements": related_requirements(finding.rule)},
        "RecordState": "ACTIVE",
    }
    if finding.exception:
        # The reason also in a provider field: ProductFields are the provider's own, whatever Security Hub does with Note.
        item["ProductFields"]["bedrock-cmk-guardrails/AcceptedException"] = clip(finding.exception, NOTE_MAX)
        item["Workflow"] = {"Status": "SUPPRESSED"}
        item["Note"] = {"Text": clip(f"Accepted exception: {finding.exception}", NOTE_MAX), "UpdatedBy": UPDATED_BY,
                        "UpdatedAt": updated}
    elif finding.status == COMPLIANT:
        item["Workflow"] = {"Status": "RESOLVED"}
    else:
        item["Workflow"] = {"Status": "NEW"}
    return item


def _archived(previous: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A finding imported before, re-imported ARCHIVED: built from its own fields (GetFindings returns the import
    shape), keeping its Id, ProductArn, GeneratorId, CreatedAt and resources, so Security Hub updates it in place."""
    keep = ("SchemaVersion", "Id", "ProductArn", "ProductName", "CompanyName", "GeneratorId", "AwsAccountId", "Region",
            "Types", "CreatedAt", "Title", "Description", "Remediation", "ProductFields", "Resources", "FindingProviderFields",
            "Severity", "Compliance")
    item = {key: previous[key] for key in keep if key in previous}
    item["ProductFields"] = {k: v for k, v in (previous.get("ProductFields") or {}).items()
                             if k.startswith(GENERATOR_PREFIX)}  # Security Hub adds aws/ fields of its own
    item.update({"UpdatedAt": timestamp(now), "RecordState": "ARCHIVED"})
    return item


def resolved(previous: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A finding imported before whose resource and rule this run no longer reports: PASSED and ARCHIVED.
    (Its Workflow is the customer's field: security_hub_workflow.py sets it, not this import.)"""
    item = _archived(previous, now)
    related = (previous.get("Compliance") or {}).get("RelatedRequirements")
    item.update({"Severity": {"Label": "INFORMATIONAL"},
                 "Compliance": {"Status": "PASSED", **({"RelatedRequirements": related} if related else {})},
                 "Workflow": {"Status": "RESOLVED"}})
    if "FindingProviderFields" in item:
        item["FindingProviderFields"] = {**item["FindingProviderFields"], "Severity": {"Label": "INFORMATIONAL"}}
    return item


def handed_over(previous: dict[str, Any], now: datetime, config_rule: str) -> dict[str, Any]:
    """A finding imported before whose resource the Config route now carries (config_route.py): ARCHIVED with its
    compliance unchanged (not a fix), the Config rule named, so the dashboard keeps one finding per resource."""
    item = _archived(previous, now)
    item["ProductFields"][HANDED_OVER_FIELD] = config_rule
    severity = (previous.get("Severity") or {}).get("Label")
    item["Severity"] = {"Label": severity} if severity else {"Label": "INFORMATIONAL"}
    return item


def asff_findings(report, now: datetime | None = None) -> list[dict[str, Any]]:
    now = now or datetime.now(timezone.utc)
    return [to_asff(f, now) for f in report.findings]
