"""One self-contained HTML file (no scripts, no CDN): CMK-coverage bar charts drawn as inline SVG by
the template, the findings per compliance framework and control, and the findings table with what to do
about each. Opens offline and survives being mailed around."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from guardrails.audit.reports.compliance_summary import by_control
from guardrails.audit.reports.fixes import fix_for

BAR_WIDTH = 360  # px of a 100 % bar


def _bars(table: dict) -> list[dict]:
    return [{"label": name, "pct": row["pct_on_cmk"] or 0.0, "on_cmk": row["on_cmk"], "resources": row["resources"],
             "width": round(BAR_WIDTH * (row["pct_on_cmk"] or 0.0) / 100, 1)} for name, row in table.items()]


def type_label(resource_type: str) -> str:
    """One naming for every row: custom models have no CloudFormation type, but read like the others."""
    return resource_type if resource_type.startswith("AWS::") else f"AWS::{resource_type}"


def render(report) -> str:
    env = Environment(loader=FileSystemLoader(Path(__file__).parent), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    return env.get_template("audit_report.html.j2").render(
        report=report, kpis=report.kpis, findings=report.findings, gaps=report.result.not_evaluated,
        charts=[("CMK coverage by account and region", _bars(report.kpis["by_account_region"])),
                ("CMK coverage by resource type", _bars(report.kpis["by_resource_type"]))],
        bar_width=BAR_WIDTH, frameworks=by_control(report.findings), fix_for=fix_for, type_label=type_label)
