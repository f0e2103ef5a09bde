"""JSON: `findings`, `kpis` and `not_evaluated`, for pipelines and dashboards."""

from __future__ import annotations

import json


def render(report) -> str:
    return json.dumps(report.as_dict(), indent=2, sort_keys=False) + "\n"
