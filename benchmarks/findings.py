"""Read each tool's report into one shape, {shared rule: {(template file name, logical id)}}, to compare.

Shared rules: WorkspaceCMK (guardrails, cfn-guard), AgentCMK (guardrails ResourceCMK on
AWS::Bedrock::Agent, checkov CKV_AWS_373, cfn-guard) and KeyRotation (guardrails
KeyRotation[RotationDisabled], checkov CKV_AWS_7, cfn-guard).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

Flagged = dict[str, set[tuple[str, str]]]
CHECKOV_RULES = {"CKV_AWS_7": "KeyRotation", "CKV_AWS_373": "AgentCMK"}
GUARD_RULE_TYPES = {"WorkspaceCMK": "AWS::DataZone::Domain", "AgentCMK": "AWS::Bedrock::Agent", "KeyRotation": "AWS::KMS::Key"}


def _empty() -> Flagged:
    return {"WorkspaceCMK": set(), "AgentCMK": set(), "KeyRotation": set()}


def from_guardrails(report_json: str) -> Flagged:
    flagged = _empty()
    for finding in json.loads(report_json)["findings"]:
        where = (os.path.basename(finding["template"]), finding["logical_id"])
        rule = finding["rule_id"]
        if rule == "BedrockGuardrails-WorkspaceCMK":
            flagged["WorkspaceCMK"].add(where)
        elif rule == "BedrockGuardrails-ResourceCMK" and finding["resource_type"] == "AWS::Bedrock::Agent":
            flagged["AgentCMK"].add(where)
        elif rule == "BedrockGuardrails-KeyRotation[RotationDisabled]":
            flagged["KeyRotation"].add(where)
    return flagged


def from_checkov(report_json: str) -> Flagged:
    flagged = _empty()
    data = json.loads(report_json)
    for report in data if isinstance(data, list) else [data]:
        for check in (report.get("results") or {}).get("failed_checks", []):
            rule = CHECKOV_RULES.get(check["check_id"])
            if rule:
                logical_id = check["resource"].rsplit(".", 1)[-1]
                flagged[rule].add((os.path.basename(check["file_path"]), logical_id))
    return flagged


def _resource_paths(node, found: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "path" and isinstance(value, str) and value.startswith("/Resources/"):
                found.add(value.split("/")[2].split("[", 1)[0])
            else:
                _resource_paths(value, found)
    elif isinstance(node, list):
        for item in node:
            _resource_paths(item, found)


def from_guard(report_json: str) -> Flagged:
    """cfn-guard's --structured JSON: per file, the failing rules and the paths their checks traversed.

    A failing rule's checks can traverse other resources (the key a domain points at), so a logical id
    counts only when its type is the one the rule is about (read from the template itself).
    """
    flagged = _empty()
    types_by_file: dict[str, dict[str, str]] = {}
    for file_report in json.loads(report_json):
        path = file_report["name"]
        if path not in types_by_file:
            resources = json.loads(Path(path).read_text()).get("Resources", {})
            types_by_file[path] = {k: v.get("Type") for k, v in resources.items()}
        types = types_by_file.pop(path)
        for entry in file_report.get("not_compliant", []):
            rule = entry.get("Rule", {}).get("name")
            if rule not in flagged:
                continue
            ids: set[str] = set()
            _resource_paths(entry["Rule"].get("checks", []), ids)
            flagged[rule].update((os.path.basename(path), i) for i in ids if types.get(i) == GUARD_RULE_TYPES[rule])
    return flagged


def agreement(expected: Flagged, got: Flagged, rules: tuple[str, ...]) -> dict[str, dict]:
    """Per shared rule: how many expected, flagged, in common, missed and extra."""
    result = {}
    for rule in rules:
        want, have = expected[rule], got[rule]
        result[rule] = {"expected": len(want), "flagged": len(have), "same": len(want & have),
                        "missed": len(want - have), "extra": len(have - want), "identical": want == have}
    return result
