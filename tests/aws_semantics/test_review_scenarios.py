"""The black-box review's bypasses (findings 2, 3, 4), as an attacker would try them, against the suite's real SCPs,
boundary and key policies in the offline IAM simulator. Each old hole is reintroduced in a copy of the real document
(the new statement removed) and must reopen.

Attacker: AdministratorAccess in a governed member account (SCP path) or a role carrying the boundary (single
account), not a key admin, platform or break-glass role. With CDK's default bootstrap any administrator can run
CloudFormation as the cfn-exec role (bootstrap-template.yaml: CloudFormationExecutionRole trusts
cloudformation.amazonaws.com without conditions), so the provisioning role is an attacker too where SCPs apply.
"""

from __future__ import annotations

import json

import pytest

from guardrails.preventive.boundary_protection import boundary_policy_name
from guardrails.settings import Settings
from tests.aws_semantics.simulator import ALLOW_ALL, Policies, Request, simulate
from tests.aws_semantics.suite_policies import ACCOUNT, MEMBER_ACCOUNT, without
from tests.aws_semantics.test_scenarios import ADMIN, CDK_EXEC, KEY_ADMIN, SINGLE_ADMIN, STACKSETS_EXEC

MEMBER_KEY_ADMIN = KEY_ADMIN  # cdk.json names the key admin by its full ARN (account 111111111111)
PLATFORM = f"arn:aws:iam::{ACCOUNT}:role/GuardrailsPlatform"  # cdk.json platform_role


def _member_key(suite) -> tuple[str, dict, dict]:
    key_arn, key_policy, tags = suite.key("WorkspaceKeys", "SharedWorkspaceKey")
    assert tags["aws:ResourceTag/GuardrailsPurpose"] == "bedrock-workspace"
    as_member = json.loads(json.dumps([key_arn, key_policy]).replace(ACCOUNT, MEMBER_ACCOUNT))
    return as_member[0], as_member[1], tags


# KMS Developer Guide, "Default key policy": the account root gets kms:*, so IAM policies decide. The SCP must hold
# for such keys too (keys this suite did not make, or made before the key-policy change).
def _default_key_policy(account: str) -> dict:
    return {"Version": "2012-10-17", "Statement": [{
        "Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": "kms:*", "Resource": "*"}]}


def _member(principal: str, action: str, resource: str, scps: list[dict], **context) -> str:
    """A call under the SCPs in the caller's own account (the key, if any, moved there, with the default key policy)."""
    account = principal.split(":")[4]
    resource = resource.replace(MEMBER_ACCOUNT, account)
    key_policy = _default_key_policy(account) if resource.startswith("arn:aws:kms:") else None
    request = Request(principal, action, resource, account, context)
    return simulate(request, Policies(identity=[ALLOW_ALL], scps=scps, resource=key_policy)).result


def _without(scps: list[dict], sid: str) -> list[dict]:
    assert any(s.get("Sid") == sid for d in scps for s in d["Statement"]), sid
    return [without(d, sid) for d in scps]


# --- finding 3: making the key unusable without DisableKey -------------------------------------------------------

def test_an_admin_cannot_schedule_a_workspace_key_for_deletion_with_any_window(suite):
    """KMS Cryptographic Details, "Deleting keys": during the waiting period "all calls to use the key for
    cryptographic operations will fail". 30 days was allowed before (only < 30 was denied)."""
    key, _, tags = _member_key(suite)
    window = {"kms:ScheduleKeyDeletionPendingWindowInDays": "30"}
    assert _member(ADMIN, "kms:ScheduleKeyDeletion", key, suite.scps(), **tags, **window) == "ExplicitlyDenied"
    assert _member(CDK_EXEC, "kms:ScheduleKeyDeletion", key, suite.scps(), **tags, **window) == "ExplicitlyDenied"
    old = _without(suite.scps(), "DenyWorkspaceKeyLoss")
    assert _member(ADMIN, "kms:ScheduleKeyDeletion", key, old, **tags, **window) == "Allowed"


