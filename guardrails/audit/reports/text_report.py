"""Plain text for a terminal: open findings, accepted exceptions, gaps, then the KPIs."""

from __future__ import annotations

from guardrails.audit.model import NON_COMPLIANT
from guardrails.audit.reports.fixes import fix_for


def render(report) -> str:
    k = report.kpis
    lines = []
    bad = [f for f in report.findings if f.status == NON_COMPLIANT]
    for f in bad:
        label = "EXCEPTION" if f.exception else "NON_COMPLIANT"
        lines.append(f"{label} {f.account}/{f.region} {f.resource_type} {f.name} [{f.rule}]\n    {f.resource}\n    {f.reason}"
                     + (f"\n    accepted: {f.exception}" if f.exception else f"\n    fix: {fix_for(f)}"))
    for gap in report.result.not_evaluated:
        lines.append(f"NOT_EVALUATED {gap.account}/{gap.region} {gap.what}: {gap.reason}")
    pct = "n/a" if k["pct_on_cmk"] is None else f"{k['pct_on_cmk']}%"
    lines.append(f"\n{k['resources']} resources in {k['scopes']} account-regions: {k['on_cmk']} on customer-managed keys "
                 f"({pct}), {k['non_compliant_resources']} non-compliant, {k['open_findings']} open findings, {k['exceptions']} accepted exceptions, "
                 f"{k['not_evaluated']} not evaluated, {k['not_applicable']} not applicable")
    if report.history:
        mttr = report.history["mttr_hours"]
        lines.append(f"history: {report.history['runs']} runs, MTTR "
                     f"{'n/a' if mttr is None else f'{mttr} h'} over {report.history['resolved_findings']} resolved findings")
    if report.result.interrupted:
        lines.append("interrupted: the results above are partial")
    return "\n".join(lines) + "\n"
