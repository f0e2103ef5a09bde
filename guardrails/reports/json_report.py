"""JSON: `findings`, `summary` (counts and acknowledged exceptions with reasons) and `kpis`.

The document is `json.dumps(..., indent=2)` byte for byte. With an indent, the standard library encodes
in Python, not C, and a scan's findings are most of the document: they are written here line by line
with the C string encoder json.dumps itself uses (tests/reports/test_json_report.py compares the two)."""

import json
from json.encoder import encode_basestring_ascii


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
    # json.dumps(indent=2) of {"tool", "findings", "summary", "kpis"}: each top-level entry is written alike
    # whatever its neighbours, so the two halves around the findings are json.dumps' own, joined at their braces
    head = json.dumps({"tool": {"name": "bedrock-cmk-guardrails", "version": tool_version}}, indent=2)
    tail = json.dumps({"summary": report.summary(), "kpis": report.kpis}, indent=2)
    return f'{head[:-2]},\n  "findings": {_findings(report.findings)},\n{tail[2:]}\n'


def _findings(findings) -> str:
    """The findings list as json.dumps(indent=2) writes it at the document's second level."""
    if not findings:
        return "[]"
    items = (",\n".join(f"      {encode_basestring_ascii(key)}: {_scalar(value)}" for key, value in finding_dict(f).items())
             for f in findings)
    return "[\n    {\n" + "\n    },\n    {\n".join(items) + "\n    }\n  ]"


def _scalar(value) -> str:
    if type(value) is str:
        return encode_basestring_ascii(value)
    if value is None:
        return "null"
    if type(value) is int:
        return int.__repr__(value)
    return json.dumps(value)  # anything else (a float, a str subclass): as json.dumps writes it
