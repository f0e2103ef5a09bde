"""SCP and boundary documents: structure, sizes, and validity against the IAM database."""

import dataclasses

import pytest

from guardrails.preventive import (detective_protection, hook_protection, isolation_tag_protection, key_availability, key_creation,
                                   key_protection, provisioning_path, region_limit, workspace_creation)
from guardrails.preventive.documents import MAX_MANAGED_POLICY_CHARS, boundary_document, scp_documents
from guardrails.preventive.scp_size import GUARDRAIL_SCPS_PER_TARGET, MAX_SCP_CHARS, MAX_SCPS_PER_TARGET, minified, pack
from guardrails.settings import Settings
from tests.preventive.iam_database import (
    action_exists, actions_of, condition_key_allowed, condition_keys_of, parliament_findings)

ROLE = "arn:aws:iam::111122223333:role/{}"
FULL = Settings(break_glass_role=ROLE.format("break-glass"), platform_role=ROLE.format("platform"),
                key_admin_roles=(ROLE.format("key-admin"),),
                provisioning_roles=("arn:aws:iam::*:role/cdk-*-cfn-exec-role-*", ROLE.format("pipeline"))).validate()
KILL_SWITCH = dataclasses.replace(FULL, kill_switch_principals=(ROLE.format("responder"),)).validate()
SETTINGS = [Settings(), FULL, KILL_SWITCH]


def _documents(settings):
    return [*scp_documents(settings), boundary_document(settings)]


def _by_sid(settings):
    return {s["Sid"]: s for d in scp_documents(settings) for s in d["Statement"]}


@pytest.mark.parametrize("settings", SETTINGS, ids=["defaults", "all-roles", "kill-switch"])
def test_every_action_and_condition_key_exists(settings):
    for document in _documents(settings):
        unknown = [a for a in actions_of(document) if a != "*" and not action_exists(a)]
        assert not unknown, unknown
        bad = [(a, k) for a, k in condition_keys_of(document) if not condition_key_allowed(a, k)]
        assert not bad, bad


@pytest.mark.parametrize("settings", SETTINGS, ids=["defaults", "all-roles", "kill-switch"])
def test_parliament_reports_nothing(settings):
    for document in _documents(settings):
        assert parliament_findings(document) == []


def test_validity_check_catches_an_invented_key():
    # The checks above must be able to fail: a key DataZone does not document is rejected.
    assert not condition_key_allowed("datazone:CreateDomain", "datazone:KmsKeyIdentifier")
    assert not action_exists("bedrock:CreateWorkspace")


@pytest.mark.parametrize("settings", SETTINGS, ids=["defaults", "all-roles", "kill-switch"])
def test_scp_sizes(settings):
    documents = scp_documents(settings)
    assert 1 <= len(documents) <= GUARDRAIL_SCPS_PER_TARGET == MAX_SCPS_PER_TARGET - 1  # FullAWSAccess keeps one place
    assert all(len(minified(d)) <= MAX_SCP_CHARS for d in documents)
    assert len(minified(boundary_document(settings))) <= MAX_MANAGED_POLICY_CHARS


def test_many_roles_split_into_several_scps_that_each_fit():
    # Six statements name every provisioning role (the isolation tag's is the sixth): 30 roles of this length are the
    # most the four SCPs beside FullAWSAccess hold with these settings, 25 with a kill switch; docs/preventive.md.
    many = dataclasses.replace(FULL, provisioning_roles=tuple(ROLE.format(f"pipeline-{i:03d}-deployer") for i in range(28)))
    documents = scp_documents(many)
    assert len(documents) > 1
    assert all(len(minified(d)) <= MAX_SCP_CHARS for d in documents)
    sids = [s["Sid"] for d in documents for s in d["Statement"]]
    assert sorted(sids) == sorted(s["Sid"] for f in (workspace_creation, provisioning_path, key_protection, key_creation,
                                                      key_availability, hook_protection, isolation_tag_protection,
                                                      region_limit, detective_protection)
                                for s in f.statements(many))


