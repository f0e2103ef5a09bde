"""The exception tag (Settings.exception_tag, "GuardrailsException"): a NON_COMPLIANT resource tagged with a
reason of 10+ characters stays NON_COMPLIANT but is an accepted exception, in every format and KPI."""

from __future__ import annotations

import csv
import io
import json

import jsonschema

from guardrails.cli.main import main
from tests.audit.endpoint import OWNERSHIP_TAGS, Fault
from tests.conftest import SARIF_SCHEMA

REASON = "legacy workspace, migration SEC-42 due 2027-03"
EXCEPTION = {"GuardrailsException": REASON}


def audit(endpoint, capsys, fmt: str = "json") -> tuple[int, str]:
    code = main(["audit", "--endpoint-url", endpoint.url, "--regions", "us-east-1", "--format", fmt])
    return code, capsys.readouterr().out


def by_name(report: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for finding in report["findings"]:
        found.setdefault(finding["name"], []).append(finding)
    return found


def tag_reads(endpoint) -> int:
    return sum(n for call, n in endpoint.calls.items() if "/tags/" in call or call.endswith("/listTagsForResource"))


def test_every_kind_reads_its_exception_tag(world, endpoint, capsys):
    world.domain("old-ws", None, tags={**OWNERSHIP_TAGS, **EXCEPTION})  # GetDomain returns the tags
    world.agent("old-agent", None, tags=EXCEPTION)  # bedrock-agent ListTagsForResource (moto)
    world.guardrail("old-guard", None, tags=EXCEPTION)  # bedrock ListTagsForResource
    world.flow_or_prompt("flow", "old-flow", None, tags=EXCEPTION)
    world.flow_or_prompt("prompt", "old-prompt", None, tags=EXCEPTION)
    kb = world.knowledge_base("docs", tags=EXCEPTION)
    world.data_source(kb, "old-bucket", None)  # data sources take their knowledge base's tags
    code, out = audit(endpoint, capsys)
    report = json.loads(out)
    names = by_name(report)
    assert set(names) == {"old-ws (V1)", "old-agent", "old-guard", "old-flow", "old-prompt", "old-bucket"}
    assert all(f["status"] == "NON_COMPLIANT" and f["exception"] == REASON for f in report["findings"])
    kpis = report["kpis"]
    assert kpis["exceptions"] == 6 and kpis["open_findings"] == 0 and kpis["non_compliant_resources"] == 6
    assert code == 0  # accepted exceptions do not fail the run, as acknowledged findings do not fail a scan


def test_short_reasons_other_tags_and_compliant_resources(world, endpoint, capsys):
    key = world.key()
    world.agent("vague", None, tags={"GuardrailsException": "later"})  # < 10 characters: not honoured
    world.guardrail("untagged", None, tags={"Owner": "ml"})
    world.agent("fine", key, tags=EXCEPTION)  # compliant: nothing to except
    world.flow_or_prompt("flow", "fine-flow", key)
    world.flow_or_prompt("prompt", "excused", None, tags=EXCEPTION)
    endpoint.calls.clear()
    code, out = audit(endpoint, capsys)
    report = json.loads(out)
    names = by_name(report)
    assert names["vague"][0]["exception"] is None and names["untagged"][0]["exception"] is None
    assert names["fine"][0]["status"] == "COMPLIANT" and names["fine"][0]["exception"] is None
    assert names["excused"][0]["exception"] == REASON
    # a too-short reason is an error everywhere: its own finding beside the one it failed to accept
    vague = {f["rule"]: f for f in names["vague"]}
    assert set(vague) == {"BedrockGuardrails-ResourceCMK", "BedrockGuardrails-AcknowledgmentReason"}
    assert "'later'" in vague["BedrockGuardrails-AcknowledgmentReason"]["reason"]
    assert all(f["exception"] is None for f in names["vague"])
    assert report["kpis"]["open_findings"] == 3 and report["kpis"]["exceptions"] == 1 and code == 1
    # NON_COMPLIANT resources without tags in their Get* response (3), and the two that share `key`, whose
    # owners KeyOwnerIsolation compares (2): no other resource's tags are read
    assert tag_reads(endpoint) == 5


def test_unreadable_tags_leave_the_finding_open_and_say_so(world, endpoint, capsys):
    arn = world.agent("locked", None, tags=EXCEPTION)
    endpoint.faults.append(Fault(lambda c: c.path.startswith("/tags/"), "AccessDeniedException", 403))
    code, out = audit(endpoint, capsys)
    report = json.loads(out)
    assert report["findings"][0]["exception"] is None and report["kpis"]["open_findings"] == 1
    assert [g["what"] for g in report["not_evaluated"]] == [f"GuardrailsException tag of {arn}"]
    assert report["not_evaluated"][0]["reason"].startswith("AccessDeniedException") and code == 1


def test_exceptions_in_sarif_csv_html_and_text(world, endpoint, capsys):
    world.domain("excused", None, tags={**OWNERSHIP_TAGS, **EXCEPTION})
    world.domain("open", None)
    _, out = audit(endpoint, capsys, "sarif")
    log = json.loads(out)
    with open(SARIF_SCHEMA, encoding="utf-8") as handle:
        jsonschema.validate(log, json.load(handle))
    results = log["runs"][0]["results"]
    suppressed = [r for r in results if r.get("suppressions")]
    assert len(results) == 2 and len(suppressed) == 1
    assert suppressed[0]["suppressions"] == [{"kind": "inSource", "state": "accepted", "justification": REASON}]
    assert "excused" in suppressed[0]["locations"][0]["logicalLocations"][0]["name"]

    _, out = audit(endpoint, capsys, "csv")
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["excused (V1)"]["exception"] == REASON and rows["open (V1)"]["exception"] == ""

    _, out = audit(endpoint, capsys, "html")
    assert ">Exception</button></th>" in out and f"<td>{REASON}</td>" in out and "accepted exceptions" in out

    code, out = audit(endpoint, capsys, "text")
    assert "EXCEPTION 123456789012/us-east-1 AWS::DataZone::Domain excused (V1)" in out and f"accepted: {REASON}" in out
    assert "NON_COMPLIANT 123456789012/us-east-1 AWS::DataZone::Domain open (V1)" in out
    assert "1 open findings, 1 accepted exceptions" in out and code == 1
