"""WorkspaceKey: the key properties the catalog demands, a least-privilege policy, and every refusal."""

from __future__ import annotations

import json

import pytest
from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from guardrails.constructs import ConstructInputError, WorkspaceKey
from guardrails.constructs import service_key_facts as facts
from guardrails.key_policy import CRYPTO_ACTIONS, analyze_key_policy
from guardrails.key_reference import KeyResolver
from guardrails.template import Template as CfnTemplate
from tests.constructs.conftest import ACCOUNT, OWNERSHIP, new_stack, only, statements


@pytest.fixture(scope="module")
def granted() -> dict:
    """One key with every grant, plus a key with none; shared because synth is slow."""
    stack = new_stack()
    role = iam.Role(stack, "FlowRole", assumed_by=iam.ServicePrincipal("bedrock.amazonaws.com"))
    key = WorkspaceKey(stack, "Ws", alias="alias/test/ws", extra_tags={"Project": "atlas"}, **OWNERSHIP)
    key.grant_datazone_domain(execution_role=role, domain_version="V2")
    key.grant_datazone_domain(execution_role=role, domain_version="V2")  # idempotent
    key.grant_bedrock(role)
    key.grant_bedrock(role)
    template = Template.from_stack(stack)
    return {"template": template, "key": only(template, "AWS::KMS::Key")}


