"""CSV: a `fix` column for open findings, empty for passing resources and accepted exceptions."""

import csv
import io

from guardrails.audit.reports import render


def test_fix_column(mixed_report):
    rows = {row["rule"]: row for row in csv.DictReader(io.StringIO(render("csv", mixed_report)))}
    assert "migrate-plan --domain-id dzd_abc123" in rows["BedrockGuardrails-WorkspaceCMK"]["fix"]
    assert rows["BedrockGuardrails-KeyRotation[RotationDisabled]"]["fix"].startswith("`guardrails audit --fix`")
    assert rows["BedrockGuardrails-KeyOwnershipTags"]["fix"] == "" and rows["BedrockGuardrails-ResourceCMK"]["fix"] == ""
