"""`guardrails rules` shows each rule's compliance controls (text and JSON)."""

from __future__ import annotations

import json

from guardrails.cli.main import main
from guardrails.rules import CATALOG
from guardrails.rules.compliance import by_framework


def test_json_has_a_compliance_field_per_rule(capsys):
    assert main(["rules", "--format", "json"]) == 0
    rules = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert set(rules) == {r.id for r in CATALOG}
    assert all(rules[rid]["compliance"] == by_framework(rid) for rid in rules)
    assert rules["BedrockGuardrails-KeyRotation"]["compliance"]["PCI DSS v4.0.1"] == ["3.7.4"]


def test_text_lists_controls_per_framework(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "Controls: NIST SP 800-53 Rev. 5 SC-12, SC-12(2), SC-28(3); CIS AWS Foundations Benchmark v5.0.0 3.6" in out
    assert "Controls: none" in out  # the meta rule on acknowledgment reasons evidences no control itself
