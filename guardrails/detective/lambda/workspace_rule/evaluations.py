"""Report evaluations to AWS Config, at most 100 per PutEvaluations call (the API's limit)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

BATCH = 100
TEST_TOKEN = "TESTMODE"  # the RDK convention: a test invocation's token; Config stores nothing


def evaluation(resource_type: str, resource_id: str, status: str, annotation: str, when: datetime) -> dict[str, Any]:
    item: dict[str, Any] = {"ComplianceResourceType": resource_type, "ComplianceResourceId": resource_id,
                            "ComplianceType": status, "OrderingTimestamp": when}
    if annotation:
        item["Annotation"] = annotation[:256]
    return item


def put_evaluations(config: Any, evaluations: Iterable[dict[str, Any]], result_token: str) -> list[dict[str, Any]]:
    """Send every evaluation; returns the ones Config reported as failed."""
    items = list(evaluations)
    failed: list[dict[str, Any]] = []
    for start in range(0, len(items), BATCH):
        response = config.put_evaluations(Evaluations=items[start:start + BATCH], ResultToken=result_token,
                                          TestMode=result_token == TEST_TOKEN)
        failed.extend(response.get("FailedEvaluations", []))
    return failed
