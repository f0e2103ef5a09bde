"""Kill switch (issue #14): the suite's real SCPs, boundary, workspace key policy and kill-switch role policy, evaluated
together by the offline IAM simulator. Only the kill-switch role switches a workspace key off and on; it can do
nothing else to the key; nobody but the provisioning roles may create or rewire a role of its name.
"""

from __future__ import annotations

import json

import pytest

from tests.aws_semantics.simulator import ALLOW_ALL, Policies, Request, simulate
from tests.aws_semantics.suite_policies import ACCOUNT, MEMBER_ACCOUNT, without

ROLE_NAME = "bedrock-guardrails-kill-switch"  # settings.kill_switch_role_name (default; cdk.json keeps it)
KILL_SWITCH = f"arn:aws:iam::{MEMBER_ACCOUNT}:role/{ROLE_NAME}"
SINGLE_KILL_SWITCH = f"arn:aws:iam::{ACCOUNT}:role/{ROLE_NAME}"
ADMIN = f"arn:aws:iam::{MEMBER_ACCOUNT}:role/Admin"
SINGLE_ADMIN = f"arn:aws:iam::{ACCOUNT}:role/Admin"
KEY_ADMIN = f"arn:aws:iam::{MEMBER_ACCOUNT}:role/GuardrailsKeyAdmin"  # cdk.json key_admin_roles, in a member account
CDK_EXEC = f"arn:aws:iam::{MEMBER_ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-{MEMBER_ACCOUNT}-us-east-1"


def _in_member(document):
    return json.loads(json.dumps(document).replace(ACCOUNT, MEMBER_ACCOUNT))


@pytest.fixture(scope="module")
def key(suite):
    """(member key ARN, member key policy, tag context) of the suite's workspace key."""
    key_arn, key_policy, tags = suite.key("WorkspaceKeys", "SharedWorkspaceKey")
    assert tags["aws:ResourceTag/GuardrailsPurpose"] == "bedrock-workspace"
    return _in_member(key_arn), _in_member(key_policy), tags


@pytest.fixture(scope="module")
def switch_policy(suite):
    """The kill-switch role's own identity policy, as the detective stack deploys it."""
    (policy,) = suite._of("BedrockGuardrailsDetective", "identity", "KillSwitchPolicy")
    return policy.document  # resolved for ACCOUNT; _in_member() for the member account


def _key_call(principal, action, key, identity, scps, **context):
    key_arn, key_policy, tags = key
    return simulate(Request(principal, action, key_arn, MEMBER_ACCOUNT, {**tags, **context}),
                    Policies(identity=[_in_member(p) for p in identity], scps=scps, resource=key_policy)).result


@pytest.mark.parametrize("action", ["kms:DisableKey", "kms:EnableKey"])
def test_the_kill_switch_role_can_switch_a_workspace_key(suite, key, switch_policy, action):
    assert _key_call(KILL_SWITCH, action, key, [switch_policy], suite.scps()) == "Allowed"


@pytest.mark.parametrize("principal", [ADMIN, KEY_ADMIN])
@pytest.mark.parametrize("action", ["kms:DisableKey", "kms:EnableKey"])
def test_nobody_else_can_switch_a_workspace_key(suite, key, principal, action):
    """Not an administrator, not even the key administrator: an engaged switch cannot be undone around it."""
    assert _key_call(principal, action, key, [ALLOW_ALL], suite.scps()) == "ExplicitlyDenied"


def test_without_the_state_change_deny_an_admin_could_undo_the_switch(suite, key):
    """The deny is what holds: drop it from the real SCPs and the administrator re-enables the key."""
    weakened = [without(scp, "DenyWorkspaceKeyStateChange") for scp in suite.scps()]
    assert _key_call(ADMIN, "kms:EnableKey", key, [ALLOW_ALL], weakened) == "Allowed"


@pytest.mark.parametrize("action, context", [
    ("kms:ScheduleKeyDeletion", {"kms:ScheduleKeyDeletionPendingWindowInDays": "30"}),
    ("kms:PutKeyPolicy", {}),
    ("kms:DisableKeyRotation", {}),
])
def test_the_kill_switch_role_can_do_nothing_else_to_the_key(suite, key, switch_policy, action, context):
    assert _key_call(KILL_SWITCH, action, key, [switch_policy], suite.scps(), **context) != "Allowed"


def test_even_with_more_rights_the_kill_switch_role_cannot_rewrite_the_key_policy(suite, key):
    """The SCP exemption is for DisableKey and EnableKey only: given AdministratorAccess, PutKeyPolicy stays denied."""
    assert _key_call(KILL_SWITCH, "kms:PutKeyPolicy", key, [ALLOW_ALL], suite.scps()) == "ExplicitlyDenied"


def test_the_exemption_is_for_workspace_keys_only_in_its_policy(suite, key, switch_policy):
    """An untagged key is outside the role's own policy."""
    key_arn, key_policy, _ = key
    untagged = (key_arn, key_policy, {"aws:ResourceTag/GuardrailsPurpose": "other"})
    assert _key_call(KILL_SWITCH, "kms:DisableKey", untagged, [switch_policy], suite.scps()) != "Allowed"


@pytest.mark.parametrize("action", ["iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy",
                                    "iam:AttachRolePolicy", "iam:DeleteRole"])
def test_an_admin_cannot_create_or_rewire_a_role_named_like_the_kill_switch(suite, action):
    request = Request(ADMIN, action, KILL_SWITCH, MEMBER_ACCOUNT)
    assert simulate(request, Policies(identity=[ALLOW_ALL], scps=suite.scps())).result == "ExplicitlyDenied"


def test_the_provisioning_role_deploys_the_kill_switch_role(suite):
    for action in ("iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy"):
        request = Request(CDK_EXEC, action, KILL_SWITCH, MEMBER_ACCOUNT)
        assert simulate(request, Policies(identity=[ALLOW_ALL], scps=suite.scps())).allowed, action


# --- single account: the permissions boundary ------------------------------------------------------------------

def test_the_boundary_keeps_a_bound_admin_from_switching_or_taking_over_the_role(suite):
    key_arn, key_policy, tags = suite.key("WorkspaceKeys", "SharedWorkspaceKey")
    boundary = suite.boundary()
    for action in ("kms:DisableKey", "kms:EnableKey"):
        decision = simulate(Request(SINGLE_ADMIN, action, key_arn, ACCOUNT, tags),
                            Policies(identity=[ALLOW_ALL], boundary=boundary, resource=key_policy))
        assert decision.result == "ExplicitlyDenied", action
    for action in ("iam:CreateRole", "iam:UpdateAssumeRolePolicy"):
        decision = simulate(Request(SINGLE_ADMIN, action, SINGLE_KILL_SWITCH, ACCOUNT),
                            Policies(identity=[ALLOW_ALL], boundary=boundary))
        assert decision.result == "ExplicitlyDenied", action


def test_the_kill_switch_role_switches_keys_even_if_bound(suite, switch_policy):
    key_arn, key_policy, tags = suite.key("WorkspaceKeys", "SharedWorkspaceKey")
    for action in ("kms:DisableKey", "kms:EnableKey"):
        decision = simulate(Request(SINGLE_KILL_SWITCH, action, key_arn, ACCOUNT, tags),
                            Policies(identity=[switch_policy], boundary=suite.boundary(), resource=key_policy))
        assert decision.allowed, action
