"""JSON: `findings`, `kpis` and `not_evaluated`, for pipelines and dashboards. Each finding also carries
`fix` (what to do about an open finding, the text every format shares) and `requirements` (the compliance
controls its rule evidences, as ASFF spells them)."""

from __future__ import annotations

import json

from guardrails.audit.model import NON_COMPLIANT
from guardrails.audit.reports.fixes import fix_for
from guardrails.rules.compliance import related_requirements


def render(report) -> str:
    document = report.as_dict()
    for finding, data in zip(report.findings, document["findings"]):
        data["fix"] = fix_for(finding) if finding.status == NON_COMPLIANT and not finding.exception else ""
        data["requirements"] = related_requirements(finding.rule)
    return json.dumps(document, indent=2, sort_keys=False) + "\n"
