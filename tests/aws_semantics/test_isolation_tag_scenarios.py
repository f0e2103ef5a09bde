"""Team isolation's tag (issue 14 follow-up): the suite's real SCPs, evaluated by the offline IAM simulator. In a
member account nobody but the pipeline sets, changes or removes the isolation tag (`Owner`, cdk.json) on a role or
user, creates one with it, or passes it as a session tag; any other tag stays free. Dropping the statement, or
comparing tag keys case-sensitively, lets an administrator join another team (a principal carrying a team's tag uses
its key: tests/aws_semantics/test_team_isolation.py).
"""

from __future__ import annotations

import pytest

from tests.aws_semantics.simulator import ALLOW_ALL, Policies, Request, simulate
from tests.aws_semantics.suite_policies import ACCOUNT, MEMBER_ACCOUNT, replaced, without
from tests.aws_semantics.test_scenarios import ADMIN, CDK_EXEC, SINGLE_ADMIN, _member

TEAM_ROLE = f"arn:aws:iam::{MEMBER_ACCOUNT}:role/TeamBAnalyst"
TEAM_USER = f"arn:aws:iam::{MEMBER_ACCOUNT}:user/team-b-analyst"
FEDERATED = f"arn:aws:sts::{MEMBER_ACCOUNT}:federated-user/team-b"
SID = "DenyIsolationTagChange"


def _tagging(key: str, value: str = "team-b@example.com") -> dict:
    """The context of a request that sets tag `key` (IAM User Guide, "Controlling access to and for IAM users and roles
    using tags": aws:RequestTag/<key> and aws:TagKeys)."""
    return {f"aws:RequestTag/{key}": value, "aws:TagKeys": [key]}


# (action, resource, context) of every way to give a principal a tag; UntagRole/UntagUser carry only aws:TagKeys.
def _ways(key: str) -> list[tuple[str, str, dict]]:
    return [("iam:TagRole", TEAM_ROLE, _tagging(key)), ("iam:CreateRole", TEAM_ROLE, _tagging(key)),
            ("iam:UntagRole", TEAM_ROLE, {"aws:TagKeys": [key]}),
            ("iam:TagUser", TEAM_USER, _tagging(key)), ("iam:CreateUser", TEAM_USER, _tagging(key)),
            ("iam:UntagUser", TEAM_USER, {"aws:TagKeys": [key]}),
            # AssumeRole with Tags / TransitiveTagKeys: the session tag overrides the role's own (IAM User Guide,
            # "Pass session tags in AWS STS"); AWS authorizes it as sts:TagSession on the role.
            ("sts:TagSession", TEAM_ROLE, {**_tagging(key), "sts:TransitiveTagKeys": [key]}),
            ("sts:GetFederationToken", FEDERATED, _tagging(key))]


def _ids(ways):
    return [action for action, _, _ in ways]


@pytest.mark.parametrize("key", ["Owner", "owner", "OWNER"])
@pytest.mark.parametrize("action,resource,context", _ways("Owner"), ids=_ids(_ways("Owner")))
def test_an_admin_cannot_give_a_principal_the_isolation_tag(suite, key, action, resource, context):
    """Tag keys are case-insensitive in IAM and STS (a session tag `owner` replaces the role's `Owner`: STS API
    Reference, AssumeRole `Tags`), so every spelling is denied."""
    context = {k.replace("Owner", key): ([key] if isinstance(v, list) else v) for k, v in context.items()}
    assert _member(ADMIN, action, resource, suite=suite, **context) == "ExplicitlyDenied"


@pytest.mark.parametrize("action,resource,context", _ways("Owner"), ids=_ids(_ways("Owner")))
def test_the_provisioning_role_can(suite, action, resource, context):
    """CloudFormation's execution role creates and tags the teams' roles from reviewed templates."""
    assert _member(CDK_EXEC, action, resource, suite=suite, **context) == "Allowed"


@pytest.mark.parametrize("key", ["CostCenter", "Project", "Owners", "TeamOwner"])
@pytest.mark.parametrize("action,resource,context", _ways("Owner"), ids=_ids(_ways("Owner")))
def test_other_tags_stay_free_for_everyone(suite, key, action, resource, context):
    context = {k.replace("Owner", key): ([key] if isinstance(v, list) else v) for k, v in context.items()}
    assert _member(ADMIN, action, resource, suite=suite, **context) == "Allowed"


def test_a_request_carrying_the_tag_among_others_is_denied(suite):
    context = {"aws:RequestTag/Project": "x", "aws:RequestTag/Owner": "team-b@example.com", "aws:TagKeys": ["Project", "Owner"]}
    assert _member(ADMIN, "iam:TagRole", TEAM_ROLE, suite=suite, **context) == "ExplicitlyDenied"


def _without_the_statement(suite) -> list[dict]:
    scps = suite.scps()
    assert sum(s.get("Sid") == SID for d in scps for s in d["Statement"]) == 1
    return [without(d, SID) for d in scps]


@pytest.mark.parametrize("action,resource,context", _ways("Owner"), ids=_ids(_ways("Owner")))
def test_dropping_the_statement_reopens_the_gap(suite, action, resource, context):
    assert _member(ADMIN, action, resource, scps=_without_the_statement(suite), **context) == "Allowed"


def test_a_case_sensitive_comparison_lets_a_differently_cased_key_through(suite):
    """The old way (ForAnyValue:StringEquals) matches `Owner` only; `owner` is the same IAM tag key."""
    condition = next(s["Condition"] for d in suite.scps() for s in d["Statement"] if s.get("Sid") == SID)
    sensitive = {("ForAnyValue:StringEquals" if k == "ForAnyValue:StringEqualsIgnoreCase" else k): v for k, v in condition.items()}
    scps = [replaced(d, SID, Condition=sensitive) for d in suite.scps()]
    assert _member(ADMIN, "iam:TagRole", TEAM_ROLE, scps=scps, **_tagging("Owner")) == "ExplicitlyDenied"
    assert _member(ADMIN, "iam:TagRole", TEAM_ROLE, scps=scps, **_tagging("owner")) == "Allowed"



def test_single_account_the_printed_statement_attached_to_a_role_protects_the_tag(suite):
    """The boundary does not carry the statement (no room under 6,144 characters); docs/team-isolation.md tells a
    single-account user to attach `guardrails policy scp`'s statement to the roles that may tag principals."""
    (statement,) = [s for d in suite.scps() for s in d["Statement"] if s.get("Sid") == SID]
    own_policy = {"Version": "2012-10-17", "Statement": [statement]}
    role = f"arn:aws:iam::{ACCOUNT}:role/TeamBAnalyst"

    def tag_role(identity):
        request = Request(SINGLE_ADMIN, "iam:TagRole", role, ACCOUNT, _tagging("owner"))
        return simulate(request, Policies(identity=identity, boundary=suite.boundary())).result

    assert tag_role([ALLOW_ALL]) == "Allowed"
    assert tag_role([ALLOW_ALL, own_policy]) == "ExplicitlyDenied"
