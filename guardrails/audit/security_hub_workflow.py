"""Accepted exceptions SUPPRESSED in Security Hub with their reason, and reopened when the exception is removed.

What AWS documents:
- Workflow and Note are the customer's fields: "For an existing finding, finding providers cannot use
  BatchImportFindings to update the following fields and objects ... Note, UserDefinedFields,
  VerificationState, Workflow ... Any content in those fields and objects is ignored" (Security Hub User
  Guide, "BatchImportFindings for finding providers",
  https://docs.aws.amazon.com/securityhub/latest/userguide/finding-update-batchimportfindings.html), and
  "You can only update the Workflow field with BatchUpdateFindings" (User Guide, ASFF top-level attributes,
  Workflow, https://docs.aws.amazon.com/securityhub/latest/userguide/asff-top-level-attributes.html#asff-workflow).
  So after the import, BatchUpdateFindings (API reference: up to 100 findings per call, each named by Id
  and ProductArn) sets Workflow.Status and a Note (Text, UpdatedBy).
- Security Hub itself resets a finding to NEW only from NOTIFIED or RESOLVED (RecordState ARCHIVED ->
  ACTIVE, or Compliance PASSED -> FAILED; API reference, Workflow / WorkflowUpdate), never from
  SUPPRESSED ("The finding is no longer updated"). A finding we suppressed whose exception tag is gone is
  therefore set back here: NEW while it still fails, RESOLVED once it passes, with a Note saying why.

Only what needs changing is sent: an exception whose finding is not yet SUPPRESSED with the same Note (new
findings included: a Workflow sent with BatchImportFindings is not documented as applied at all), and a
finding we suppressed (our Note's UpdatedBy) that is no longer an exception. A status a person set on a
finding that is not an exception is left alone; the exception tag, not the console, decides what is
suppressed.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable

from guardrails.audit.reports.asff import NOTE_MAX, UPDATED_BY
from guardrails.audit.security_hub_batches import ATTEMPTS, Failure, in_batches

EXCEPTION_FIELD = "bedrock-cmk-guardrails/AcceptedException"
REOPENED_NOTE = "Accepted exception removed (no GuardrailsException tag any more): the finding is open again."
REOPENED_PASSED_NOTE = "Accepted exception removed (no GuardrailsException tag any more); the resource now passes."


@dataclass
class WorkflowOutcome:
    suppressed: int = 0  # findings set SUPPRESSED with their exception's reason
    reopened: int = 0  # findings we had suppressed whose exception was removed
    failed: list[Failure] = field(default_factory=list)


def _wanted(item: dict[str, Any], earlier: dict[str, Any] | None) -> tuple[str, str] | None:
    """(Workflow.Status, Note.Text) this finding should have, or None to leave it as it is."""
    if EXCEPTION_FIELD in (item.get("ProductFields") or {}):
        return "SUPPRESSED", item["Note"]["Text"][:NOTE_MAX]
    note = (earlier or {}).get("Note") or {}
    if ((earlier or {}).get("Workflow") or {}).get("Status") == "SUPPRESSED" and note.get("UpdatedBy") == UPDATED_BY:
        passed = (item.get("Compliance") or {}).get("Status") == "PASSED"
        return ("RESOLVED", REOPENED_PASSED_NOTE) if passed else ("NEW", REOPENED_NOTE)
    return None


def _current(earlier: dict[str, Any] | None) -> tuple[str | None, str | None]:
    earlier = earlier or {}
    return (earlier.get("Workflow") or {}).get("Status"), (earlier.get("Note") or {}).get("Text")


def planned(items: list[dict[str, Any]], earlier: dict[str, dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, str]]]:
    """(status, note) -> the FindingIdentifiers to set so: one BatchUpdateFindings per distinct pair."""
    plan: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for item in items:
        old = earlier.get(item["Id"])
        wanted = _wanted(item, old)
        if wanted is not None and _current(old) != wanted:
            plan[wanted].append({"Id": item["Id"], "ProductArn": item["ProductArn"]})
    return dict(plan)


def apply(client: Any, items: list[dict[str, Any]], earlier: dict[str, dict[str, Any]], *, skip: set[str] = frozenset(),
          attempts: int = ATTEMPTS, sleep: Callable[[float], None] = time.sleep) -> WorkflowOutcome:
    """Set the planned Workflow and Note; `skip` holds ids the import did not accept (nothing to update)."""
    outcome = WorkflowOutcome()
    for (status, note), identifiers in planned([i for i in items if i["Id"] not in skip], earlier).items():
        def update(batch: list[dict[str, str]], status: str = status, note: str = note) -> list[Failure]:
            response = client.batch_update_findings(FindingIdentifiers=batch, Workflow={"Status": status},
                                                    Note={"Text": note, "UpdatedBy": UPDATED_BY})
            return [{"Id": (f.get("FindingIdentifier") or {}).get("Id", ""), "ErrorCode": f.get("ErrorCode", ""),
                     "ErrorMessage": f.get("ErrorMessage", "")} for f in response.get("UnprocessedFindings", [])]
        failed = in_batches(identifiers, update, attempts=attempts, sleep=sleep)
        done = len(identifiers) - len({f["Id"] for f in failed})
        if status == "SUPPRESSED":
            outcome.suppressed += done
        else:
            outcome.reopened += done
        outcome.failed.extend(failed)
    return outcome