def test_key_is_symmetric_rotated_retained(granted):
    key = granted["key"]
    props = key["Properties"]
    assert props["EnableKeyRotation"] is True
    assert props["RotationPeriodInDays"] == 365
    assert props["PendingWindowInDays"] == 30
    assert props.get("KeySpec", "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT"
    assert key["DeletionPolicy"] == "Retain" and key["UpdateReplacePolicy"] == "Retain"


def test_key_carries_ownership_purpose_and_extra_tags(granted):
    tags = {t["Key"]: t["Value"] for t in granted["key"]["Properties"]["Tags"]}
    assert tags == {"Owner": "ml-team@example.com", "CostCenter": "CC-1234", "DataClassification": "confidential",
                    "GuardrailsPurpose": "bedrock-workspace", "Project": "atlas"}


def test_policy_has_no_least_privilege_problem(granted):
    template = CfnTemplate("test.json", granted["template"].to_json())
    policy = granted["key"]["Properties"]["KeyPolicy"]
    # The stack's literal account names the owner (the scanner reads it from cdk.out's environment).
    assert analyze_key_policy(policy, render=KeyResolver(template).render, account=ACCOUNT) == []


def test_administrators_never_get_crypto_and_root_never_gets_kms_star(granted):
    admin = statements(granted["key"])["KeyAdministration"]
    assert not set(admin["Action"]) & CRYPTO_ACTIONS
    assert "kms:*" not in str(granted["key"]["Properties"]["KeyPolicy"])
    assert "kms:PutKeyPolicy" in admin["Action"]  # the recovery path


def test_grants_are_idempotent_and_sids_unique(granted):
    sids = [s.get("Sid") for s in granted["key"]["Properties"]["KeyPolicy"]["Statement"]]
    assert len(sids) == len(set(sids))


def _actions(statement: dict) -> set[str]:
    return {statement["Action"]} if isinstance(statement["Action"], str) else set(statement["Action"])


def test_datazone_grants_follow_the_documented_statements(granted):
    by_sid = statements(granted["key"])
    grant = by_sid["DataZoneCreateGrantAccount"]
    assert grant["Condition"]["StringEquals"]["kms:ViaService"] == "datazone.us-east-1.amazonaws.com"
    assert grant["Condition"]["Bool"] == {"kms:GrantIsForAWSResource": "true"}
    data = by_sid["DataZoneDataKeysAccount"]
    assert data["Condition"]["ForAnyValue:StringEquals"] == {"kms:EncryptionContextKeys": "aws:datazone:domainId"}


@pytest.mark.parametrize("prefix, fact", [("UnifiedStudioService", facts.SMUS_DOMAIN_SERVICE),
                                          ("UnifiedStudioFlowRole", facts.SMUS_DOMAIN_EXECUTION_ROLE)])
def test_v2_grants_are_never_below_the_unified_studio_key_page(granted, prefix, fact):
    """Issue #10 item 11: the service principal and the domain execution role get every documented action
    (Encrypt, ReEncrypt*, GenerateDataKey*, CreateGrant, ListGrants, RevokeGrant, Decrypt, DescribeKey)."""
    by_sid = statements(granted["key"])
    use, grants = by_sid[f"{prefix}KeyUse"], by_sid[f"{prefix}Grants"]
    assert _actions(use) | _actions(grants) == set(fact.actions)
    if fact.principal == "datazone.amazonaws.com":
        assert use["Principal"] == grants["Principal"] == {"Service": "datazone.amazonaws.com"}
        assert use["Condition"] == grants["Condition"] == {"StringEquals": {"aws:SourceAccount": "111111111111"}}
    else:
        assert use["Principal"]["AWS"]["Fn::GetAtt"][0].startswith("FlowRole")


def test_bedrock_grants_are_scoped_to_bedrock(granted):
    by_sid = statements(granted["key"])
    for sid in ("BedrockDataKeysAccount", "BedrockCreateGrantAccount", "BedrockDataKeysFlowRole"):
        assert by_sid[sid]["Condition"]["StringEquals"]["kms:ViaService"] == "bedrock.us-east-1.amazonaws.com"
    service = by_sid["BedrockServiceDataKeys"]
    # issue #10 item 6: prompts encrypt under aws:bedrock-prompts:arn (prompt-management-prereq.html)
    assert set(service["Condition"]["ForAnyValue:StringEquals"]["kms:EncryptionContextKeys"]) == {
        "aws:bedrock:arn", "aws:bedrock-flows:arn", "aws:bedrock-prompts:arn", "aws:bedrock:session:arn"}


def test_grants_only_for_aws_resources(granted):
    deny = statements(granted["key"])["DenyGrantsNotForAWSResources"]
    assert deny["Effect"] == "Deny" and deny["Action"] == "kms:CreateGrant"
    assert deny["Condition"]["BoolIfExists"] == {"kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false"}


def test_default_admins_are_root_and_settings_key_admin_roles():
    stack = new_stack()
    WorkspaceKey(stack, "K", **OWNERSHIP)
    admin = statements(only(Template.from_stack(stack), "AWS::KMS::Key"))["KeyAdministration"]
    principals = str(admin["Principal"])
    assert ":root" in principals and "role/GuardrailsKeyAdmin" in principals


@pytest.mark.parametrize("kwargs, fix", [
    (dict(admin_principals=[]), "at least one role"),
    (dict(rotation_period=Duration.days(30)), "Duration.days(365)"),
    (dict(rotation_period=Duration.days(400)), "max_rotation_days"),
    (dict(pending_window=Duration.days(7)), "Duration.days(30)"),
    (dict(owner=""), "owner="),
    (dict(owner=" team"), "leading or trailing"),
    (dict(cost_center="1234"), "required_tags.CostCenter"),
    (dict(data_classification="secret-ish"), "required_tags.DataClassification"),
    (dict(data_classification=None), "data_classification="),
    (dict(extra_tags={"aws:reserved": "x"}), "not start with 'aws:'"),
])
def test_refusals_name_the_fix(kwargs, fix):
    stack = new_stack()
    with pytest.raises(ConstructInputError, match=None) as caught:
        WorkspaceKey(stack, "K", **{**OWNERSHIP, **kwargs})
    assert fix in str(caught.value)
    assert stack.node.try_find_child("K") is None  # refused before anything was created


def test_grant_refuses_unknown_domain_version(stack):
    key = WorkspaceKey(stack, "K", **OWNERSHIP)
    with pytest.raises(ConstructInputError, match="V2"):
        key.grant_datazone_domain(domain_version="V3")


# --- team mode (issue #14: teams sharing an account) ------------------------------------------------------------

TEAM_OWNERSHIP = {**OWNERSHIP, "owner": "team-a@example.com"}


@pytest.fixture(scope="module")
def team_key() -> dict:
    stack = new_stack()
    role = iam.Role(stack, "AnalystRole", assumed_by=iam.AccountRootPrincipal())
    key = WorkspaceKey(stack, "Team", team="team-a@example.com", team_roles=[role], **TEAM_OWNERSHIP)
    key.grant_datazone_domain(domain_version="V2")
    key.grant_bedrock()
    template = Template.from_stack(stack)
    return {"template": template, "key": only(template, "AWS::KMS::Key")}


def _root_statements(key: dict) -> list[dict]:
    """Statements whose principal is the account root (delegated to IAM policies), except administration."""
    return [s for s in key["Properties"]["KeyPolicy"]["Statement"]
            if s["Effect"] == "Allow" and s.get("Sid") != "KeyAdministration" and "AWS" in s["Principal"]
            and ":root" in json.dumps(s["Principal"])]


def test_team_key_never_delegates_use_to_the_account_at_large(team_key):
    """Every root-principal use statement is narrowed to the team tag or the provisioning roles' ARN pattern."""
    delegated = _root_statements(team_key["key"])
    assert delegated
    for statement in delegated:
        condition = statement["Condition"]
        tagged = condition.get("StringEquals", {}).get("aws:PrincipalTag/Owner") == "team-a@example.com"
        # the settings' pattern, pinned to the key's own account
        provisioning = condition.get("ArnLike", {}).get("aws:PrincipalArn") == "arn:aws:iam::111111111111:role/cdk-*-cfn-exec-role-*"
        assert tagged != provisioning, statement["Sid"]  # exactly one narrowing
        assert condition["StringEquals"]["kms:ViaService"].split(".")[0] in ("datazone", "bedrock")
        assert condition["StringEquals"]["kms:CallerAccount"] == "111111111111"


def test_team_key_names_the_team_roles_and_carries_the_team_tag(team_key):
    by_sid = statements(team_key["key"])
    for sid in ("DataZoneDataKeysTeamRoles", "BedrockDataKeysTeamRoles"):
        assert by_sid[sid]["Principal"]["AWS"]["Fn::GetAtt"][0].startswith("AnalystRole")
    tags = {t["Key"]: t["Value"] for t in team_key["key"]["Properties"]["Tags"]}
    assert tags["Owner"] == "team-a@example.com"


def test_team_key_policy_has_no_least_privilege_problem(team_key):
    template = CfnTemplate("test.json", team_key["template"].to_json())
    assert analyze_key_policy(team_key["key"]["Properties"]["KeyPolicy"], render=KeyResolver(template).render,
                              account=ACCOUNT) == []


def test_account_mode_stays_account_wide(granted):
    """Without team= the delegation is unchanged: one root statement set per service, no tag condition."""
    for statement in _root_statements(granted["key"]):
        assert "aws:PrincipalTag/Owner" not in json.dumps(statement)


@pytest.mark.parametrize("kwargs, fix", [
    (dict(team="other@example.com"), "pass the same value to both"),
    (dict(team=" padded"), "not a valid tag value"),
    (dict(team_roles=["role"]), "team_roles= needs team="),
])
def test_team_refusals_name_the_fix(stack, kwargs, fix):
    with pytest.raises(ConstructInputError, match=fix):
        WorkspaceKey(stack, "Bad", **TEAM_OWNERSHIP, **kwargs)
