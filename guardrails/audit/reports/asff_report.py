"""`--format asff`: a JSON array of ASFF findings, the shape BatchImportFindings takes (as Prowler writes
its ASFF output); `--security-hub` imports the same findings (guardrails/audit/security_hub.py)."""

from __future__ import annotations

import json

from guardrails.audit.reports.asff import asff_findings


def render(report) -> str:
    return json.dumps(asff_findings(report), indent=2) + "\n"
