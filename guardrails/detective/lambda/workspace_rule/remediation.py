"""Mean time to remediate, from what the rule itself saw, kept in a DynamoDB table.

Config keeps only each resource's latest evaluation (GetComplianceDetailsByConfigRule has no
history for custom rules' resource types, which Config does not record), so the rule keeps one item
per resource it has judged: its last status and, while it is NON_COMPLIANT, when that started.
A case closes when the resource is next seen COMPLIANT or has gone; its duration in hours is the
RemediationHours datapoint. Resolution is the rule's schedule (1-24 h). The same items say which
resources were judged before and are gone now, so the rule reports those NOT_APPLICABLE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from guardrails.live_verdict import COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE  # noqa: F401 - one set of statuses


@dataclass(frozen=True)
class Seen:
    status: str
    since: datetime | None = None  # first NON_COMPLIANT of the open case


@dataclass(frozen=True)
class Outcome:
    gone: list[tuple[str, str]]  # (resource type, id) judged before and absent now
    remediation_hours: list[float]  # one per case closed in this run


def _key(resource_type: str, resource_id: str) -> str:
    return f"{resource_type}|{resource_id}"


def load(dynamodb: Any, table: str) -> dict[tuple[str, str], Seen]:
    seen: dict[tuple[str, str], Seen] = {}
    for page in dynamodb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        for item in page.get("Items", []):
            resource_type, _, resource_id = item["pk"]["S"].partition("|")
            since = item.get("since", {}).get("S")
            seen[(resource_type, resource_id)] = Seen(item["status"]["S"], datetime.fromisoformat(since) if since else None)
    return seen


def reconcile(before: Mapping[tuple[str, str], Seen], now_statuses: Mapping[tuple[str, str], str],
              listed_types: set[str], now: datetime,
              unknown: set[tuple[str, str]] = frozenset()) -> tuple[dict[tuple[str, str], Seen], Outcome]:
    """The new state and what changed. Types whose listing failed, and `unknown` resources (listed but not
    readable), keep their old items untouched: neither gone nor remediated."""
    after: dict[tuple[str, str], Seen] = {}
    hours: list[float] = []
    for ref, status in now_statuses.items():
        old = before.get(ref)
        if status == NON_COMPLIANT:
            after[ref] = Seen(NON_COMPLIANT, old.since if old and old.since else now)
        else:
            if old and old.since:
                hours.append(_hours(old.since, now))
            after[ref] = Seen(status)
    gone = []
    for ref, old in before.items():
        if ref in now_statuses:
            continue
        if ref[0] not in listed_types or ref in unknown:
            after[ref] = old  # not listed or not readable this run: neither gone nor remediated
            continue
        gone.append(ref)
        if old.since:
            hours.append(_hours(old.since, now))
    return after, Outcome(gone, hours)


def save(dynamodb: Any, table: str, before: Mapping[tuple[str, str], Seen], after: Mapping[tuple[str, str], Seen]) -> None:
    for ref in before.keys() - after.keys():
        dynamodb.delete_item(TableName=table, Key={"pk": {"S": _key(*ref)}})
    for ref, seen in after.items():
        if before.get(ref) == seen:
            continue
        item = {"pk": {"S": _key(*ref)}, "status": {"S": seen.status}}
        if seen.since:
            item["since"] = {"S": seen.since.isoformat()}
        dynamodb.put_item(TableName=table, Item=item)


def _hours(since: datetime, now: datetime) -> float:
    return round(max((now - since).total_seconds(), 0.0) / 3600, 3)