@pytest.mark.parametrize("action", ["kms:RevokeGrant", "kms:RetireGrant"])
def test_an_admin_cannot_cut_the_services_grants(suite, action):
    """DataZone User Guide, "Data encryption at rest for Amazon DataZone": revoke the grant and "Amazon DataZone won't
    be able to access any data encrypted by the customer managed key"."""
    key, _, tags = _member_key(suite)
    assert _member(ADMIN, action, key, suite.scps(), **tags) == "ExplicitlyDenied"
    assert _member(ADMIN, action, key, _without(suite.scps(), "DenyWorkspaceKeyLoss"), **tags) == "Allowed"


def test_the_key_admin_may_still_schedule_deletion_after_the_full_window(suite):
    key, _, tags = _member_key(suite)
    window = {"kms:ScheduleKeyDeletionPendingWindowInDays": "30"}
    assert _member(MEMBER_KEY_ADMIN, "kms:ScheduleKeyDeletion", key, suite.scps(), **tags, **window) == "Allowed"
    short = {"kms:ScheduleKeyDeletionPendingWindowInDays": "7"}
    assert _member(MEMBER_KEY_ADMIN, "kms:ScheduleKeyDeletion", key, suite.scps(), **tags, **short) == "ExplicitlyDenied"


@pytest.mark.parametrize("action", ["kms:ScheduleKeyDeletion", "kms:RevokeGrant"])
def test_in_one_account_the_key_policy_keeps_key_loss_for_key_admins(suite, action):
    """Single account: the key policy no longer hands these actions to the account root (so to every IAM admin),
    and the boundary denies them as well. Before, KeyAdministration (root) listed both."""
    key_arn, key_policy, tags = suite.key("WorkspaceKeys", "SharedWorkspaceKey")
    context = {**tags, "kms:ScheduleKeyDeletionPendingWindowInDays": "30"} if action == "kms:ScheduleKeyDeletion" else tags
    alone = simulate(Request(SINGLE_ADMIN, action, key_arn, ACCOUNT, context), Policies(identity=[ALLOW_ALL], resource=key_policy))
    assert alone.result == "ImplicitlyDenied"  # the key policy alone no longer lets IAM admins in
    bounded = simulate(Request(SINGLE_ADMIN, action, key_arn, ACCOUNT, context),
                       Policies(identity=[ALLOW_ALL], resource=key_policy, boundary=suite.boundary()))
    assert bounded.result == "ExplicitlyDenied"  # and the boundary denies them regardless
    assert simulate(Request(KEY_ADMIN, action, key_arn, ACCOUNT, context),
                    Policies(identity=[ALLOW_ALL], resource=key_policy, boundary=suite.boundary())).allowed
    old_policy = json.loads(json.dumps(key_policy))
    for statement in old_policy["Statement"]:
        if statement.get("Sid") == "KeyAdministration":
            statement["Action"] = [*statement["Action"], action]
    assert simulate(Request(SINGLE_ADMIN, action, key_arn, ACCOUNT, context),
                    Policies(identity=[ALLOW_ALL], resource=old_policy)).allowed


# --- finding 2: stripping the purpose tag, rewriting the key policy --------------------------------------------------

def test_even_the_provisioning_role_cannot_strip_the_purpose_tag(suite):
    """Once the tag is gone every other key deny (all conditioned on aws:ResourceTag) is off."""
    key, _, tags = _member_key(suite)
    untag = {**tags, "aws:TagKeys": ["GuardrailsPurpose"]}
    for principal in (ADMIN, CDK_EXEC):
        assert _member(principal, "kms:UntagResource", key, suite.scps(), **untag) == "ExplicitlyDenied"
    assert _member(CDK_EXEC, "kms:UntagResource", key, _without(suite.scps(), "DenyPurposeTagRemoval"), **untag) == "Allowed"
    assert _member(MEMBER_KEY_ADMIN, "kms:UntagResource", key, suite.scps(), **untag) == "Allowed"


def test_the_provisioning_role_may_resend_the_purpose_tag_but_not_change_it(suite):
    key, _, tags = _member_key(suite)
    same = {**tags, "aws:TagKeys": ["GuardrailsPurpose", "Owner"], "aws:RequestTag/GuardrailsPurpose": "bedrock-workspace",
            "aws:RequestTag/Owner": "team@example.com"}
    changed = {**same, "aws:RequestTag/GuardrailsPurpose": "retired"}
    assert _member(CDK_EXEC, "kms:TagResource", key, suite.scps(), **same) == "Allowed"
    assert _member(CDK_EXEC, "kms:TagResource", key, suite.scps(), **changed) == "ExplicitlyDenied"
    assert _member(CDK_EXEC, "kms:TagResource", key, _without(suite.scps(), "DenyPurposeTagChange"), **changed) == "Allowed"


