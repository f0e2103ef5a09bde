"""Each kind of resource and key problem, judged through botocore against the local endpoint."""

from __future__ import annotations

import json

from guardrails.cli.main import main
from tests.audit.world import HOME


def audit_json(endpoint, capsys, *extra: str) -> tuple[int, dict]:
    code = main(["audit", "--endpoint-url", endpoint.url, "--regions", "us-east-1", "--format", "json", *extra])
    return code, json.loads(capsys.readouterr().out)


def by_name(report: dict) -> dict[str, list[dict]]:
    result: dict[str, list[dict]] = {}
    for finding in report["findings"]:
        result.setdefault(finding["name"], []).append(finding)
    return result


def test_every_resource_kind_on_a_good_key_is_compliant(world, endpoint, capsys):
    key = world.key()
    world.domain("research", key, version="V2")
    world.agent("helper", key)
    kb = world.knowledge_base("docs")
    world.data_source(kb, "bucket", key)
    world.guardrail("safety", key)
    world.flow_or_prompt("flow", "pipeline", key)
    world.flow_or_prompt("prompt", "greeting", key)
    code, report = audit_json(endpoint, capsys)
    names = by_name(report)
    assert set(names) == {"research (V2)", "helper", "bucket", "safety", "pipeline", "greeting"}
    assert all(f["status"] == "COMPLIANT" for f in report["findings"]), report["findings"]
    assert report["kpis"]["pct_on_cmk"] == 100.0 and report["kpis"]["resources"] == 6
    assert report["kpis"]["not_applicable"] == 1  # the vector knowledge base
    assert report["not_evaluated"] == [] and code == 0


def test_aws_owned_aws_managed_disabled_and_pending_deletion_keys(world, endpoint, capsys):
    world.domain("no-key", None)
    world.agent("managed", world.aws_managed_key())
    world.agent("managed-alias", f"arn:aws:kms:us-east-1:{HOME}:alias/aws/bedrock")
    world.agent("disabled", world.key(state="Disabled"))
    world.agent("doomed", world.key(state="PendingDeletion"))
    world.agent("unrotated", world.key(rotation=False, tags=[]))
    code, report = audit_json(endpoint, capsys)
    names = by_name(report)
    assert names["no-key (V1)"][0]["rule"] == "BedrockGuardrails-WorkspaceCMK"
    assert "AWS-owned" in names["no-key (V1)"][0]["reason"]
    assert "AWS managed" in names["managed"][0]["reason"] and names["managed"][0]["on_cmk"] is False
    assert "AWS-managed key" in names["managed-alias"][0]["reason"]
    assert "BedrockGuardrails-ResourceCMK[KeyNotEnabled]" in {f["rule"] for f in names["disabled"]}
    doomed = [f for f in names["doomed"] if f["rule"].endswith("[KeyNotEnabled]")]
    assert doomed and "PendingDeletion" in doomed[0]["reason"] and doomed[0]["on_cmk"] is True
    assert {f["rule"] for f in names["unrotated"]} == {"BedrockGuardrails-KeyRotation[RotationDisabled]",
                                                      "BedrockGuardrails-KeyOwnershipTags"}
    assert code == 1
    assert report["kpis"]["on_cmk"] == 3 and report["kpis"]["resources"] == 6


def test_over_permissive_key_policy_is_found(world, endpoint, capsys):
    loose = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "All", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"}]})
    world.agent("loose", world.key(policy=loose))
    code, report = audit_json(endpoint, capsys)
    rules = {f["rule"] for f in report["findings"]}
    assert "BedrockGuardrails-KeyPolicyLeastPrivilege[PublicPrincipal]" in rules
    assert code == 1


def test_vector_knowledge_base_is_not_applicable_but_its_data_sources_are_judged(world, endpoint, capsys):
    kb = world.knowledge_base("vectors")
    world.data_source(kb, "plain", None)
    code, report = audit_json(endpoint, capsys)
    assert [f["name"] for f in report["findings"]] == ["plain"]
    assert report["kpis"]["not_applicable"] == 1 and code == 1


def test_cross_account_key_read_with_the_owner_accounts_role(world, endpoint, capsys):
    other = "210987654321"
    shared = world.key(account=other)
    world.agent("borrower", shared)
    code, report = audit_json(endpoint, capsys, "--accounts", f"{HOME},{other}", "--role-name", "GuardrailsAudit")
    finding = by_name(report)["borrower"][0]
    assert finding["status"] == "COMPLIANT" and finding["key"].split(":")[4] == other


def test_cross_account_key_of_an_unaudited_account_fails_closed(world, endpoint, capsys):
    shared = world.key(account="210987654321")
    world.agent("borrower", shared)
    code, report = audit_json(endpoint, capsys)
    finding = by_name(report)["borrower"][0]
    assert finding["status"] == "NON_COMPLIANT" and finding["rule"].endswith("[Unverifiable]")
    assert "DescribeKey failed" in finding["reason"]
