"""AWS services can use our keys and assume our roles with the request context AWS documents, evaluated by the
offline IAM simulator over the synthesized policies (key policy + identity policy together).

The request context of each scenario is the documented one (guardrails/constructs/service_key_facts.py, with its
sources): EventBridge's request carries no aws:SourceAccount, Bedrock sends its per-type encryption-context key,
Unified Studio calls as datazone.amazonaws.com. Every scenario here was denied by the template before issue #10
items 2, 6, 7, 10 and 11 were fixed.
"""

from __future__ import annotations

import pytest
from aws_cdk import App, Environment, Stack
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from guardrails.constructs import CompliantAgent, CompliantFlow, CompliantPrompt, CompliantWorkspace
from guardrails.constructs import service_key_facts as facts
from guardrails.detective.config_rules import WorkspaceConfigRule
from guardrails.detective.notifications import AlertTopic
from guardrails.settings import Settings
from tests.aws_semantics.simulator import Policies, Request, simulate_many
from tests.aws_semantics.template_policies import ACCOUNT, REGION, Resolver, policies_of
from tests.constructs.conftest import OWNERSHIP, suite_context

OTHER_ACCOUNT = "222222222222"


@pytest.fixture(scope="module")
def world() -> dict:
    stack = Stack(App(context=suite_context()), "Scenario", env=Environment(account=ACCOUNT, region=REGION))
    alerts = AlertTopic(stack, "Alerts", settings=Settings())
    WorkspaceConfigRule(stack, "Rule", settings=Settings(), alerts=alerts)
    workspace = CompliantWorkspace(stack, "Research", name="research", **OWNERSHIP)
    role = iam.Role(stack, "AgentRole", assumed_by=iam.ServicePrincipal("bedrock.amazonaws.com"))
    CompliantAgent(stack, "Agent", key=workspace.workspace_key, role=role, agent_name="a", foundation_model="m")
    CompliantFlow(stack, "Flow", key=workspace.workspace_key, execution_role=role, name="f")
    CompliantPrompt(stack, "Prompt", key=workspace.workspace_key, name="p")
    template = Template.from_stack(stack).to_json()
    resolver = Resolver(template)
    docs = list(policies_of(template, "Scenario"))

    def logical(prefix: str, rtype: str) -> str:
        [found] = [lid for lid, r in template["Resources"].items() if lid.startswith(prefix) and r["Type"] == rtype]
        return found

    def resource_policy(logical_id: str) -> dict:
        [doc] = [d.document for d in docs if d.logical_id == logical_id and d.kind in ("resource", "trust")]
        return doc

    keys = {name: logical(prefix, "AWS::KMS::Key") for name, prefix in (("alerts", "AlertsKey"), ("workspace", "ResearchKey"))}
    roles = {name: logical(prefix, "AWS::IAM::Role") for name, prefix in
             (("execution", "ResearchExecutionRole"), ("service", "ResearchServiceRole"), ("rule", "RuleRole"))}
    return {"key_arn": {n: resolver.get_att(lid, "Arn") for n, lid in keys.items()},
            "key_policy": {n: resource_policy(lid) for n, lid in keys.items()},
            "role_arn": {n: resolver.get_att(lid, "Arn") for n, lid in roles.items()},
            "trust": {n: resource_policy(lid) for n, lid in roles.items()},
            "rule_identity": [d.document for d in docs if d.kind == "identity" and d.logical_id.startswith("RulePolicy")]}


def _concrete(action: str) -> list[str]:
    """A documented action pattern as the requests KMS actually receives."""
    return {"kms:GenerateDataKey*": ["kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext"],
            "kms:ReEncrypt*": ["kms:ReEncryptFrom", "kms:ReEncryptTo"]}.get(action, [action])


def _decide(cases: list[tuple[Request, Policies]]) -> list[str]:
    return [d.result for d in simulate_many(cases)]


@pytest.mark.parametrize("fact", [facts.EVENTBRIDGE_TO_ENCRYPTED_TOPIC, facts.CLOUDWATCH_ALARMS_TO_ENCRYPTED_TOPIC],
                         ids=lambda f: f.principal)
def test_alert_publishers_can_use_the_alerts_key_as_aws_calls_it(world, fact):
    """Item 2: EventBridge's KMS request (through SNS) has no aws:SourceAccount; CloudWatch's does."""
    context = {"aws:SourceAccount": ACCOUNT} if fact.source_conditions_supported else {}
    policies = Policies(resource=world["key_policy"]["alerts"])
    cases = [(Request(fact.principal, action, world["key_arn"]["alerts"], ACCOUNT, context), policies)
             for pattern in fact.actions for action in _concrete(pattern)]
    assert set(_decide(cases)) == {"Allowed"}


def test_cloudwatch_of_another_account_cannot_use_the_alerts_key(world):
    policies = Policies(resource=world["key_policy"]["alerts"])
    request = Request("cloudwatch.amazonaws.com", "kms:GenerateDataKey", world["key_arn"]["alerts"], ACCOUNT,
                      {"aws:SourceAccount": OTHER_ACCOUNT})
    assert _decide([(request, policies)]) == ["ImplicitlyDenied"]


