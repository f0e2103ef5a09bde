"""JSON: `findings`, `summary` (counts and acknowledged exceptions with reasons) and `kpis`.

The document is `json.dumps(..., indent=2)` byte for byte, written a finding at a time (json_stream) so a big
report is never held whole. With an indent the standard library encodes in Python, not C, and the findings are
most of the document: each is written here with the C string encoder json.dumps itself uses
(tests/reports/test_json_report.py and test_json_stream.py compare the two)."""

import json
from json.encoder import encode_basestring_ascii
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
    """The report in pieces, a finding at a time: --output and stdout get it as it is encoded."""
    yield from json_stream.chunks({
        "tool": {"name": "bedrock-cmk-guardrails", "version": tool_version},
        "findings": iter(report.findings),
        "summary": report.summary(),
        "kpis": report.kpis,
    }, encode_item=_finding_text)
    yield "\n"


def render(report, tool_version: str) -> str:
    return "".join(chunks(report, tool_version))


def _finding_text(finding, pad: str) -> str:
    """json.dumps(finding_dict(finding), indent=2) as it stands in a list at depth `pad` (a finding is never empty)."""
    lines = ",\n".join(f"{pad}  {encode_basestring_ascii(key)}: {_scalar(value)}" for key, value in finding_dict(finding).items())
    return f"{{\n{lines}\n{pad}}}"


def _scalar(value) -> str:
    if type(value) is str:
        return encode_basestring_ascii(value)
    if value is None:
        return "null"
    if type(value) is int:
        return int.__repr__(value)
    return json.dumps(value)  # anything else (a float, a str subclass): as json.dumps writes it
