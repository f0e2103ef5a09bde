"""The KPI dashboard: coverage %, open non-compliant resources, accepted exceptions, MTTR, and their history."""

from __future__ import annotations

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cw
from constructs import Construct

from guardrails.detective.metric_filters import NAMESPACE
from guardrails.detective.names import DeploymentNames
from guardrails.rules import CATALOG
from guardrails.rules.compliance import controls_by_framework


def compliance_markdown() -> str:
    """The controls the rules' verdicts evidence, per framework (guardrails/rules/compliance.py, docs/compliance.md)."""
    rows = "\n".join(f"| {name} | {', '.join(ids)} |" for name, ids in controls_by_framework(r.id for r in CATALOG).items())
    return ("**Compliance evidence**: coverage and open findings above evidence these controls "
            "(mappings and sources: docs/compliance.md).\n\n| Framework | Controls |\n|---|---|\n" + rows)


def _metric(name: str, statistic: str, hours: int) -> cw.Metric:
    return cw.Metric(namespace=NAMESPACE, metric_name=name, statistic=statistic, period=Duration.hours(hours))


class KpiDashboard(Construct):
    def __init__(self, scope: Construct, id: str, *, period_hours: int, names: DeploymentNames) -> None:
        super().__init__(scope, id)
        m = {name: _metric(name, "Maximum", period_hours)
             for name in ("Workspaces", "WorkspacesCmk", "BedrockResources", "BedrockResourcesCmk", "NonCompliant", "Exceptions")}
        coverage = cw.MathExpression(expression="100 * (wc + bc) / (w + b)", label="On customer-managed keys (%)",
                                     using_metrics={"wc": m["WorkspacesCmk"], "bc": m["BedrockResourcesCmk"],
                                                    "w": m["Workspaces"], "b": m["BedrockResources"]},
                                     period=Duration.hours(period_hours))
        workspace_coverage = cw.MathExpression(expression="100 * wc / w", label="Workspaces on CMKs (%)",
                                               using_metrics={"wc": m["WorkspacesCmk"], "w": m["Workspaces"]},
                                               period=Duration.hours(period_hours))
        mttr = cw.Metric(namespace=NAMESPACE, metric_name="RemediationHours", statistic="Average", period=Duration.days(30),
                         label="Mean time to remediate (h, 30 days)")
        self.dashboard = cw.Dashboard(self, "Dashboard", dashboard_name=names.dashboard(Stack.of(self).region),
                                      widgets=[
            [cw.SingleValueWidget(title="Coverage: on customer-managed keys", metrics=[coverage, workspace_coverage], width=6),
             cw.SingleValueWidget(title="Open non-compliant resources", metrics=[m["NonCompliant"]], width=6),
             cw.SingleValueWidget(title="Acknowledged exceptions", metrics=[m["Exceptions"]], width=6),
             cw.SingleValueWidget(title="Mean time to remediate", metrics=[mttr], width=6)],
            [cw.GraphWidget(title="Coverage (%)", left=[coverage, workspace_coverage], width=12),
             cw.GraphWidget(title="Non-compliant resources: open and accepted exceptions",
                            left=[m["NonCompliant"], m["Exceptions"]], width=12)],
            [cw.GraphWidget(title="Inventory", left=[m["Workspaces"], m["WorkspacesCmk"], m["BedrockResources"],
                                                     m["BedrockResourcesCmk"]], width=12),
             cw.GraphWidget(title="Remediation time (h)", left=[mttr.with_(statistic="Maximum", period=Duration.days(1)),
                                                               mttr.with_(period=Duration.days(1))], width=12)],
            [cw.TextWidget(markdown=compliance_markdown(), width=24, height=6)],
        ])
