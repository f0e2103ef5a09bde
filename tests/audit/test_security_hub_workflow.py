"""Accepted exceptions SUPPRESSED, removed ones reopened, with BatchUpdateFindings: botocore's Stubber checks every
request against the securityhub service model (moto 5.2.5 does not implement BatchUpdateFindings; the end-to-end
runs in test_security_hub.py go through the test endpoint's stand-in for it)."""

from __future__ import annotations

from datetime import datetime, timezone

import boto3
from botocore.stub import Stubber

from guardrails.audit.model import Finding
from guardrails.audit.reports.asff import UPDATED_BY, to_asff
from guardrails.audit.security_hub_workflow import REOPENED_NOTE, REOPENED_PASSED_NOTE, apply, planned

NOW = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
ACCOUNT, REGION = "123456789012", "us-east-1"
REASON = "legacy workspace, migration SEC-42 due 2027-03"


def client():
    return boto3.client("securityhub", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")


def item(name: str, *, exception: str | None = None, status: str = "NON_COMPLIANT") -> dict:
    return to_asff(Finding(f"arn:aws:datazone:{REGION}:{ACCOUNT}:domain/dzd_{name}", "AWS::DataZone::Domain", name, ACCOUNT,
                           REGION, status, "BedrockGuardrails-WorkspaceCMK", "no customer-managed key", exception=exception), NOW)


def stored(finding: dict, workflow: str, note: str | None = None, by: str = UPDATED_BY) -> dict:
    """The finding as GetFindings returns it, with the Workflow and Note a BatchUpdateFindings left."""
    return {**finding, "Workflow": {"Status": workflow},
            **({"Note": {"Text": note, "UpdatedBy": by, "UpdatedAt": "2026-11-01T00:00:00.000Z"}} if note else {})}


def ident(finding: dict) -> dict:
    return {"Id": finding["Id"], "ProductArn": finding["ProductArn"]}


def test_what_is_sent_and_what_is_left_alone():
    new_exception, kept, unsuppressed_by_person = item("a", exception=REASON), item("b", exception=REASON), item("c", exception=REASON)
    lifted, lifted_and_fixed = item("d"), item("e", status="COMPLIANT")
    person_suppressed, person_notified = item("f"), item("g")
    note = f"Accepted exception: {REASON}"
    earlier = {kept["Id"]: stored(kept, "SUPPRESSED", note),
               unsuppressed_by_person["Id"]: stored(unsuppressed_by_person, "NEW", note),  # the tag decides
               lifted["Id"]: stored(lifted, "SUPPRESSED", note),
               lifted_and_fixed["Id"]: stored(lifted_and_fixed, "SUPPRESSED", note),
               person_suppressed["Id"]: stored(person_suppressed, "SUPPRESSED", "false positive", by="alice"),
               person_notified["Id"]: stored(person_notified, "NOTIFIED")}
    items = [new_exception, kept, unsuppressed_by_person, lifted, lifted_and_fixed, person_suppressed, person_notified]
    assert planned(items, earlier) == {
        ("SUPPRESSED", note): [ident(new_exception), ident(unsuppressed_by_person)],
        ("NEW", REOPENED_NOTE): [ident(lifted)],
        ("RESOLVED", REOPENED_PASSED_NOTE): [ident(lifted_and_fixed)]}


def test_a_changed_reason_rewrites_the_note():
    finding = item("a", exception="new reason")
    earlier = {finding["Id"]: stored(finding, "SUPPRESSED", "Accepted exception: old reason")}
    assert planned([finding], earlier) == {("SUPPRESSED", "Accepted exception: new reason"): [ident(finding)]}


def test_batches_of_100_unprocessed_retried_then_reported():
    suppress = [item(f"s{n}", exception=REASON) for n in range(105)]
    lifted = item("lifted")
    earlier = {lifted["Id"]: stored(lifted, "SUPPRESSED", f"Accepted exception: {REASON}")}
    sh = client()
    stubber = Stubber(sh)  # validates each request against the service model
    note = {"Text": f"Accepted exception: {REASON}", "UpdatedBy": UPDATED_BY}
    first = [ident(f) for f in suppress[:100]]
    stubber.add_response("batch_update_findings", {"ProcessedFindings": first[1:], "UnprocessedFindings": [
        {"FindingIdentifier": first[0], "ErrorCode": "FindingNotFound", "ErrorMessage": "not yet"}]},
        {"FindingIdentifiers": first, "Workflow": {"Status": "SUPPRESSED"}, "Note": note})
    stubber.add_response("batch_update_findings", {"ProcessedFindings": [first[0]], "UnprocessedFindings": []},
                         {"FindingIdentifiers": [first[0]], "Workflow": {"Status": "SUPPRESSED"}, "Note": note})
    rest = [ident(f) for f in suppress[100:]]
    stubber.add_response("batch_update_findings", {"ProcessedFindings": rest, "UnprocessedFindings": []},
                         {"FindingIdentifiers": rest, "Workflow": {"Status": "SUPPRESSED"}, "Note": note})
    failing = {"FindingIdentifier": ident(lifted), "ErrorCode": "InvalidInput", "ErrorMessage": "refused"}
    for _ in range(2):
        stubber.add_response("batch_update_findings", {"ProcessedFindings": [], "UnprocessedFindings": [failing]},
                             {"FindingIdentifiers": [ident(lifted)], "Workflow": {"Status": "NEW"},
                              "Note": {"Text": REOPENED_NOTE, "UpdatedBy": UPDATED_BY}})
    waits: list[float] = []
    with stubber:
        outcome = apply(sh, suppress + [lifted], earlier, attempts=2, sleep=waits.append)
    stubber.assert_no_pending_responses()
    assert outcome.suppressed == 105 and outcome.reopened == 0
    assert outcome.failed == [{"Id": lifted["Id"], "ErrorCode": "InvalidInput", "ErrorMessage": "refused"}]
    assert waits == [0.5, 0.5]


def test_findings_the_import_refused_are_not_updated():
    finding = item("a", exception=REASON)
    sh = client()
    with Stubber(sh) as stubber:  # no response queued: any call would fail the test
        outcome = apply(sh, [finding], {}, skip={finding["Id"]})
        stubber.assert_no_pending_responses()
    assert outcome.suppressed == 0 and not outcome.failed
