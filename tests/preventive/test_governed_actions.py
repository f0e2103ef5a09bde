"""Every governed type maps to real IAM actions, or is listed as uncovered because none exists yet."""

from policy_sentry.querying.actions import get_actions_for_service

from guardrails.preventive.governed_actions import ACTIONS, RUNTIME, UNCOVERED, governed_actions
from guardrails.rules.governed_types import GOVERNED_TYPES
from tests.preventive.iam_database import action_exists


def test_every_action_exists_in_policy_sentry():
    assert [a for a in governed_actions() if not action_exists(a)] == []


def test_every_governed_type_is_mapped_or_uncovered():
    assert set(ACTIONS) | UNCOVERED | set(RUNTIME) == GOVERNED_TYPES
    assert set(ACTIONS) <= GOVERNED_TYPES
    assert not set(RUNTIME) & (set(ACTIONS) | UNCOVERED)


def test_runtime_apis_are_never_denied():
    # an SCP deny on a runtime API would break applications in every governed account
    assert "bedrock:CreateSession" not in governed_actions()


def test_uncovered_types_really_have_no_create_action():
    # When AWS adds one to the database, this fails: map the type in ACTIONS.
    known = {a.split(":", 1)[1].lower() for svc in ("bedrock", "bedrock-agentcore") for a in get_actions_for_service(svc)}
    for resource_type in UNCOVERED:
        name = resource_type.rsplit("::", 1)[1]
        assert f"create{name}".lower() not in known, resource_type
