"""The HTML report: a per-framework section counted per control, a fix column (migrate-plan for a keyless
workspace, --fix for rotation), one type naming, ARNs that wrap without breaking every character."""

from __future__ import annotations

from html.parser import HTMLParser

from guardrails.audit.model import Finding
from guardrails.audit.reports import render
from guardrails.audit.reports.compliance_summary import by_control
from tests.audit.reports.conftest import ACCOUNT, REGION, make_report


class _Tables(HTMLParser):
    """Rows of every table as lists of cell texts, with the h3 heading before each table."""

    def __init__(self):
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self._heading, self._in, self._cell = "", None, None

    def handle_starttag(self, tag, attrs):
        if tag == "h3":
            self._in = "h3"
            self._heading = ""
        elif tag == "table":
            self.tables.append((self._heading, []))
        elif tag == "tr":
            self.tables[-1][1].append([])
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "h3":
            self._in = None
        elif tag in ("td", "th"):
            self.tables[-1][1][-1].append(self._cell.strip())
            self._cell = None

    def handle_data(self, data):
        if self._in == "h3":
            self._heading += data
        if self._cell is not None:
            self._cell += data


def tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return {heading or f"table{n}": rows for n, (heading, rows) in enumerate(parser.tables)}


def test_framework_section_counts_resources_per_control(mixed_report):
    html = render("html", mixed_report)
    found = tables(html)
    nist = {row[0]: row[1:] for row in found["NIST SP 800-53 Rev. 5"][1:]}
    # SC-12: the keyless domain and the unrotated agent are open; the guardrail passes.
    assert nist["SC-12"] == ["2", "0", "1"]
    assert nist["SC-28(3)"] == ["1", "0", "0"]  # only the rotation rule evidences SC-28(3)
    assert nist["CM-8(4)"] == ["0", "1", "0"]  # the ownership finding is an accepted exception
    assert found["CIS AWS Foundations Benchmark v5.0.0"][1] == ["3.6", "1", "0", "0"]


def test_fix_column_and_type_labels(mixed_report):
    html = render("html", mixed_report)
    rows = next(rows for rows in tables(html).values() if rows and rows[0][:2] == ["Status", "Account / region"])
    header, body = rows[0], rows[1:]
    fix = header.index("Fix")
    by_rule = {row[header.index("Rule")]: row for row in body}
    assert "guardrails migrate-plan --domain-id dzd_abc123 --region us-east-1" in by_rule["BedrockGuardrails-WorkspaceCMK"][fix]
    assert "guardrails audit --fix" in by_rule["BedrockGuardrails-KeyRotation[RotationDisabled]"][fix]
    assert by_rule["BedrockGuardrails-ResourceCMK"][fix] == ""  # nothing to fix on a compliant resource
    model = make_report(Finding(f"arn:aws:bedrock:{REGION}:{ACCOUNT}:custom-model/m", "Bedrock::CustomModel", "m", ACCOUNT,
                                REGION, "NON_COMPLIANT", "BedrockGuardrails-ResourceCMK", "AWS-owned key"))
    assert ">AWS::Bedrock::CustomModel<" in render("html", model)
    assert "word-break: break-all" not in html and "overflow-wrap: anywhere" in html


def test_by_control_counts_a_resource_once_at_its_worst(mixed_report):
    table = {fw["framework"]: {c["control"]: c for c in fw["controls"]} for fw in by_control(mixed_report.findings)}
    soc2 = table["SOC 2 (AICPA Trust Services Criteria 2017)"]["CC6.1"]
    # the agent has an open rotation finding and an excepted tag finding: it counts as open only
    assert (soc2["open"], soc2["exceptions"], soc2["passing"]) == (2, 0, 1)
