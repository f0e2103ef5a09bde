"""Team isolation (issue #14): the two-team example's real key policies and the analysts' real identity policies,
evaluated by the offline IAM simulator. Team A's principals decrypt with team A's key and never with team B's; a
principal without the team tag uses neither; use is only through Bedrock or DataZone.
"""

from __future__ import annotations

import pytest

from tests.aws_semantics.simulator import ALLOW_ALL, Policies, Request, simulate
from tests.aws_semantics.suite_policies import ACCOUNT, replaced

TEAM_A, TEAM_B = "team-a@example.com", "team-b@example.com"
ANALYST_A = f"arn:aws:iam::{ACCOUNT}:role/TeamAAnalyst"
ADMIN = f"arn:aws:iam::{ACCOUNT}:role/Admin"
CDK_EXEC = f"arn:aws:iam::{ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-{ACCOUNT}-us-east-1"
THROUGH_BEDROCK = {"kms:ViaService": "bedrock.us-east-1.amazonaws.com", "kms:CallerAccount": ACCOUNT}


@pytest.fixture(scope="module")
def keys(teams):
    return {"A": teams.key("TeamWorkspaces", "TeamAKey"), "B": teams.key("TeamWorkspaces", "TeamBKey")}


@pytest.fixture(scope="module")
def analyst_a_policy(teams):
    (policy,) = teams._of("TeamWorkspaces", "identity", "TeamAAnalystKeyUse")
    return policy.document


def _decrypt(principal, key, identity, tags=None, context=THROUGH_BEDROCK, action="kms:Decrypt"):
    key_arn, key_policy, _ = key
    principal_tags = {f"aws:PrincipalTag/{k}": v for k, v in (tags or {}).items()}
    request = Request(principal, action, key_arn, ACCOUNT, {**context, **principal_tags})
    return simulate(request, Policies(identity=identity, resource=key_policy)).result


def test_the_keys_belong_to_their_teams(keys):
    assert keys["A"][2]["aws:ResourceTag/Owner"] == TEAM_A and keys["B"][2]["aws:ResourceTag/Owner"] == TEAM_B


def test_team_a_analyst_decrypts_with_team_a_key(keys, analyst_a_policy):
    assert _decrypt(ANALYST_A, keys["A"], [analyst_a_policy], {"Owner": TEAM_A}) == "Allowed"


def test_team_a_analyst_cannot_decrypt_with_team_b_key(keys, analyst_a_policy):
    assert _decrypt(ANALYST_A, keys["B"], [analyst_a_policy], {"Owner": TEAM_A}) != "Allowed"


@pytest.mark.parametrize("action", ["kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt"])
def test_even_an_administrator_of_team_a_cannot_use_team_b_key(keys, action):
    """The key policy holds by itself: AdministratorAccess and the team A tag do not open team B's key."""
    assert _decrypt(ADMIN, keys["B"], [ALLOW_ALL], {"Owner": TEAM_A}, action=action) == "ImplicitlyDenied"
    assert _decrypt(ADMIN, keys["A"], [ALLOW_ALL], {"Owner": TEAM_A}, action=action) == "Allowed"


@pytest.mark.parametrize("team", ["A", "B"])
def test_a_role_without_the_team_tag_can_use_neither_key(keys, team):
    assert _decrypt(ADMIN, keys[team], [ALLOW_ALL]) == "ImplicitlyDenied"
    assert _decrypt(ADMIN, keys[team], [ALLOW_ALL], {"CostCenter": "CC-1234"}) == "ImplicitlyDenied"


def test_use_is_only_through_the_services(keys):
    direct = {"kms:CallerAccount": ACCOUNT}
    assert _decrypt(ADMIN, keys["A"], [ALLOW_ALL], {"Owner": TEAM_A}, context=direct) == "ImplicitlyDenied"


def test_account_wide_delegation_reintroduced_opens_the_key_to_everyone(keys):
    """The tag condition is what isolates: drop it and an untagged administrator decrypts team B's data."""
    key_arn, key_policy, tags = keys["B"]
    statement = next(s for s in key_policy["Statement"] if s.get("Sid") == "BedrockDataKeysAccountTeam")
    opened = replaced(key_policy, "BedrockDataKeysAccountTeam",
                      Condition={"StringEquals": {k: v for k, v in statement["Condition"]["StringEquals"].items()
                                                  if not k.startswith("aws:PrincipalTag/")}})
    assert _decrypt(ADMIN, (key_arn, opened, tags), [ALLOW_ALL]) == "Allowed"


def test_the_provisioning_role_can_create_the_teams_resources(keys):
    """CloudFormation's execution role creates each team's domain and Bedrock resources: grants for AWS resources."""
    for team in ("A", "B"):
        grant = {**THROUGH_BEDROCK, "kms:GrantIsForAWSResource": "true"}
        assert _decrypt(CDK_EXEC, keys[team], [ALLOW_ALL], context=grant, action="kms:CreateGrant") == "Allowed"
