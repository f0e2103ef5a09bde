"""WorkspaceKey: the key properties the catalog demands, a least-privilege policy, and every refusal."""

from __future__ import annotations

import pytest
from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from guardrails.constructs import ConstructInputError, WorkspaceKey
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


def test_datazone_grants_follow_the_documented_statements(granted):
    by_sid = statements(granted["key"])
    grant = by_sid["DataZoneCreateGrantAccount"]
    assert grant["Condition"]["StringEquals"]["kms:ViaService"] == "datazone.us-east-1.amazonaws.com"
    assert grant["Condition"]["Bool"] == {"kms:GrantIsForAWSResource": "true"}
    data = by_sid["DataZoneDataKeysFlowRole"]
    assert sorted(data["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert data["Principal"]["AWS"]["Fn::GetAtt"][0].startswith("FlowRole")
    assert data["Condition"]["ForAnyValue:StringEquals"] == {"kms:EncryptionContextKeys": "aws:datazone:domainId"}
    service = by_sid["DataZoneServiceDataKeys"]
    assert service["Principal"] == {"Service": "datazone.amazonaws.com"}
    assert service["Condition"]["StringEquals"] == {"aws:SourceAccount": "111111111111"}


def test_bedrock_grants_are_scoped_to_bedrock(granted):
    by_sid = statements(granted["key"])
    for sid in ("BedrockDataKeysAccount", "BedrockCreateGrantAccount", "BedrockDataKeysFlowRole"):
        assert by_sid[sid]["Condition"]["StringEquals"]["kms:ViaService"] == "bedrock.us-east-1.amazonaws.com"
    service = by_sid["BedrockServiceDataKeys"]
    assert set(service["Condition"]["ForAnyValue:StringEquals"]["kms:EncryptionContextKeys"]) == {
        "aws:bedrock:arn", "aws:bedrock-flows:arn", "aws:bedrock:session:arn"}


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