@pytest.mark.parametrize("fact", [f for f in facts.BEDROCK_TYPES if f.principal == "bedrock.amazonaws.com"],
                         ids=lambda f: f.what)
def test_bedrock_can_use_a_workspace_key_under_each_types_context(world, fact):
    """Item 6: a prompt's data keys carry aws:bedrock-prompts:arn; the old policy had no such key and denied it."""
    context = {"aws:SourceAccount": ACCOUNT, "kms:EncryptionContextKeys": [fact.context_key]}
    policies = Policies(resource=world["key_policy"]["workspace"])
    cases = [(Request(fact.principal, action, world["key_arn"]["workspace"], ACCOUNT, context), policies)
             for pattern in fact.actions for action in _concrete(pattern)]
    assert set(_decide(cases)) == {"Allowed"}


def test_bedrock_cannot_use_a_workspace_key_for_another_account(world):
    request = Request("bedrock.amazonaws.com", "kms:Decrypt", world["key_arn"]["workspace"], ACCOUNT,
                      {"aws:SourceAccount": OTHER_ACCOUNT, "kms:EncryptionContextKeys": ["aws:bedrock-prompts:arn"]})
    assert _decide([(request, Policies(resource=world["key_policy"]["workspace"]))]) == ["ImplicitlyDenied"]


@pytest.mark.parametrize("who", ["service", "execution"])
def test_unified_studio_can_make_every_documented_key_call(world, who):
    """Item 11: Encrypt, ReEncrypt*, GenerateDataKey*, ListGrants and RevokeGrant were missing for V2."""
    fact = facts.SMUS_DOMAIN_SERVICE if who == "service" else facts.SMUS_DOMAIN_EXECUTION_ROLE
    principal = fact.principal if who == "service" else world["role_arn"]["execution"]
    context = {"aws:SourceAccount": ACCOUNT, "aws:PrincipalIsAWSService": "true"} if who == "service" else {}
    policies = Policies(resource=world["key_policy"]["workspace"])
    cases = []
    for pattern in fact.actions:
        for action in _concrete(pattern):
            extra = {"kms:GrantIsForAWSResource": "true"} if action == "kms:CreateGrant" else {}
            cases.append((Request(principal, action, world["key_arn"]["workspace"], ACCOUNT, {**context, **extra}), policies))
    decisions = _decide(cases)
    assert decisions == ["Allowed"] * len(cases), list(zip([c[0].action for c in cases], decisions))


def test_the_config_rule_decrypts_through_bedrock_and_only_there(world):
    """Item 7: GetAgent/GetFlow/GetPrompt/GetGuardrail on a CMK resource need kms:Decrypt for the caller."""
    policies = Policies(identity=world["rule_identity"], resource=world["key_policy"]["workspace"])
    through_bedrock = Request(world["role_arn"]["rule"], "kms:Decrypt", world["key_arn"]["workspace"], ACCOUNT,
                              {"kms:ViaService": f"bedrock.{REGION}.amazonaws.com", "kms:CallerAccount": ACCOUNT})
    direct = Request(world["role_arn"]["rule"], "kms:Decrypt", world["key_arn"]["workspace"], ACCOUNT,
                     {"kms:CallerAccount": ACCOUNT})
    assert _decide([(through_bedrock, policies), (direct, policies)]) == ["Allowed", "ImplicitlyDenied"]


@pytest.mark.parametrize("role, trust", [("execution", facts.V2_EXECUTION_ROLE_TRUST), ("service", facts.V2_SERVICE_ROLE_TRUST)])
def test_datazone_can_assume_the_roles_with_the_documented_context(world, role, trust):
    """Item 10: the documented request has aws:SourceAccount and datazone* session tags; the old trust also required
    aws:SourceArn, which the pages do not show DataZone sending."""
    context = {"aws:SourceAccount": ACCOUNT}
    cases = []
    for action in trust.actions:
        extra = {"aws:TagKeys": ["datazoneDomainId"]} if action == "sts:TagSession" else {}
        cases.append((Request("datazone.amazonaws.com", action, world["role_arn"][role], ACCOUNT, {**context, **extra}),
                      Policies(resource=world["trust"][role])))
    assert set(_decide(cases)) == {"Allowed"}


def test_datazone_cannot_tag_sessions_with_other_keys_or_act_for_another_account(world):
    trust = Policies(resource=world["trust"]["execution"])
    arn = world["role_arn"]["execution"]
    cases = [(Request("datazone.amazonaws.com", "sts:TagSession", arn, ACCOUNT,
                      {"aws:SourceAccount": ACCOUNT, "aws:TagKeys": ["Owner"]}), trust),
             (Request("datazone.amazonaws.com", "sts:AssumeRole", arn, ACCOUNT, {"aws:SourceAccount": OTHER_ACCOUNT}), trust)]
    assert _decide(cases) == ["ImplicitlyDenied", "ImplicitlyDenied"]
