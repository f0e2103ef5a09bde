"""Run the real cfn-guard over data and read its verdict per (logical id, catalog rule id)."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Iterator, Mapping

from guardrails.preventive.guard_binary import cfn_guard_path
from guardrails.preventive.guard_rules import catalog_id


def _first_resource(node: Any) -> str | None:
    """The logical id of the first `/Resources/<id>` path in a check: the resource the check was about."""
    if isinstance(node, Mapping):
        path = node.get("path")
        if isinstance(path, str) and path.startswith("/Resources/"):
            return path.split("/")[2]
        children: Any = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _first_resource(child)
        if found:
            return found
    return None


def _resources(check: Mapping[str, Any]) -> Iterator[str | None]:
    """Which resources a top-level check failed for. Key collections (bg_key_* rules) hold one child per key."""
    rule = check.get("Rule") if isinstance(check, Mapping) else None
    if isinstance(rule, Mapping) and str(rule.get("name", "")).startswith("bg_key_"):
        for child in rule.get("checks", []):
            yield _first_resource(child)
    else:
        yield _first_resource(check)


def _failures(report: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for entry in report.get("not_compliant", []):
        rule = entry.get("Rule", {})
        rule_id = catalog_id(rule.get("name", ""))
        for check in rule.get("checks", []):
            for logical_id in _resources(check):
                if rule_id and logical_id:
                    yield logical_id, rule_id


def guard_failures(rules_file: Path, data: Mapping[str, Any]) -> set[tuple[str, str]]:
    """Evaluate `data` (a template, or a hook resource input) and return the failing (logical id, rule id)."""
    with tempfile.TemporaryDirectory() as tmp:
        data_file = Path(tmp) / "data.json"
        data_file.write_text(json.dumps(data), encoding="utf-8")
        run = subprocess.run([str(cfn_guard_path()), "validate", "-r", str(rules_file), "-d", str(data_file),
                              "-o", "json", "--show-summary", "none"], capture_output=True, text=True, timeout=120)
    if run.returncode not in (0, 19):  # 19: evaluation found non-compliant resources
        raise RuntimeError(f"cfn-guard failed ({run.returncode}): {run.stderr or run.stdout}")
    return set(_failures(json.loads(run.stdout)))
