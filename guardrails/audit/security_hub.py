"""`guardrails audit --security-hub`: import the audit's findings into Security Hub, per account and region.

- BatchImportFindings takes at most 100 findings per call (Security Hub API reference,
  BatchImportFindings); each call is retried by botocore (adaptive mode) on throttling, and findings
  the service lists in FailedFindings are sent again, up to `attempts` times in all; what still fails
  is reported, never dropped silently.
- Stable Ids (guardrails/audit/reports/asff.py) make a re-run update its findings. Before importing,
  the findings we imported earlier are read back with GetFindings filtered on our ProductArn and
  GeneratorId prefix (ACTIVE only); the same filter is applied again to the response, so a finding of
  another product is never touched. An earlier finding this run no longer reports, in a scope this
  run read completely, was fixed (or its resource has gone): it is re-imported PASSED and ARCHIVED.
  A scope with gaps resolves nothing: a gap cannot prove a fix (as with --history's MTTR).
- CreatedAt of an updated finding stays the first import's.
- A report read from a Config aggregator (report.meta["granular_rules"] False) carries one finding per
  resource under its CMK rule: it resolves only earlier findings of those plain rule ids, never the
  crawl's granular ones (KeyRotation[RotationDisabled], ...), which it cannot see.
- Accepted exceptions are SUPPRESSED, and reopened when their tag goes, with BatchUpdateFindings after the
  import (security_hub_workflow.py: Workflow and Note are not the provider's to set by import).
- Findings the Config route already carries into Security Hub in a scope are not imported there, and our
  earlier ones for them are archived (config_route.py, `--security-hub-route`), so the dashboard holds one
  finding per resource and rule; an accepted exception left to it is suppressed on the Config route's
  finding instead (config_route_findings.py).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from guardrails.audit import security_hub_workflow
from guardrails.audit.config_route import Route, route_for
from guardrails.audit.config_route_findings import config_findings
from guardrails.audit.config_route_findings import wanted as config_route_wanted
from guardrails.audit.reports.asff import GENERATOR_PREFIX, finding_id, handed_over, partition_of, product_arn, resolved, to_asff
from guardrails.audit.security_hub_batches import ATTEMPTS, BATCH, Failure, in_batches
from guardrails.rules import resource_cmk, workspace_cmk

RULE_FIELD = "bedrock-cmk-guardrails/RuleId"
TYPE_FIELD = "bedrock-cmk-guardrails/ResourceType"

__all__ = ["ATTEMPTS", "BATCH", "REQUIRED_ACTIONS", "ImportOutcome", "import_report", "previous_findings", "send"]

# What --security-hub calls, for the audit role (docs/audit.md lists them; tests check them in AWS's IAM data).
REQUIRED_ACTIONS = ("securityhub:GetFindings", "securityhub:BatchImportFindings", "securityhub:BatchUpdateFindings",
                    "config:DescribeConfigRules")

ClientFor = Callable[[str, str, str], Any]  # (service, account, region) -> a botocore client


@dataclass
class ImportOutcome:
    imported: int = 0  # findings of this run Security Hub accepted (new or updated)
    resolved: int = 0  # earlier findings archived as PASSED
    suppressed: int = 0  # accepted exceptions set SUPPRESSED (BatchUpdateFindings)
    reopened: int = 0  # findings we had suppressed whose exception was removed
    left_to_config: int = 0  # findings not imported: the Config route carries them in their scope
    handed_over: int = 0  # earlier findings archived because the Config route now carries them
    config_suppressed: int = 0  # the Config route's findings of excepted resources set SUPPRESSED
    config_reopened: int = 0  # ... set back when the exception went
    config_unmatched: int = 0  # excepted resources left to the Config route without a finding there to suppress
    failed: list[Failure] = field(default_factory=list)  # entries still failing at the end (import or update)
    errors: list[str] = field(default_factory=list)  # scopes whose Security Hub could not be used, and why
    routes: list[str] = field(default_factory=list)  # per scope: how the route was decided (for the output)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.errors


def previous_findings(client: Any, partition: str, account: str, region: str) -> dict[str, dict[str, Any]]:
    """Our ACTIVE findings in this account and region, by Id."""
    product = product_arn(partition, region, account)
    filters = {"ProductArn": [{"Value": product, "Comparison": "EQUALS"}],
               "GeneratorId": [{"Value": GENERATOR_PREFIX, "Comparison": "PREFIX"}],
               "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
               "AwsAccountId": [{"Value": account, "Comparison": "EQUALS"}]}
    found = {}
    for page in client.get_paginator("get_findings").paginate(Filters=filters):
        for item in page.get("Findings", []):
            if (item.get("ProductArn") == product and str(item.get("GeneratorId", "")).startswith(GENERATOR_PREFIX)
                    and item.get("RecordState", "ACTIVE") == "ACTIVE" and item.get("AwsAccountId") == account):
                found[item["Id"]] = item
    return found


def send(client: Any, findings: list[dict[str, Any]], *, attempts: int = ATTEMPTS,
         sleep: Callable[[float], None] = time.sleep) -> tuple[int, list[Failure]]:
    """Import in batches of 100; resend what FailedFindings names. Returns (accepted, still failed)."""
    accepted = 0

    def batch_import(batch: list[dict[str, Any]]) -> list[Failure]:
        nonlocal accepted
        response = client.batch_import_findings(Findings=batch)
        accepted += response.get("SuccessCount", 0)
        return response.get("FailedFindings", [])
    failed = in_batches(findings, batch_import, attempts=attempts, sleep=sleep)
    return accepted, failed


def import_report(report, client_for: ClientFor, now: datetime | None = None, *, route: str = "auto",
                  attempts: int = ATTEMPTS, sleep: Callable[[float], None] = time.sleep) -> ImportOutcome:
    """`route`: auto, import or config (config_route.py)."""
    now = now or datetime.now(timezone.utc)
    outcome = ImportOutcome()
    by_scope: dict[tuple[str, str], list] = defaultdict(list)
    for finding in report.findings:
        by_scope[(finding.account, finding.region)].append(finding)
    gaps = {(n.account, n.region) for n in report.result.not_evaluated}
    scopes = {(s.account, s.region) for s in report.result.scopes} | set(by_scope)
    partition = next((partition_of(f.resource) for f in report.findings), "aws")
    granular = report.meta.get("granular_rules", True)
    plain = {workspace_cmk.RULE.id, resource_cmk.RULE.id}

    def resolvable(old: dict[str, Any]) -> bool:
        return granular or (old.get("ProductFields") or {}).get(RULE_FIELD) in plain
    for account, region in sorted(scopes):
        scope_route = route_for(route, lambda: client_for("config", account, region))
        complete = (account, region) not in gaps and not report.result.interrupted
        try:
            client = client_for("securityhub", account, region)
            earlier = previous_findings(client, partition, account, region)
            found = by_scope[(account, region)]
            mine = [f for f in found if not scope_route.carries(f.resource_type)]
            items = [to_asff(f, now, (earlier.get(finding_id(f)) or {}).get("CreatedAt")) for f in mine]
            fixed, handed = _retired(earlier, {finding_id(f) for f in found}, {i["Id"] for i in items}, scope_route,
                                     complete, resolvable, now)
            _, failed = send(client, items + fixed + handed, attempts=attempts, sleep=sleep)
            failed_ids = {f.get("Id") for f in failed}
            workflow = security_hub_workflow.apply(client, items + fixed, earlier, skip=failed_ids, attempts=attempts,
                                                   sleep=sleep)
            carried = [f for f in found if scope_route.carries(f.resource_type)]
            on_config, unmatched = security_hub_workflow.WorkflowOutcome(), 0
            if carried:
                by_resource = config_findings(client, account, scope_route.names)
                wanted, unmatched = config_route_wanted(carried, by_resource)
                on_config = security_hub_workflow.apply(client, wanted, {c["Id"]: c for c in by_resource.values()},
                                                        attempts=attempts, sleep=sleep)
        except Exception as exc:  # noqa: BLE001 - one account's Security Hub must not stop the others
            from guardrails.audit.errors import describe_error

            outcome.errors.append(f"{account}/{region}: {describe_error(exc)}")
            continue
        outcome.imported += sum(1 for item in items if item["Id"] not in failed_ids)
        outcome.resolved += sum(1 for item in fixed if item["Id"] not in failed_ids)
        outcome.handed_over += sum(1 for item in handed if item["Id"] not in failed_ids)
        outcome.left_to_config += len(found) - len(mine)
        outcome.suppressed += workflow.suppressed
        outcome.reopened += workflow.reopened
        outcome.config_suppressed += on_config.suppressed
        outcome.config_reopened += on_config.reopened
        outcome.config_unmatched += unmatched
        outcome.failed.extend(failed + workflow.failed + on_config.failed)
        outcome.routes.append(f"{account}/{region}: {scope_route.why}; {len(found) - len(mine)} findings left to it, "
                              f"{len(items)} imported" if scope_route.rule else f"{account}/{region}: {scope_route.why}")
    return outcome


def _retired(earlier: dict[str, dict[str, Any]], reported: set[str], imported: set[str], route: Route, complete: bool,
             resolvable: Callable[[dict[str, Any]], bool], now: datetime) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Earlier findings this import does not update: (fixed, resolved PASSED; handed over to the Config route)."""
    fixed, handed = [], []
    for fid, old in earlier.items():
        if fid in imported:
            continue
        if fid not in reported and complete and resolvable(old):
            fixed.append(resolved(old, now))
        elif route.rule and route.carries((old.get("ProductFields") or {}).get(TYPE_FIELD, "")):
            handed.append(handed_over(old, now, route.rule))
    return fixed, handed
