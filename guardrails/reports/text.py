"""A readable table for people, through rich (plain text when not on a terminal)."""

from __future__ import annotations

import io
import sys

from rich.console import Console
from rich.table import Table

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render(report, tool_version: str) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=sys.stdout.isatty(), width=160 if not sys.stdout.isatty() else None,
                      highlight=False, soft_wrap=False)
    if report.findings:
        table = Table(show_lines=True, title="Bedrock CMK Guardrails findings")
        for column in ("severity", "rule", "resource", "message and fix"):
            table.add_column(column, overflow="fold")
        for f in report.findings:
            where = f"{f.template}{':' + str(f.line) if f.line else ''}\n{f.logical_id}" + (f"\n{f.path}" if f.path else "")
            table.add_row(f"[{_STYLE[f.severity.value]}]{f.severity.value}[/]", f.rule_id, where,
                          f"{f.message}\n[dim]Fix: {f.remediation}[/]")
        console.print(table)
    summary, kpis = report.summary(), report.kpis
    coverage = "n/a" if kpis["cmk_coverage_pct"] is None else f"{kpis['cmk_coverage_pct']}%"
    console.print(f"{summary['templates']} templates, {summary['resources']} resources: "
                  f"{summary['errors']} errors, {summary['warnings']} warnings, {summary['info']} info; "
                  f"{kpis['exceptions']} acknowledged exceptions; workspaces on CMKs: "
                  f"{kpis['workspaces_cmk']}/{kpis['workspaces']} ({coverage})")
    for exception in report.exceptions:
        f = exception.finding
        console.print(f"  acknowledged {f.rule_id} on {f.template} {f.logical_id}: {exception.acknowledgment.reason}")
    for path, why in report.skipped:
        console.print(f"  skipped {path}: {why}")
    return buffer.getvalue()
