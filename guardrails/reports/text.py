"""Readable text for people: a rich table on a terminal; plain lines in pipes and for large reports.

A rich table of thousands of rows takes seconds to lay out and is unreadable anyway, so past
TABLE_LIMIT findings (or when stdout is not a terminal) each finding is two plain lines that grep,
less and CI logs handle well.
"""

from __future__ import annotations

import io
import sys

from guardrails.reports.safe_text import printable
from guardrails.rules.input_coverage import RULE as COVERAGE_RULE

TABLE_LIMIT = 1000
_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _where(f) -> str:
    return f"{printable(f.template)}{':' + str(f.line) if f.line else ''}"


def _plain_findings(report) -> str:
    lines = []
    for f in report.findings:
        path = f" ({printable(f.path)})" if f.path else ""
        lines.append(f"{f.severity.value.upper():7} {printable(f.rule_id)} {_where(f)} {printable(f.logical_id)}{path}: "
                     f"{printable(f.message)}")
        lines.append(f"        Fix: {printable(f.remediation)}")
    return "\n".join(lines) + ("\n" if lines else "")


def _table(report) -> str:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    def safe(value) -> str:  # template text is neither a terminal escape nor rich markup
        return escape(printable(value))

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, highlight=False, soft_wrap=False)
    table = Table(show_lines=True, title="Bedrock CMK Guardrails findings")
    table.add_column("severity")
    table.add_column("rule", no_wrap=True)  # ids are copied into acknowledgments: never fold them
    table.add_column("resource", overflow="fold")
    table.add_column("message and fix", overflow="fold", ratio=1)
    for f in report.findings:
        where = f"{escape(_where(f))}\n{safe(f.logical_id)}" + (f"\n{safe(f.path)}" if f.path else "")
        table.add_row(f"[{_STYLE[f.severity.value]}]{f.severity.value}[/]", safe(f.rule_id), where,
                      f"{safe(f.message)}\n[dim]Fix: {safe(f.remediation)}[/]")
    console.print(table)
    return buffer.getvalue()


def _summary(report) -> str:
    summary, kpis = report.summary(), report.kpis
    coverage = "n/a" if kpis["cmk_coverage_pct"] is None else f"{kpis['cmk_coverage_pct']}%"
    lines = [f"{summary['templates']} templates, {summary['resources']} resources: "
             f"{summary['errors']} errors, {summary['warnings']} warnings, {summary['info']} info; "
             f"{kpis['exceptions']} acknowledged exceptions; workspaces on CMKs: "
             f"{kpis['workspaces_cmk']}/{kpis['workspaces']} ({coverage})"]
    for exception in report.exceptions:
        f = exception.finding
        lines.append(f"  acknowledged {printable(f.rule_id)} on {printable(f.template)} {printable(f.logical_id)}: "
                     f"{printable(exception.acknowledgment.reason)}")
    lines.extend(f"  skipped {printable(path)}: {printable(why)}" for path, why in report.skipped)
    if summary.get("not_examined"):
        lines.append(f"  not examined or ambiguous: {summary['not_examined']} (the {COVERAGE_RULE.id} warnings)")
    return "\n".join(lines) + "\n"


def render(report, tool_version: str, *, terminal: bool | None = None) -> str:
    terminal = sys.stdout.isatty() if terminal is None else terminal
    if not report.findings:
        body = ""
    elif terminal and len(report.findings) <= TABLE_LIMIT:
        body = _table(report)
    else:
        body = _plain_findings(report)
    return body + _summary(report)
