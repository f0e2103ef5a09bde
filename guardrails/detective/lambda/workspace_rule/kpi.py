"""The KPI metrics, namespace BedrockGuardrails: coverage, open findings, accepted exceptions, time to remediate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

NAMESPACE = "BedrockGuardrails"


@dataclass
class Kpis:
    # None: the listing failed, so the count is unknown (a gap on the dashboard, not a false 0)
    workspaces: int | None = 0
    workspaces_cmk: int | None = 0
    bedrock_resources: int | None = 0
    bedrock_resources_cmk: int | None = 0
    non_compliant: int = 0  # open: NON_COMPLIANT and not an accepted exception
    exceptions: int = 0  # NON_COMPLIANT with an accepted exception tag
    remediation_hours: list[float] = field(default_factory=list)

    def datapoints(self, when: datetime) -> list[dict[str, Any]]:
        counts = {"Workspaces": self.workspaces, "WorkspacesCmk": self.workspaces_cmk,
                  "BedrockResources": self.bedrock_resources, "BedrockResourcesCmk": self.bedrock_resources_cmk,
                  "NonCompliant": self.non_compliant, "Exceptions": self.exceptions}
        data = [{"MetricName": name, "Value": float(value), "Unit": "Count", "Timestamp": when}
                for name, value in counts.items() if value is not None]
        data += [{"MetricName": "RemediationHours", "Value": hours, "Unit": "None", "Timestamp": when}
                 for hours in self.remediation_hours]
        return data


def publish(cloudwatch: Any, kpis: Kpis, when: datetime) -> None:
    data = kpis.datapoints(when)
    for start in range(0, len(data), 1000):  # PutMetricData's per-call limit
        cloudwatch.put_metric_data(Namespace=NAMESPACE, MetricData=data[start:start + 1000])
