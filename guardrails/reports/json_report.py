"""JSON: `findings`, `summary` (counts and acknowledged exceptions with reasons) and `kpis`."""

import json


def finding_dict(finding) -> dict:
    return {
        "rule_id": finding.rule_id,
        "severity": finding.severity.value,
        "template": finding.template,
        "line": finding.line,
        "logical_id": finding.logical_id,
        "resource_type": finding.resource_type,
        "path": finding.path,
        "property": finding.property,
        "message": finding.message,
        "remediation": finding.remediation,
    }


def render(report, tool_version: str) -> str:
    return json.dumps({
        "tool": {"name": "bedrock-cmk-guardrails", "version": tool_version},
        "findings": [finding_dict(f) for f in report.findings],
        "summary": report.summary(),
        "kpis": report.kpis,
    }, indent=2) + "\n"