@pytest.mark.parametrize("action", ["kms:PutKeyPolicy", "kms:CreateKey"])
def test_nobody_but_break_glass_skips_the_key_policy_lockout_check(suite, action):
    """AWS::KMS::Key BypassPolicyLockoutSafetyCheck reaches KMS as kms:BypassPolicyLockoutSafetyCheck (KMS Developer
    Guide, "AWS KMS condition keys"); a policy that locks everyone out cannot be repaired."""
    key, _, tags = _member_key(suite)
    resource, context = (key, {**tags}) if action == "kms:PutKeyPolicy" else ("*", {})
    context["kms:BypassPolicyLockoutSafetyCheck"] = "true"
    assert _member(CDK_EXEC, action, resource, suite.scps(), **context) == "ExplicitlyDenied"
    old = _without(suite.scps(), "DenyKeyPolicyLockoutBypass")
    assert _member(CDK_EXEC, action, resource, old, **context) == "Allowed"
    context["kms:BypassPolicyLockoutSafetyCheck"] = "false"
    assert _member(CDK_EXEC, action, resource, suite.scps(), **context) == "Allowed"


# --- finding 4: the boundary protects itself ---------------------------------------------------------------------

BOUNDARY_ARN = f"arn:aws:iam::{ACCOUNT}:policy/{boundary_policy_name(Settings())}"
OWN_ROLE = f"arn:aws:iam::{ACCOUNT}:role/Admin"
NEW_ROLE = f"arn:aws:iam::{ACCOUNT}:role/escape"
NEW_USER = f"arn:aws:iam::{ACCOUNT}:user/escape"

ESCAPES = [
    ("iam:DeleteRolePermissionsBoundary", OWN_ROLE, {}),
    ("iam:PutRolePermissionsBoundary", OWN_ROLE, {"iam:PermissionsBoundary": f"arn:aws:iam::{ACCOUNT}:policy/AllowAll"}),
    ("iam:CreateRole", NEW_ROLE, {}),
    ("iam:CreateUser", NEW_USER, {}),
    ("iam:CreatePolicyVersion", BOUNDARY_ARN, {}),
    ("iam:SetDefaultPolicyVersion", BOUNDARY_ARN, {}),
    ("iam:DeletePolicy", BOUNDARY_ARN, {}),
]


def _boundary_without_self_protection(boundary: dict) -> dict:
    """Today's boundary: no statement names the boundary or iam:PermissionsBoundary (the boundary has no Sids)."""
    copy = json.loads(json.dumps(boundary))
    copy["Statement"] = [s for s in copy["Statement"] if "PermissionsBoundary\"" not in json.dumps(s.get("Condition", {}))
                         and BOUNDARY_ARN.split("::")[1].split(":", 1)[1] not in json.dumps(s["Resource"])]
    assert len(copy["Statement"]) == len(boundary["Statement"]) - 2
    return copy


@pytest.mark.parametrize("action, resource, context", ESCAPES, ids=[e[0] for e in ESCAPES])
def test_a_bounded_admin_cannot_escape_the_boundary(suite, action, resource, context):
    """IAM User Guide, "Permissions boundaries for IAM entities" (delegation example): create principals and set
    boundaries only with iam:PermissionsBoundary = this boundary; never delete it or change the boundary policy."""
    request = Request(SINGLE_ADMIN, action, resource, ACCOUNT, context)
    assert simulate(request, Policies(identity=[ALLOW_ALL], boundary=suite.boundary())).result == "ExplicitlyDenied"
    old = _boundary_without_self_protection(suite.boundary())
    assert simulate(request, Policies(identity=[ALLOW_ALL], boundary=old)).result == "Allowed"


def test_a_bounded_admin_may_create_roles_that_carry_the_boundary(suite):
    for action, resource in (("iam:CreateRole", NEW_ROLE), ("iam:CreateUser", NEW_USER), ("iam:PutRolePermissionsBoundary", NEW_ROLE)):
        request = Request(SINGLE_ADMIN, action, resource, ACCOUNT, {"iam:PermissionsBoundary": BOUNDARY_ARN})
        assert simulate(request, Policies(identity=[ALLOW_ALL], boundary=suite.boundary())).allowed, action
    platform = Request(PLATFORM, "iam:CreatePolicyVersion", BOUNDARY_ARN, ACCOUNT)
    assert simulate(platform, Policies(identity=[ALLOW_ALL], boundary=suite.boundary())).allowed


