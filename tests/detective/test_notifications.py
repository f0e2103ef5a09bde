"""The alerts key lets each publisher use it as AWS documents (service_key_facts), and nothing else changes."""

from __future__ import annotations

import pytest
from aws_cdk import App, Environment, Stack
from aws_cdk.assertions import Template

from guardrails.constructs import service_key_facts as facts
from guardrails.detective.notifications import AlertTopic
from guardrails.settings import Settings

SOURCE_KEYS = ("aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths")


@pytest.fixture(scope="module")
def key_statements() -> dict[str, dict]:
    stack = Stack(App(), "Alerts", env=Environment(account="111111111111", region="eu-west-1"))
    AlertTopic(stack, "Alerts", settings=Settings())
    [key] = Template.from_stack(stack).find_resources("AWS::KMS::Key").values()
    return {s["Sid"]: s for s in key["Properties"]["KeyPolicy"]["Statement"]}


def _for(statements: dict, principal: str) -> list[dict]:
    return [s for s in statements.values() if s["Principal"] == {"Service": principal} and s["Effect"] == "Allow"]


def _condition_keys(statement: dict) -> set[str]:
    return {k.lower() for block in statement.get("Condition", {}).values() for k in block}


@pytest.mark.parametrize("fact", [facts.EVENTBRIDGE_TO_ENCRYPTED_TOPIC, facts.CLOUDWATCH_ALARMS_TO_ENCRYPTED_TOPIC],
                         ids=lambda f: f.principal)
def test_each_publisher_gets_the_documented_actions_and_only_supported_conditions(key_statements, fact):
    """Issue #10 item 2: the old statement put aws:SourceAccount on events.amazonaws.com, which KMS never sees in
    EventBridge's request, so every KeylessCreates alert ended in FailedInvocations."""
    [statement] = _for(key_statements, fact.principal)
    assert sorted(statement["Action"]) == sorted(fact.actions)
    if not fact.source_conditions_supported:
        assert not _condition_keys(statement) & set(SOURCE_KEYS)
    else:
        assert statement["Condition"]["StringEquals"]["aws:SourceAccount"] == "111111111111"


def test_the_eventbridge_statement_grants_nothing_beyond_publishing(key_statements):
    [statement] = _for(key_statements, "events.amazonaws.com")
    assert set(statement["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey*"}  # no Encrypt, CreateGrant or admin
