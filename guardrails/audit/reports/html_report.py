"""One self-contained HTML file (no network, no CDN, no libraries): CMK-coverage bar charts by account-region,
resource type and Owner tag and the --history trend, drawn as inline SVG with accessible labels; findings
per compliance framework and control; the findings table with what to do about each, filtered and sorted
by a few lines of inline script. Opens offline and survives being mailed around."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from guardrails.audit.reports.compliance_summary import by_control
from guardrails.audit.reports.fixes import fix_for

from guardrails.audit.kpis import UNKNOWN_OWNER

BAR_WIDTH = 360  # px of a 100 % bar
TREND_WIDTH, TREND_HEIGHT = 480, 160  # px of the trend plot


def _bars(table: dict) -> list[dict]:
    return [{"label": name, "pct": row["pct_on_cmk"] or 0.0, "on_cmk": row["on_cmk"], "resources": row["resources"],
             "width": round(BAR_WIDTH * (row["pct_on_cmk"] or 0.0) / 100, 1), "non_compliant": row["non_compliant"]}
            for name, row in table.items()]


def _trend(history: dict | None) -> dict | None:
    """Polyline points for coverage (0-100 %) and open findings (0-max) over the history's last runs."""
    points = (history or {}).get("trend") or []
    if len(points) < 2:
        return None
    max_open = max((p.get("open_findings") or 0) for p in points) or 1
    step = TREND_WIDTH / (len(points) - 1)

    def line(value_of) -> str:
        return " ".join(f"{40 + i * step:.1f},{10 + TREND_HEIGHT * (1 - value_of(p)):.1f}" for i, p in enumerate(points))
    return {"points": points, "width": TREND_WIDTH, "height": TREND_HEIGHT, "max_open": max_open,
            "coverage_points": line(lambda p: (p.get("pct_on_cmk") or 0) / 100),
            "open_points": line(lambda p: (p.get("open_findings") or 0) / max_open),
            "first_pct": points[0].get("pct_on_cmk"), "last_pct": points[-1].get("pct_on_cmk"),
            "first_open": points[0].get("open_findings"), "last_open": points[-1].get("open_findings")}


def type_label(resource_type: str) -> str:
    """One naming for every row: custom models have no CloudFormation type, but read like the others."""
    return resource_type if resource_type.startswith("AWS::") else f"AWS::{resource_type}"


def render(report) -> str:
    env = Environment(loader=FileSystemLoader(Path(__file__).parent), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    return env.get_template("audit_report.html.j2").render(
        report=report, kpis=report.kpis, findings=report.findings, gaps=report.result.not_evaluated,
        charts=[("CMK coverage by account and region", _bars(report.kpis["by_account_region"])),
                ("CMK coverage by resource type", _bars({type_label(k): v for k, v in report.kpis["by_resource_type"].items()})),
                ("CMK coverage by owner (Owner tag)", _bars(report.kpis.get("by_owner", {})))],
        bar_width=BAR_WIDTH, frameworks=by_control(report.findings), fix_for=fix_for, type_label=type_label,
        trend=_trend(report.history), unknown_owner=UNKNOWN_OWNER,
        statuses=sorted({"EXCEPTION" if f.exception else f.status for f in report.findings}),
        types=sorted({type_label(f.resource_type) for f in report.findings}),
        owners=sorted({f.owner or UNKNOWN_OWNER for f in report.findings}))
