"""SARIF through the scan's writer (guardrails.reports.sarif): audit findings are shaped as catalog
findings, with the resource ARN as the artifact and its name as the logical location. An accepted
exception (the exception tag) becomes a result with an accepted suppression whose justification is
the tag's reason, as an acknowledgment does in a scan."""

from __future__ import annotations

from dataclasses import dataclass, field

from guardrails.audit.model import NON_COMPLIANT
from guardrails.engine import Exception_
from guardrails.reports import sarif
from guardrails.rules import RULES_BY_ID
from guardrails.rules.base import Finding as CatalogFinding
from guardrails.template import Acknowledgment

SOURCE = "resource tag"


@dataclass
class _ScanShapedReport:
    findings: list[CatalogFinding]
    kpis: dict
    exceptions: list[Exception_] = field(default_factory=list)


def _catalog_finding(finding) -> CatalogFinding:
    rule = RULES_BY_ID[finding.rule.split("[", 1)[0]]
    return CatalogFinding(rule_id=finding.rule, severity=rule.severity, template=finding.resource,
                          logical_id=finding.name, resource_type=finding.resource_type, property="key",
                          message=f"{finding.account}/{finding.region}: {finding.reason}", remediation=rule.remediation)


def render(report) -> str:
    bad = [f for f in report.findings if f.status == NON_COMPLIANT]
    findings = [_catalog_finding(f) for f in bad if not f.exception]
    exceptions = [Exception_(_catalog_finding(f), Acknowledgment(f.rule, f.exception, SOURCE)) for f in bad if f.exception]
    kpis = {**report.kpis, "not_evaluated": [n.as_dict() for n in report.result.not_evaluated]}
    return sarif.render(_ScanShapedReport(findings, kpis, exceptions), report.tool_version)
