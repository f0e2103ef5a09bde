"""JSON: `findings`, `summary` (counts and acknowledged exceptions with reasons) and `kpis`."""

from typing import Iterator

from guardrails.reports import json_stream


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


def chunks(report, tool_version: str) -> Iterator[str]:
    """The report in pieces, a finding at a time (json_stream): --output and stdout get it as it is encoded."""
    yield from json_stream.chunks({
        "tool": {"name": "bedrock-cmk-guardrails", "version": tool_version},
        "findings": (finding_dict(f) for f in report.findings),
        "summary": report.summary(),
        "kpis": report.kpis,
    })
    yield "\n"


def render(report, tool_version: str) -> str:
    return "".join(chunks(report, tool_version))
