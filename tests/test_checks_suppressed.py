"""Acknowledged findings of the plugin appear in CDK's validation report as suppressed violations, with the
reason and where the acknowledgment was made, as cdk-nag's do (aws-cdk-lib collects them from the
`aws:cdk:acknowledged-rules` metadata and writes validation-report.json in the cloud assembly)."""

from __future__ import annotations

import json

from aws_cdk import Acknowledgment, App, CfnTag, Stack, Validations
from aws_cdk import aws_datazone as datazone

from guardrails.checks import PLUGIN_NAME, BedrockGuardrailsChecks

OWNER = {"Owner": "ml-team@example.com", "CostCenter": "CC-1234", "DataClassification": "confidential"}
REASON = "sandbox domain, deleted nightly (SEC-17)"


def synth_keyless_domain(tmp_path, ack_id: str | None):
    outdir = tmp_path / "cdk.out"
    app = App(outdir=str(outdir))
    stack = Stack(app, "Workspace")
    domain = datazone.CfnDomain(stack, "Domain", name="research", domain_execution_role="arn:aws:iam::111111111111:role/exec",
                                tags=[CfnTag(key=k, value=v) for k, v in OWNER.items()])
    if ack_id:
        Validations.of(domain).acknowledge(Acknowledgment(id=ack_id, reason=REASON))
    Validations.of(app).add_plugins(BedrockGuardrailsChecks(app))
    error = None
    try:
        app.synth()
    except RuntimeError as exc:
        error = exc
    report = json.loads((outdir / "validation-report.json").read_text())
    ours = [r for r in report["pluginReports"] if r["pluginName"] == PLUGIN_NAME]
    return error, ours


def test_plain_id_acknowledgment_is_a_suppressed_violation_with_its_reason(tmp_path):
    error, ours = synth_keyless_domain(tmp_path, "BedrockGuardrails-WorkspaceCMK")
    assert error is None
    assert len(ours) == 1 and ours[0]["violations"] == []
    [suppressed] = ours[0]["suppressedViolations"]
    assert suppressed["ruleName"].endswith("BedrockGuardrails-WorkspaceCMK")
    assert suppressed["reason"] == REASON
    assert suppressed["acknowledgedAt"] == "Workspace/Domain"
    assert suppressed["violatingConstructs"][0]["constructPath"] == "Workspace/Domain"


def test_plugin_prefixed_acknowledgment_is_suppressed_too(tmp_path):
    error, ours = synth_keyless_domain(tmp_path, f"{PLUGIN_NAME}::BedrockGuardrails-WorkspaceCMK")
    assert error is None
    [suppressed] = ours[0]["suppressedViolations"]
    assert suppressed["ruleName"] == f"{PLUGIN_NAME}::BedrockGuardrails-WorkspaceCMK" and suppressed["reason"] == REASON


def test_without_acknowledgment_the_finding_is_a_violation_not_suppressed(tmp_path):
    error, ours = synth_keyless_domain(tmp_path, None)
    assert error is not None
    assert [v["ruleName"] for v in ours[0]["violations"]] == ["BedrockGuardrails-WorkspaceCMK"]
    assert not ours[0].get("suppressedViolations")


def test_acknowledging_another_rule_suppresses_nothing(tmp_path):
    error, ours = synth_keyless_domain(tmp_path, "BedrockGuardrails-WorkspaceOwnershipTags")
    assert error is not None
    assert [v["ruleName"] for v in ours[0]["violations"]] == ["BedrockGuardrails-WorkspaceCMK"]
    assert not ours[0].get("suppressedViolations")
