"""JSON findings carry the shared fix text and the rule's compliance requirements."""

import json

from guardrails.audit.reports import render
from guardrails.rules.compliance import related_requirements


def test_fix_and_requirements_per_finding(mixed_report):
    findings = {f["rule"]: f for f in json.loads(render("json", mixed_report))["findings"]}
    assert "migrate-plan --domain-id dzd_abc123" in findings["BedrockGuardrails-WorkspaceCMK"]["fix"]
    assert findings["BedrockGuardrails-KeyOwnershipTags"]["fix"] == ""  # an accepted exception
    assert findings["BedrockGuardrails-ResourceCMK"]["fix"] == ""  # compliant
    rotation = findings["BedrockGuardrails-KeyRotation[RotationDisabled]"]
    assert rotation["requirements"] == related_requirements("BedrockGuardrails-KeyRotation")
