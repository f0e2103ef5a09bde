"""The rule judges exactly the kinds `guardrails audit` judges, through the shared live inventory, with a client
for each; what it reports to Config fits PutEvaluations' model."""

import boto3

from guardrails import live_inventory
from guardrails.audit.inventory import KINDS
from guardrails.detective.bundle import HANDLER_SERVICES
from workspace_rule.clients import Clients
from workspace_rule.inventory import CLIENT_ATTRIBUTE, CONFIG_TYPES, SOURCES


def test_the_rule_judges_every_kind_the_audit_judges():
    """The two drifted apart once (5 kinds against 21): the rule's kinds are the audit's, in the same order, plus
    the data sources the audit lists under each knowledge base (audit/inventory.py, _data_sources)."""
    audit = [kind.name for kind in KINDS]
    assert list(SOURCES) == list(live_inventory.SOURCES)
    assert [t for t in CONFIG_TYPES if t != live_inventory.DATA_SOURCE_TYPE] == audit
    assert CONFIG_TYPES.index(live_inventory.DATA_SOURCE_TYPE) == audit.index("AWS::Bedrock::KnowledgeBase") + 1


def test_every_kinds_service_has_a_client_and_a_bundled_model():
    assert all(CLIENT_ATTRIBUTE[s.service] in Clients.__dataclass_fields__ for s in SOURCES)
    assert {s.service for s in SOURCES} <= set(HANDLER_SERVICES)


def test_every_type_fits_put_evaluations():
    """ComplianceResourceType is a free string of 1-256 characters in botocore's model (no enum): Config takes types
    it does not record from a custom rule (AWS Config API Reference, Evaluation: 'Length Constraints: Minimum length
    of 1. Maximum length of 256.'). The scenarios send every type through botocore to moto's Config."""
    shape = boto3.client("config", region_name="us-east-1").meta.service_model.operation_model("PutEvaluations") \
        .input_shape.members["Evaluations"].member.members["ComplianceResourceType"]
    assert shape.type_name == "string" and not shape.enum
    assert all(shape.metadata["min"] <= len(t) <= shape.metadata["max"] for t in CONFIG_TYPES)
