"""CSV: one row per finding, for spreadsheets (`exception`: the accepted exception's reason); not-evaluated
scopes as rows with status NOT_EVALUATED."""

from __future__ import annotations

import csv
import io

COLUMNS = ("account", "region", "resource_type", "resource", "name", "status", "rule", "reason", "key", "exception")


def render(report) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for finding in report.findings:
        writer.writerow(finding.as_dict())
    for gap in report.result.not_evaluated:
        writer.writerow({"account": gap.account, "region": gap.region, "resource_type": gap.what,
                         "status": "NOT_EVALUATED", "reason": gap.reason})
    return buffer.getvalue()
