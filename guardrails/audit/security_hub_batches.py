"""Security Hub's batch calls, 100 items a call, with what the service reports as failed sent again.

BatchImportFindings takes at most 100 findings and BatchUpdateFindings at most 100 FindingIdentifiers per
request (Security Hub API reference, each operation's page). botocore retries throttled calls (adaptive
mode); the items a response lists as failed (FailedFindings, UnprocessedFindings) are sent again, up to
`attempts` times in all, with a growing wait, since a partial failure is often throttling inside the
service. What still fails is returned, never dropped silently.
"""

from __future__ import annotations

import time
from typing import Any, Callable

BATCH = 100
ATTEMPTS = 3

Failure = dict[str, str]  # {"Id", "ErrorCode", "ErrorMessage"}


def in_batches(items: list[dict[str, Any]], call: Callable[[list[dict[str, Any]]], list[Failure]], *,
               attempts: int = ATTEMPTS, sleep: Callable[[float], None] = time.sleep) -> list[Failure]:
    """`call` sends one batch (each item has an "Id") and returns the failures it reported; returns what still failed."""
    failed: list[Failure] = []
    for start in range(0, len(items), BATCH):
        batch = items[start:start + BATCH]
        for attempt in range(attempts):
            failures = call(batch)
            if not failures:
                break
            retry = {f.get("Id") for f in failures}
            batch = [item for item in batch if item["Id"] in retry]
            if attempt + 1 == attempts:
                failed.extend(failures)
            else:
                sleep(0.5 * 2 ** attempt)
    return failed
