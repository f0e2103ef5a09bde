"""The synthesized key policies against the cited service facts (guardrails/constructs/service_key_facts.py).

Which principal a service calls KMS as and which encryption-context key it sends cannot be simulated offline;
the facts table holds them with their AWS source, and each construct's template must grant what its row says.
"""

from __future__ import annotations

import fnmatch
from dataclasses import fields

import pytest
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from guardrails.constructs import (CompliantAgent, CompliantDataSource, CompliantFlow, CompliantGuardrail, CompliantKnowledgeBase,
                                   CompliantPrompt, WorkspaceKey)
from guardrails.constructs import service_key_facts as facts
from tests.constructs.conftest import OWNERSHIP, new_stack, only

S3_SOURCE = {"type": "S3", "s3Configuration": {"bucketArn": "arn:aws:s3:::research-notes"}}
BUILDERS = {
    facts.BEDROCK_AGENT: lambda s, k, r: CompliantAgent(s, "R", key=k, role=r, agent_name="a", foundation_model="m"),
    facts.BEDROCK_FLOW: lambda s, k, r: CompliantFlow(s, "R", key=k, execution_role=r, name="f"),
    facts.BEDROCK_PROMPT: lambda s, k, r: CompliantPrompt(s, "R", key=k, name="p"),
    facts.BEDROCK_GUARDRAIL: lambda s, k, r: CompliantGuardrail(s, "R", key=k, name="g", blocked_input_messaging="n",
                                                                blocked_outputs_messaging="n"),
    facts.BEDROCK_DATA_SOURCE: lambda s, k, r: CompliantDataSource(s, "R", key=k, knowledge_base_id="KB12345678", name="s",
                                                                   data_source_configuration=S3_SOURCE),
    facts.BEDROCK_KNOWLEDGE_BASE: lambda s, k, r: CompliantKnowledgeBase(s, "R", key=k, role=r, name="kb"),
}


def _key_statements(fact: facts.ServiceKeyUse) -> list[dict]:
    """The key policy of a WorkspaceKey that only `fact`'s construct has used."""
    stack = new_stack()
    key = WorkspaceKey(stack, "Ws", **OWNERSHIP)
    BUILDERS[fact](stack, key, iam.Role(stack, "Role", assumed_by=iam.ServicePrincipal("bedrock.amazonaws.com")))
    return only(Template.from_stack(stack), "AWS::KMS::Key")["Properties"]["KeyPolicy"]["Statement"]


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _allows(statement: dict, action: str) -> bool:
    return statement["Effect"] == "Allow" and any(fnmatch.fnmatchcase(action, a) for a in _as_list(statement["Action"]))


def _context_keys(statement: dict) -> set[str]:
    return set(_as_list(statement.get("Condition", {}).get("ForAnyValue:StringEquals", {}).get("kms:EncryptionContextKeys", [])))


@pytest.mark.parametrize("fact", list(BUILDERS), ids=lambda f: f.what)
def test_each_bedrock_type_gets_what_its_encryption_page_documents(fact):
    """Issue #10 item 6: on the old policy the prompt's context key aws:bedrock-prompts:arn was missing."""
    policy = _key_statements(fact)
    for action in fact.actions:
        if fact.principal == "caller":  # the calling role, through Bedrock, in this account
            assert any(_allows(s, action) and "AWS" in s["Principal"] and
                       s.get("Condition", {}).get("StringEquals", {}).get("kms:ViaService") == "bedrock.us-east-1.amazonaws.com"
                       for s in policy), (fact.what, action)
        else:
            assert any(_allows(s, action) and s["Principal"] == {"Service": fact.principal} and
                       (fact.context_key is None or fact.context_key in _context_keys(s)) for s in policy), (fact.what, action)


def test_every_bedrock_type_the_constructs_support_has_a_fact():
    from guardrails import constructs
    helpers = {name for name in dir(constructs) if name.startswith("Compliant") and name != "CompliantWorkspace"}
    assert helpers == {"CompliantAgent", "CompliantDataSource", "CompliantFlow", "CompliantGuardrail", "CompliantKnowledgeBase",
                       "CompliantPrompt"}
    assert len(BUILDERS) == len(helpers), "a new Bedrock helper needs its row in service_key_facts and a builder here"


def test_every_fact_names_its_aws_source():
    rows = [v for v in vars(facts).values() if isinstance(v, (facts.ServiceKeyUse, facts.RoleTrust))]
    assert len(rows) >= 15
    for row in rows:
        assert "https://docs.aws.amazon.com/" in row.source, row
        assert all(getattr(row, f.name) is not None for f in fields(row) if f.name in ("actions", "source"))


def test_kms_actions_in_the_facts_exist_in_policy_sentry():
    from policy_sentry.querying.actions import get_action_data

    for row in vars(facts).values():
        if isinstance(row, facts.ServiceKeyUse):
            for action in row.actions:
                name = action.split(":")[1].rstrip("*")
                assert any(a["action"].lower().startswith(f"kms:{name}".lower())
                           for a in get_action_data("kms", "*")["kms"]), action
