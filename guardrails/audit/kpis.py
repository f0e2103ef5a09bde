"""KPIs of one audit: CMK coverage overall, by account-region, by resource type and by Owner tag; open findings."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from guardrails.audit.model import COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, AuditResult, Finding


# Compliant Bedrock resources' tags are not read (one call each, for nothing to judge): their owner is unknown.
UNKNOWN_OWNER = "(no Owner tag read)"


def _resources(findings: list[Finding]) -> dict[str, list[Finding]]:
    by_arn: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_arn[finding.resource].append(finding)
    return by_arn


def _coverage(groups: dict[str, list[list[Finding]]]) -> dict[str, dict[str, Any]]:
    table = {}
    for name, resources in sorted(groups.items()):
        on_cmk = sum(1 for fs in resources if fs[0].on_cmk)
        table[name] = {"resources": len(resources), "on_cmk": on_cmk, "pct_on_cmk": _pct(on_cmk, len(resources)),
                       "non_compliant": sum(1 for fs in resources if any(f.status == NON_COMPLIANT for f in fs))}
    return table


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def compute_kpis(result: AuditResult) -> dict[str, Any]:
    resources = _resources([f for f in result.findings if f.status != NOT_APPLICABLE])
    by_scope: dict[str, list[list[Finding]]] = defaultdict(list)
    by_type: dict[str, list[list[Finding]]] = defaultdict(list)
    by_owner: dict[str, list[list[Finding]]] = defaultdict(list)
    for fs in resources.values():
        by_scope[f"{fs[0].account}/{fs[0].region}"].append(fs)
        by_type[fs[0].resource_type].append(fs)
        by_owner[next((f.owner for f in fs if f.owner), UNKNOWN_OWNER)].append(fs)
    on_cmk = sum(1 for fs in resources.values() if fs[0].on_cmk)
    compliant = sum(1 for fs in resources.values() if all(f.status == COMPLIANT for f in fs))
    return {
        "resources": len(resources),
        "on_cmk": on_cmk,
        "pct_on_cmk": _pct(on_cmk, len(resources)),
        "compliant_resources": compliant,
        "non_compliant_resources": len(resources) - compliant,
        "open_findings": len(result.open_findings),
        "exceptions": len(result.exceptions),
        "not_applicable": len({f.resource for f in result.findings if f.status == NOT_APPLICABLE}),
        "not_evaluated": len(result.not_evaluated),
        "scopes": len(result.scopes),
        "by_account_region": _coverage(by_scope),
        "by_resource_type": _coverage(by_type),
        "by_owner": _coverage(by_owner),
    }
