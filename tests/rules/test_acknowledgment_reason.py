"""BedrockGuardrails-AcknowledgmentReason (via the engine): templates/acknowledgment_reason/{pass,fail}."""

import pytest

from guardrails.rules.acknowledgment_reason import MIN_REASON, RULE
from guardrails.rules.workspace_cmk import RULE as WORKSPACE_RULE
from tests.conftest import domain, resources, scan_template, with_id
from tests.rules.template_cases import template_tests

test_pass, test_fail = template_tests("acknowledgment_reason", RULE.id)


def _acknowledged(rule_id: str, reason: str) -> dict:
    workspace = domain(None)
    workspace["Metadata"] = {"guardrails": {"acknowledged": [{"id": rule_id, "reason": reason}]}}
    return resources(Workspace=workspace)


@pytest.mark.parametrize("length", [MIN_REASON - 1, MIN_REASON, 40])
def test_reason_length_decides_whether_the_acknowledgment_is_honoured(length: int):
    report = scan_template(_acknowledged(WORKSPACE_RULE.id, "x" * length))
    honoured = length >= MIN_REASON
    assert bool(with_id(report, WORKSPACE_RULE.id)) is not honoured
    assert bool(with_id(report, RULE.id)) is not honoured
    assert report.kpis["exceptions"] == (1 if honoured else 0)
    if honoured:
        exception, = report.exceptions
        assert exception.acknowledgment.reason == "x" * length
        assert exception.finding.rule_id == WORKSPACE_RULE.id


def test_acknowledging_another_rule_leaves_the_finding():
    report = scan_template(_acknowledged("BedrockGuardrails-ResourceCMK", "a reason long enough"))
    assert with_id(report, WORKSPACE_RULE.id) and not report.exceptions


def test_the_most_specific_acknowledgment_decides_not_the_first():
    """A short resource-level reason is not rescued by a valid template-level one: the resource's decides."""
    template = _acknowledged(WORKSPACE_RULE.id, "short")
    template["Metadata"] = {"guardrails": {"acknowledged": [{"id": WORKSPACE_RULE.id, "reason": "the whole template is a lab"}]}}
    report = scan_template(template)
    assert with_id(report, WORKSPACE_RULE.id) and with_id(report, RULE.id) and not report.exceptions
    # the other way round: a valid resource-level reason decides over a short template-level one
    template = _acknowledged(WORKSPACE_RULE.id, "legacy workspace, migration SEC-42")
    template["Metadata"] = {"guardrails": {"acknowledged": [{"id": WORKSPACE_RULE.id, "reason": "lab"}]}}
    report = scan_template(template)
    assert not with_id(report, RULE.id) and report.exceptions[0].acknowledgment.reason.startswith("legacy")

