"""SARIF through the scan's writer (guardrails.reports.sarif): audit findings are shaped as catalog
findings, with the resource ARN as the artifact and its name as the logical location."""

from __future__ import annotations

from dataclasses import dataclass, field

from guardrails.audit.model import NON_COMPLIANT
from guardrails.reports import sarif
from guardrails.rules import RULES_BY_ID
from guardrails.rules.base import Finding as CatalogFinding


@dataclass
class _ScanShapedReport:
    findings: list[CatalogFinding]
    kpis: dict
    exceptions: list = field(default_factory=list)


def _catalog_finding(finding) -> CatalogFinding:
    rule = RULES_BY_ID[finding.rule.split("[", 1)[0]]
    return CatalogFinding(rule_id=finding.rule, severity=rule.severity, template=finding.resource,
                          logical_id=finding.name, resource_type=finding.resource_type, property="key",
                          message=f"{finding.account}/{finding.region}: {finding.reason}", remediation=rule.remediation)


def render(report) -> str:
    findings = [_catalog_finding(f) for f in report.findings if f.status == NON_COMPLIANT]
    kpis = {**report.kpis, "not_evaluated": [n.as_dict() for n in report.result.not_evaluated]}
    return sarif.render(_ScanShapedReport(findings, kpis), report.tool_version)
