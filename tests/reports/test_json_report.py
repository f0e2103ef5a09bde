"""The JSON report: exactly the document json.dumps(indent=2) writes, though its findings are written faster."""

from __future__ import annotations

import json

from hypothesis import given, settings, strategies as st

from guardrails.engine import ScanReport
from guardrails.reports import json_report
from guardrails.rules import Finding, Severity, reportable_ids
from tests.conftest import domain, resources, scan_template


def _reference(report, version: str) -> str:
    """What the report was before its findings were written by hand: one json.dumps of the whole document."""
    return json.dumps({"tool": {"name": "bedrock-cmk-guardrails", "version": version},
                       "findings": [json_report.finding_dict(f) for f in report.findings],
                       "summary": report.summary(), "kpis": report.kpis}, indent=2) + "\n"


class _Node(str):
    """A str subclass, as cfn-lint's YAML decoder makes for values a finding may carry."""


TEXT = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(["", "\x00findings\x00", '"]\n', "é✓\U0001F600"])
FINDINGS = st.builds(
    Finding, rule_id=st.sampled_from(reportable_ids()), severity=st.sampled_from(list(Severity)), template=TEXT,
    logical_id=TEXT | TEXT.map(_Node) | st.integers(), resource_type=TEXT, property=TEXT, message=TEXT, remediation=TEXT,
    path=st.none() | TEXT, line=st.none() | st.integers(min_value=-(10 ** 30), max_value=10 ** 30))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(FINDINGS, max_size=4), TEXT)
def test_the_document_is_json_dumps_byte_for_byte(findings, version):
    report = ScanReport(findings=findings, templates=["\x00findings\x00"], skipped=[("\x00findings\x00", "why")])
    assert json_report.render(report, version) == _reference(report, version)


def test_a_scans_report_is_json_dumps_byte_for_byte_and_reads_back():
    report = scan_template(resources(**{f"Domain{i}": domain() for i in range(3)}))
    out = json_report.render(report, "1.0")
    assert out == _reference(report, "1.0")
    assert [f["logical_id"] for f in json.loads(out)["findings"]] == ["Domain0", "Domain1", "Domain2"]
