"""The text report: a table on a terminal, plain lines elsewhere and for large reports."""

from __future__ import annotations

from guardrails.reports import text
from tests.conftest import domain, resources, scan_template


def _report(count: int):
    return scan_template(resources(**{f"Domain{i}": domain() for i in range(count)}))


def test_terminal_gets_a_table_with_finding_and_fix(monkeypatch):
    import re

    monkeypatch.setenv("COLUMNS", "160")
    out = text.render(_report(2), "0", terminal=True)
    assert "Bedrock CMK Guardrails findings" in out and "┏" in out
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "BedrockGuardrails-WorkspaceCMK" in plain and "Fix:" in plain  # rule ids are never folded


def test_pipes_get_two_plain_lines_per_finding():
    report = _report(3)
    out = text.render(report, "0", terminal=False)
    finding_lines = [line for line in out.splitlines() if line.startswith("ERROR ")]
    assert len(finding_lines) == len(report.findings) == 3
    assert all("BedrockGuardrails-WorkspaceCMK" in line and "Domain" in line for line in finding_lines)
    assert out.count("        Fix: ") == 3 and "\x1b[" not in out


def test_large_reports_are_plain_even_on_a_terminal():
    report = _report(text.TABLE_LIMIT + 1)
    out = text.render(report, "0", terminal=True)
    assert "Bedrock CMK Guardrails findings" not in out
    assert sum(line.startswith("ERROR ") for line in out.splitlines()) == text.TABLE_LIMIT + 1


def test_summary_line_counts_and_coverage():
    out = text.render(_report(2), "0", terminal=False)
    assert "2 errors" in out and "workspaces on CMKs: 0/2 (0.0%)" in out
