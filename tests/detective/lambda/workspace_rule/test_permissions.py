"""The rule function's IAM policy grants exactly the AWS APIs its handler calls: no more, no less.

Every handler scenario (test_handler.py, test_exceptions.py) runs again here in a fresh world whose
clients record each call through botocore's `before-call` event; each call maps to its IAM action via
botocore's service model (api_calls.iam_action). That set must equal the actions of the synthesized
policy's handler statements; the two runtime statements hold only what the Lambda service does with the
role. Every action in the policy must exist in policy_sentry's IAM database.
"""

from __future__ import annotations

import functools
import inspect

import pytest
from aws_cdk import App, Stack
from aws_cdk.assertions import Template
from policy_sentry.querying.actions import get_action_data

from guardrails.detective.config_rules import WorkspaceConfigRule
from guardrails.detective.notifications import AlertTopic
from guardrails.settings import Settings

from guardrails.detective.lambda_permissions import NEWER_THAN_POLICY_SENTRY

from . import test_exceptions, test_handler, test_kinds
from .api_calls import iam_action
from .conftest import make_world

SCENARIO_MODULES = (test_handler, test_exceptions, test_kinds)
RUNTIME_STATEMENTS = {"Logs": {"logs:CreateLogStream", "logs:PutLogEvents"},  # Lambda writes the function's logs
                      "DeadLetters": {"sqs:SendMessage"},  # Lambda sends a failed asynchronous invocation
                      "ReadCmkEncryptedBedrock": {"kms:Decrypt"}}  # Bedrock decrypts what Get* returns, as the caller


def _scenarios():
    """Every scenario as a function of `world`; a scenario parametrized over the inventory's kinds runs once per kind."""
    for module in SCENARIO_MODULES:
        for name, function in vars(module).items():
            if name.startswith("test_") and inspect.isfunction(function):
                params = list(inspect.signature(function).parameters)
                marks = [m for m in getattr(function, "pytestmark", []) if m.name == "parametrize"]
                if params == ["world"]:
                    yield function
                    continue
                assert len(marks) == 1 and params == ["world", marks[0].args[0]], \
                    f"{name}: a scenario takes `world` and at most one parametrized argument"
                for value in marks[0].args[1]:
                    yield functools.partial(function, **{marks[0].args[0]: value})


@pytest.fixture(scope="module")
def handler_actions() -> set[str]:
    calls = set()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        for scenario in _scenarios():
            with make_world() as world:
                scenario(world)
                calls |= world.api_calls
    return {iam_action(model) for model in calls}


@pytest.fixture(scope="module")
def policy_statements() -> dict[str, set[str]]:
    stack = Stack(App(), "Probe")
    WorkspaceConfigRule(stack, "WorkspaceRule", settings=Settings(), alerts=AlertTopic(stack, "Alerts", settings=Settings()))
    policies = Template.from_stack(stack).find_resources("AWS::IAM::ManagedPolicy")
    assert len(policies) == 1
    statements = next(iter(policies.values()))["Properties"]["PolicyDocument"]["Statement"]
    return {s["Sid"]: {s["Action"]} if isinstance(s["Action"], str) else set(s["Action"]) for s in statements}


def test_the_scenarios_reach_every_kind_of_call(handler_actions):
    """A sanity floor: the recorder sees calls to every service the handler uses."""
    assert {action.split(":")[0] for action in handler_actions} == {"datazone", "bedrock", "bedrock-agentcore", "kms", "config",
                                                                   "cloudwatch", "dynamodb"}


def test_the_policy_grants_exactly_the_handlers_calls(handler_actions, policy_statements):
    granted = set().union(*(actions for sid, actions in policy_statements.items() if sid not in RUNTIME_STATEMENTS))
    assert sorted(granted - handler_actions) == [], "granted but never called: remove, or add the scenario that calls it"
    assert sorted(handler_actions - granted) == [], "called but not granted: add to guardrails/detective/lambda_permissions.py"


def test_the_runtime_statements_hold_only_what_lambda_does_with_the_role(policy_statements):
    assert {sid: policy_statements.get(sid) for sid in RUNTIME_STATEMENTS} == RUNTIME_STATEMENTS


def test_bedrock_may_decrypt_for_the_rule_only_through_bedrock():
    """Issue #10 item 7: GetAgent/GetFlow/GetPrompt/GetGuardrail on a CMK resource need kms:Decrypt for the caller;
    without it the rule saw AccessDenied for every CMK resource. Only through Bedrock, never directly."""
    stack = Stack(App(), "Probe")
    WorkspaceConfigRule(stack, "WorkspaceRule", settings=Settings(), alerts=AlertTopic(stack, "Alerts", settings=Settings()))
    [policy] = Template.from_stack(stack).find_resources("AWS::IAM::ManagedPolicy").values()
    [statement] = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Sid"] == "ReadCmkEncryptedBedrock"]
    assert statement["Action"] == "kms:Decrypt"
    via = statement["Condition"]["StringEquals"]["kms:ViaService"]
    assert "bedrock." in str(via) and ".amazonaws.com" in str(via)


def test_every_granted_action_exists_in_policy_sentrys_database(policy_statements):
    unknown = []
    for action in sorted(set().union(*policy_statements.values())):
        prefix, name = action.split(":")
        if not get_action_data(prefix, name):
            unknown.append(action)
    assert unknown == sorted(NEWER_THAN_POLICY_SENTRY)


def test_the_actions_newer_than_policy_sentry_are_named_by_awss_rule():
    """signing name + operation name, the rule every other Bedrock and AgentCore action of the policy follows
    (checked here on those policy_sentry knows), for the calls policy_sentry's database does not know yet."""
    import boto3

    from .api_calls import iam_action

    services = ("bedrock-agent", "bedrock", "bedrock-agent-runtime", "bedrock-data-automation", "bedrock-agentcore-control")
    models = [boto3.client(s, region_name="us-east-1").meta.service_model for s in services]
    named = {f"{m.signing_name}:{op}": m.operation_model(op) for m in models for op in m.operation_names}
    assert set(NEWER_THAN_POLICY_SENTRY) <= set(named)
    known = [a for a in named if a.split(":")[1].startswith(("List", "Get")) and get_action_data(*a.split(":"))]
    assert len(known) > 50 and all(iam_action(named[a]) == a for a in known)  # the rule holds where policy_sentry can say
