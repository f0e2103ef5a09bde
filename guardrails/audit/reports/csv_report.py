"""CSV: one row per finding, for spreadsheets (`exception`: the accepted exception's reason, `fix`: what to do
about an open finding); not-evaluated scopes as rows with status NOT_EVALUATED."""

from __future__ import annotations

import csv
import io

from guardrails.audit.model import NON_COMPLIANT
from guardrails.audit.reports.fixes import fix_for

COLUMNS = ("account", "region", "resource_type", "resource", "name", "status", "rule", "reason", "key", "exception", "fix")


def render(report) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for finding in report.findings:
        fix = fix_for(finding) if finding.status == NON_COMPLIANT and not finding.exception else ""
        writer.writerow({**finding.as_dict(), "fix": fix})
    for gap in report.result.not_evaluated:
        writer.writerow({"account": gap.account, "region": gap.region, "resource_type": gap.what,
                         "status": "NOT_EVALUATED", "reason": gap.reason})
    return buffer.getvalue()
