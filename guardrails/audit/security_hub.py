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
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from guardrails.audit.reports.asff import GENERATOR_PREFIX, finding_id, partition_of, product_arn, resolved, to_asff
from guardrails.rules import resource_cmk, workspace_cmk

RULE_FIELD = "bedrock-cmk-guardrails/RuleId"

BATCH = 100  # BatchImportFindings' limit per request
ATTEMPTS = 3

ClientFor = Callable[[str, str], Any]  # (account, region) -> a botocore securityhub client


@dataclass
class ImportOutcome:
    imported: int = 0  # findings of this run Security Hub accepted (new or updated)
    resolved: int = 0  # earlier findings archived as PASSED
    failed: list[dict[str, str]] = field(default_factory=list)  # FailedFindings entries still failing at the end
    errors: list[str] = field(default_factory=list)  # scopes whose Security Hub could not be used, and why

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
         sleep: Callable[[float], None] = time.sleep) -> tuple[int, list[dict[str, str]]]:
    """Import in batches of 100; resend what FailedFindings names. Returns (accepted, still failed)."""
    accepted, failed = 0, []
    for start in range(0, len(findings), BATCH):
        batch = findings[start:start + BATCH]
        for attempt in range(attempts):
            response = client.batch_import_findings(Findings=batch)
            accepted += response.get("SuccessCount", 0)
            failures = response.get("FailedFindings", [])
            if not failures:
                break
            retry = {f.get("Id") for f in failures}
            batch = [item for item in batch if item["Id"] in retry]
            if attempt + 1 == attempts:
                failed.extend(failures)
            else:
                sleep(0.5 * 2 ** attempt)  # a partial failure is often throttling inside the service
    return accepted, failed


def import_report(report, client_for: ClientFor, now: datetime | None = None, *, attempts: int = ATTEMPTS,
                  sleep: Callable[[float], None] = time.sleep) -> ImportOutcome:
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
        try:
            client = client_for(account, region)
            earlier = previous_findings(client, partition, account, region)
            items = [to_asff(f, now, (earlier.get(finding_id(f)) or {}).get("CreatedAt")) for f in by_scope[(account, region)]]
            current = {item["Id"] for item in items}
            fixed = [] if (account, region) in gaps or report.result.interrupted else \
                [resolved(old, now) for fid, old in earlier.items() if fid not in current and resolvable(old)]
            _, failed = send(client, items + fixed, attempts=attempts, sleep=sleep)
        except Exception as exc:  # noqa: BLE001 - one account's Security Hub must not stop the others
            from guardrails.audit.errors import describe_error

            outcome.errors.append(f"{account}/{region}: {describe_error(exc)}")
            continue
        failed_ids = {f.get("Id") for f in failed}
        outcome.imported += sum(1 for item in items if item["Id"] not in failed_ids)
        outcome.resolved += sum(1 for item in fixed if item["Id"] not in failed_ids)
        outcome.failed.extend(failed)
    return outcome
