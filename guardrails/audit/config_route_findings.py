"""Accepted exceptions on the Config route: where the import leaves a resource to our Config rule's findings
(config_route.py), that finding is SUPPRESSED with the exception's reason, and reopened when it goes.

The Config integration maps no annotation into the finding (Security Hub User Guide, AWS service integrations,
AWS Config mapping table), so Security Hub cannot tell an accepted exception there: the Config route's finding
of an excepted resource stays FAILED and NEW. The audit knows the exception, so it sets the finding's Workflow
and Note with BatchUpdateFindings, as a customer may on any finding of the account (security_hub_workflow.py).

The Config route has one finding per rule and resource, ours one per catalog rule: the Config finding is
suppressed only when every failing catalog rule of the resource is an accepted exception; one open problem
keeps it open. The finding is found by our rule's name (its Title and `aws/config/ConfigRuleName`), Config's
product and the resource's ARN (its `Resources[].Id`); an exception whose resource has no such finding (not
delivered yet, or an ARN Security Hub computed otherwise) is counted and reported, not guessed at.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

from guardrails.audit.model import NON_COMPLIANT
from guardrails.audit.reports.asff import NOTE_MAX, clip
from guardrails.audit.security_hub_workflow import EXCEPTION_FIELD

CONFIG_PRODUCT_SUFFIX = "::product/aws/config"


def config_findings(client: Any, account: str, rules: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """The Config route's ACTIVE findings of our rule (any of `rules`, its possible names) here, by resource ARN."""
    filters = {"ProductName": [{"Value": "Config", "Comparison": "EQUALS"}],
               "Title": [{"Value": rule, "Comparison": "EQUALS"} for rule in rules],
               "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
               "AwsAccountId": [{"Value": account, "Comparison": "EQUALS"}]}
    found: dict[str, dict[str, Any]] = {}
    for page in client.get_paginator("get_findings").paginate(Filters=filters):
        for item in page.get("Findings", []):
            fields = item.get("ProductFields") or {}
            if (str(item.get("ProductArn", "")).endswith(CONFIG_PRODUCT_SUFFIX) and item.get("AwsAccountId") == account
                    and (item.get("Title") in rules or fields.get("aws/config/ConfigRuleName") in rules)
                    and item.get("RecordState", "ACTIVE") == "ACTIVE"):
                for resource in item.get("Resources") or []:
                    found[resource.get("Id", "")] = item
    return found


def wanted(findings: Iterable, by_resource: dict[str, dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Items for security_hub_workflow.apply (one per Config finding of a carried resource: an exception item when
    every failing catalog rule of the resource is excepted), and the number of excepted resources without one."""
    failing: dict[str, list] = defaultdict(list)
    for finding in findings:
        failing.setdefault(finding.resource, [])
        if finding.status == NON_COMPLIANT:
            failing[finding.resource].append(finding)
    items, unmatched = [], 0
    for resource, problems in failing.items():
        excepted = bool(problems) and all(p.exception for p in problems)
        config = by_resource.get(resource)
        if config is None:
            unmatched += excepted
            continue
        item = {"Id": config["Id"], "ProductArn": config["ProductArn"], "Compliance": config.get("Compliance") or {}}
        if excepted:
            reasons = "; ".join(sorted({p.exception for p in problems}))
            item["ProductFields"] = {EXCEPTION_FIELD: reasons}
            item["Note"] = {"Text": clip(f"Accepted exception: {reasons}", NOTE_MAX)}
        items.append(item)
    return items, unmatched