def test_pack_leaves_fullawsaccess_its_place():
    # Five documents are AWS's quota per target; FullAWSAccess must stay attached beside a deny-only set, so four
    # documents pack and a fifth is refused with the reason.
    big = {"Sid": "Big", "Effect": "Deny", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::" + "b" * 4000]}
    assert len(pack([dict(big, Sid=f"S{i}") for i in range(4)])) == 4
    with pytest.raises(ValueError, match="more than the 4 a target has room for .AWS allows 5, FullAWSAccess included"):
        pack([dict(big, Sid=f"S{i}") for i in range(5)])


def test_creation_guardrail_allow_lists_provisioning_and_break_glass_by_principal_arn():
    stmt = _by_sid(FULL)["DenyGovernedCreateOutsideProvisioning"]
    assert "datazone:CreateDomain" in stmt["Action"] and "bedrock:CreateAgent" in stmt["Action"]
    assert stmt["Condition"] == {"ArnNotLike": {"aws:PrincipalArn": sorted(
        [*FULL.provisioning_roles, *FULL.service_provisioning_roles, FULL.break_glass_role])}}
    default = _by_sid(Settings())["DenyGovernedCreateOutsideProvisioning"]
    # SageMaker Unified Studio's blueprint provisioning role creates Bedrock resources itself (issue #10, item 9).
    assert default["Condition"]["ArnNotLike"]["aws:PrincipalArn"] == [
        "arn:aws:iam::*:role/cdk-*-cfn-exec-role-*", "arn:aws:iam::*:role/service-role/AmazonSageMakerProvisioning-*"]


def test_service_provisioning_roles_are_a_setting():
    none = dataclasses.replace(FULL, service_provisioning_roles=())
    stmt = _by_sid(none)["DenyGovernedCreateOutsideProvisioning"]
    assert not any("AmazonSageMakerProvisioning" in arn for arn in stmt["Condition"]["ArnNotLike"]["aws:PrincipalArn"])


def test_provisioning_roles_cannot_be_rewired_except_by_platform():
    stmt = _by_sid(FULL)["DenyProvisioningRoleChanges"]
    assert {"iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy"} <= set(stmt["Action"])
    # Every role an exemption names by pattern is protected, creation included: a new role named to match a
    # pattern would otherwise inherit the exemption.
    assert "iam:CreateRole" in stmt["Action"]
    assert stmt["Resource"] == sorted({*FULL.provisioning_roles, *FULL.service_provisioning_roles, *FULL.hook_deployer_roles})
    assert stmt["Condition"]["ArnNotLike"]["aws:PrincipalArn"] == sorted(
        [FULL.platform_role, FULL.break_glass_role, *FULL.hook_deployer_roles])


def test_key_protection_on_tagged_keys():
    sids = _by_sid(FULL)
    window = sids["DenyShortKeyDeletionWindow"]["Condition"]
    assert window["NumericLessThan"] == {"kms:ScheduleKeyDeletionPendingWindowInDays": "30"}
    assert window["StringEquals"] == {"aws:ResourceTag/GuardrailsPurpose": "bedrock-workspace"}
    assert set(sids["DenyWorkspaceKeyWeakening"]["Action"]) == {"kms:DisableKey", "kms:DisableKeyRotation"}
    assert FULL.key_admin_roles[0] in sids["DenyWorkspaceKeyWeakening"]["Condition"]["ArnNotLike"]["aws:PrincipalArn"]
    assert sids["DenyNonServiceGrants"]["Condition"]["BoolIfExists"] == {"kms:GrantIsForAWSResource": "false"}
    tags = sids["DenyOwnershipTagChange"]["Condition"]["ForAnyValue:StringEquals"]["aws:TagKeys"]
    assert set(tags) == {"Owner", "CostCenter", "DataClassification", "GuardrailsPurpose"}


def test_key_creation_needs_every_ownership_tag_one_statement_each():
    creates = [s for s in _by_sid(Settings()).values() if s["Action"] == "kms:CreateKey"]
    assert sorted(next(iter(s["Condition"]["Null"])) for s in creates) == [
        "aws:RequestTag/CostCenter", "aws:RequestTag/DataClassification", "aws:RequestTag/Owner"]


def test_hook_protection_denies_type_changes_on_star_and_names_its_stacks():
    sids = _by_sid(FULL)
    # DeactivateType & co. have no resource type (Service Authorization Reference): only Resource "*" applies
    # (issue #10, item 3; tests/aws_semantics/test_dead_statements.py checks this against AWS's data).
    assert sids["DenyHookChanges"]["Resource"] == "*"
    assert "cloudformation:SetTypeConfiguration" in sids["DenyHookChanges"]["Action"]
    assert "cloudformation:DeleteStack" in sids["DenyHookStackChanges"]["Action"]
    # Issue #10, item 4: the single-account stack is BedrockGuardrailsPreventive, not the StackSet's name.
    assert sids["DenyHookStackChanges"]["Resource"] == [
        "arn:aws:cloudformation:*:*:stack/BedrockGuardrailsPreventive/*",
        "arn:aws:cloudformation:*:*:stack/StackSet-BedrockGuardrailsHook-*"]
    # Issue #10, item 5: the StackSets execution roles of member accounts update the hook's stack instances.
    assert sids["DenyHookChanges"]["Condition"]["ArnNotLike"]["aws:PrincipalArn"] == sorted(
        [FULL.platform_role, FULL.break_glass_role, "arn:aws:iam::*:role/stacksets-exec-*"])


def test_the_region_limit_names_the_governed_regions_and_exempts_only_break_glass():
    stmt = _by_sid(dataclasses.replace(FULL, governed_regions=("us-east-1", "eu-central-1")))["DenyGovernedCreateOutsideGovernedRegions"]
    assert stmt["Condition"] == {"StringNotEquals": {"aws:RequestedRegion": ["eu-central-1", "us-east-1"]},
                                 "ArnNotLike": {"aws:PrincipalArn": FULL.break_glass_role}}
    with pytest.raises(ValueError, match="governed_regions"):
        scp_documents(dataclasses.replace(FULL, governed_regions=()))


def test_boundary_leaves_out_the_organization_stack_set():
    resources = [s["Resource"] for s in boundary_document(FULL)["Statement"]]
    assert ["arn:aws:cloudformation:*:*:stack/BedrockGuardrailsPreventive/*"] in resources
    assert not any("stackset/" in str(r) or "StackSet-" in str(r) for r in resources)


def test_boundary_allows_then_denies():
    document = boundary_document(FULL)
    assert document["Statement"][0] == {"Effect": "Allow", "Action": "*", "Resource": "*"}
    assert all(s["Effect"] == "Deny" for s in document["Statement"][1:])


# --- kill switch (issue #14) ------------------------------------------------------------------------------------

SWITCH_ROLE = "arn:aws:iam::*:role/bedrock-guardrails-kill-switch"


def test_with_a_kill_switch_only_its_role_switches_workspace_keys():
    sids = _by_sid(KILL_SWITCH)
    state = sids["DenyWorkspaceKeyStateChange"]
    assert sorted(state["Action"]) == ["kms:DisableKey", "kms:EnableKey"]
    assert state["Condition"]["ArnNotLike"] == {"aws:PrincipalArn": SWITCH_ROLE}  # exactly that role
    assert state["Condition"]["StringEquals"] == {"aws:ResourceTag/GuardrailsPurpose": "bedrock-workspace"}
    # Key administrators keep only what is not a switch.
    assert sids["DenyWorkspaceKeyWeakening"]["Action"] == "kms:DisableKeyRotation"
    # The exemption reaches no other deny.
    others = [s for sid, s in sids.items() if sid != "DenyWorkspaceKeyStateChange"]
    assert not any(SWITCH_ROLE in str(s.get("Condition", {})) for s in others)


def test_without_a_kill_switch_key_administrators_may_disable_keys_as_before():
    sids = _by_sid(FULL)
    assert "DenyWorkspaceKeyStateChange" not in sids and "DenyKillSwitchRoleChanges" not in sids
    assert set(sids["DenyWorkspaceKeyWeakening"]["Action"]) == {"kms:DisableKey", "kms:DisableKeyRotation"}


def test_only_provisioning_roles_may_create_or_rewire_the_kill_switch_role():
    stmt = _by_sid(KILL_SWITCH)["DenyKillSwitchRoleChanges"]
    assert stmt["Resource"] == SWITCH_ROLE
    assert {"iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:AttachRolePolicy"} <= set(stmt["Action"])
    assert stmt["Condition"]["ArnNotLike"]["aws:PrincipalArn"] == sorted(KILL_SWITCH.provisioning_roles)


def test_the_boundary_protects_the_kill_switch_role_with_the_provisioning_roles():
    # The boundary carries no Sids (its 6,144 characters are short): statements are found by what they do.
    statements = boundary_document(KILL_SWITCH)["Statement"]
    role_changes = [s for s in statements if "iam:UpdateAssumeRolePolicy" in s["Action"]]
    assert len(role_changes) == 1 and SWITCH_ROLE in role_changes[0]["Resource"]
    (state_change,) = [s for s in statements if s["Action"] == ["kms:DisableKey", "kms:EnableKey"]]
    assert state_change["Condition"]["ArnNotLike"] == {"aws:PrincipalArn": SWITCH_ROLE}