def test_the_deployed_boundary_has_the_name_its_statements_protect(suite_templates):
    template = json.loads(suite_templates["BedrockGuardrailsPreventive"].read_text())
    policies = [r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::ManagedPolicy"]
    assert [p["Properties"].get("ManagedPolicyName") for p in policies] == [boundary_policy_name(Settings())]


# --- finding 1: the provisioning role in a region without the hook -------------------------------------------------

@pytest.mark.parametrize("action", ["datazone:CreateDomain", "bedrock:CreateAgent"])
def test_even_the_provisioning_role_cannot_create_outside_the_governed_regions(suite, action):
    """The hook StackSet deploys only to governed_regions (us-east-1 in cdk.json); CloudFormation in eu-west-1 runs
    as whatever role it is given. aws:RequestedRegion: IAM User Guide, "AWS global condition context keys"."""
    outside = {"aws:RequestedRegion": "eu-west-1"}
    assert _member(CDK_EXEC, action, "*", suite.scps(), **outside) == "ExplicitlyDenied"
    assert _member(CDK_EXEC, action, "*", suite.scps(), **{"aws:RequestedRegion": "us-east-1"}) == "Allowed"
    old = _without(suite.scps(), "DenyGovernedCreateOutsideGovernedRegions")
    assert _member(CDK_EXEC, action, "*", old, **outside) == "Allowed"


# --- finding 5 (single account): the rules object through the provisioning role ----------------------------------

def test_the_provisioning_role_cannot_rewrite_the_hooks_rules(suite):
    """Every administrator can run CloudFormation as cfn-exec, and CloudFormation never writes this object (the
    BucketDeployment's Lambda role does): cfn-exec lost its exemption for object writes, kept it for the bucket's
    own configuration (the stack's BucketPolicy and Bucket resources)."""
    bucket = suite.bucket_policy("BedrockGuardrailsPreventive", "RulesBucketRulesPolicy")
    rules_object = bucket.attached_to[0] + "/rules/workspace_encryption.guard"
    cfn_exec = CDK_EXEC.replace(MEMBER_ACCOUNT, ACCOUNT)

    def put(document: dict, principal: str = cfn_exec, action: str = "s3:PutObject", resource: str = rules_object) -> str:
        return simulate(Request(principal, action, resource, ACCOUNT), Policies(identity=[ALLOW_ALL], resource=document)).result

    assert put(bucket.document) == "ExplicitlyDenied"
    assert put(bucket.document, action="s3:PutBucketPolicy", resource=bucket.attached_to[0]) == "Allowed"
    old = json.loads(json.dumps(bucket.document))
    for statement in old["Statement"]:
        if statement.get("Sid") == "DenyRulesChangesOutsideDeployment":
            statement["Condition"]["ArnNotLike"]["aws:PrincipalArn"].append("arn:aws:iam::*:role/cdk-*-cfn-exec-role-*")
    assert put(old) == "Allowed"


# --- finding 6: silencing the real-time alerts ---------------------------------------------------------------------

@pytest.mark.parametrize("action", ["events:DisableRule", "events:RemoveTargets", "events:PutRule"])
def test_an_admin_cannot_silence_the_keyless_create_alerts(suite, action):
    rule = f"arn:aws:events:us-east-1:{MEMBER_ACCOUNT}:rule/bedrock-guardrails-org-keyless-createdomain"
    assert _member(ADMIN, action, rule, suite.scps()) == "ExplicitlyDenied"
    assert _member(ADMIN, action, rule, _without(suite.scps(), "DenyDetectiveRuleChanges")) == "Allowed"
    # The StackSet that deploys them, and CloudFormation in the single account, still maintain them.
    assert _member(STACKSETS_EXEC, action, rule, suite.scps()) == "Allowed"
    other = f"arn:aws:events:us-east-1:{MEMBER_ACCOUNT}:rule/team-a-nightly"
    assert _member(ADMIN, action, other, suite.scps()) == "Allowed"
