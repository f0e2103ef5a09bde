"""SARIF rule descriptors carry the controls each rule evidences: as tags (what GitHub code scanning shows
and filters on) and per framework in the rule's property bag, still valid SARIF 2.1.0."""

from __future__ import annotations

import json

import jsonschema

from guardrails.reports import sarif
from guardrails.rules.compliance import by_framework, related_requirements
from tests.conftest import SARIF_SCHEMA, domain, resources, scan_template


def test_rule_descriptors_carry_compliance_tags_and_frameworks():
    log = json.loads(sarif.render(scan_template(resources(Bad=domain())), "1.2.3"))
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    rotation = rules["BedrockGuardrails-KeyRotation"]["properties"]
    assert "CIS AWS Foundations Benchmark v5.0.0/3.6" in rotation["tags"] and "security" in rotation["tags"]
    assert rotation["compliance"] == by_framework("BedrockGuardrails-KeyRotation")
    workspace = rules["BedrockGuardrails-WorkspaceCMK"]["properties"]
    assert set(related_requirements("BedrockGuardrails-WorkspaceCMK")) <= set(workspace["tags"])
    assert "HIPAA 164.312(a)(2)(iv)" in workspace["tags"]
