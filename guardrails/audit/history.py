"""`--history FILE`: one JSON line per run; MTTR and trends come from the lines.

A finding (resource + rule) is open from the first run that reports it until the first later run
that evaluated its account-region without reporting it; MTTR is the mean of those spans.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from guardrails.audit.model import AuditResult
from guardrails.errors import GuardrailsInputError

TREND_RUNS = 10


def run_entry(result: AuditResult, kpis: dict[str, Any], when: datetime) -> dict[str, Any]:
    incomplete = {f"{n.account}/{n.region}" for n in result.not_evaluated}
    return {
        "timestamp": when.isoformat(),
        "pct_on_cmk": kpis["pct_on_cmk"],
        "open_findings": kpis["open_findings"],
        # Only fully read scopes can prove a finding fixed.
        "complete_scopes": sorted({str(s) for s in result.scopes} - incomplete),
        "open": sorted({f"{f.account}/{f.region}|{f.resource}|{f.rule}" for f in result.open_findings}),
    }


def load_history(path: str | Path) -> list[dict[str, Any]]:
    path = Path(path)
    if not path.exists():
        return []
    runs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GuardrailsInputError(str(path), f"not a history line: {exc.msg}", number) from None
        if not isinstance(entry, dict):
            raise GuardrailsInputError(str(path), "not a history line: expected a JSON object", number)
        # The file also records other events (the kill switch's); runs are the lines without a kind.
        if "kind" not in entry:
            runs.append(entry)
    return runs


def append_history(path: str | Path, entry: dict[str, Any]) -> None:
    with Path(path).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, sort_keys=True) + "\n")


def mttr_and_trend(runs: list[dict[str, Any]]) -> dict[str, Any]:
    opened: dict[str, datetime] = {}
    repair_hours: list[float] = []
    for run in runs:
        when = datetime.fromisoformat(run["timestamp"])
        now_open = set(run.get("open", []))
        complete = set(run.get("complete_scopes", []))
        for key in list(opened):
            if key not in now_open and key.split("|", 1)[0] in complete:
                repair_hours.append((when - opened.pop(key)).total_seconds() / 3600)
        for key in now_open:
            opened.setdefault(key, when)
    return {
        "runs": len(runs),
        "mttr_hours": round(sum(repair_hours) / len(repair_hours), 2) if repair_hours else None,
        "resolved_findings": len(repair_hours),
        "trend": [{"timestamp": r["timestamp"], "pct_on_cmk": r.get("pct_on_cmk"), "open_findings": r.get("open_findings")}
                  for r in runs[-TREND_RUNS:]],
    }
