"""The synth-time plugin with real CDK synths: failure, acknowledgments, and life beside cdk-nag."""

from __future__ import annotations

import json
import os
import subprocess
import textwrap

from aws_cdk import Acknowledgment, App, CfnTag, RemovalPolicy, Stack, Tags, Validations
from aws_cdk import aws_datazone as datazone
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from cdk_nag import AwsSolutionsChecks

from guardrails.checks import BedrockGuardrailsChecks
from tests.conftest import ROOT

OWNER = {"Owner": "ml-team@example.com", "CostCenter": "CC-1234", "DataClassification": "confidential"}


def synth(tmp_path, *, with_key=False, acks=(), ack_scope="domain", extra_plugins=(), bucket=False):
    """Synthesize one stack; returns (plugin, error or None, outdir)."""
    app = App(outdir=str(tmp_path / "cdk.out"))
    stack = Stack(app, "Workspace")
    key = None
    if with_key:  # CDK's default key policy: root kms:*, so exactly one granular finding (UnscopedUsage)
        key = kms.Key(stack, "Key", enable_key_rotation=True, removal_policy=RemovalPolicy.RETAIN)
        for name, value in OWNER.items():
            Tags.of(key).add(name, value)
    domain = datazone.CfnDomain(stack, "Domain", name="research", domain_execution_role="arn:aws:iam::111111111111:role/exec",
                                kms_key_identifier=key.key_arn if key else None,
                                tags=[CfnTag(key=k, value=v) for k, v in OWNER.items()])
    if bucket:
        s3.Bucket(stack, "Bucket")
    scope = {"domain": domain, "key": key, "stack": stack}[ack_scope]
    for rule_id, reason in acks:
        Validations.of(scope).acknowledge(Acknowledgment(id=rule_id, reason=reason))
    plugin = BedrockGuardrailsChecks(app)
    Validations.of(app).add_plugins(plugin, *[p(app) for p in extra_plugins])
    try:
        app.synth()
        return plugin, None, tmp_path / "cdk.out"
    except RuntimeError as error:
        return plugin, error, tmp_path / "cdk.out"


def rule_ids(plugin):
    return sorted(f.rule_id for f in plugin.last_report.findings)


def test_workspace_without_cmk_fails_synth(tmp_path):
    plugin, error, _ = synth(tmp_path)
    assert error is not None and "ValidationFailed" in str(error) and "BedrockGuardrails-WorkspaceCMK" in str(error)
    assert rule_ids(plugin) == ["BedrockGuardrails-WorkspaceCMK"]
    assert plugin.last_report.findings[0].path == "Workspace/Domain"


def test_acknowledgment_makes_the_finding_pass_and_counts_it(tmp_path):
    plugin, error, _ = synth(tmp_path, acks=[("BedrockGuardrails-WorkspaceCMK", "sandbox domain, deleted nightly (SEC-17)")])
    assert error is None
    assert plugin.last_report.findings == []
    assert plugin.last_report.kpis["exceptions"] == 1
    assert plugin.last_report.exceptions[0].acknowledgment.reason.startswith("sandbox")


def test_stack_level_acknowledgment_covers_resources_below(tmp_path):
    plugin, error, _ = synth(tmp_path, acks=[("BedrockGuardrails-WorkspaceCMK", "whole stack is a throwaway demo")],
                             ack_scope="stack")
    assert error is None and plugin.last_report.kpis["exceptions"] == 1


def test_plugin_prefixed_acknowledgment_as_cdk_prints_it(tmp_path):
    plugin, error, _ = synth(tmp_path, acks=[("BedrockGuardrails::BedrockGuardrails-WorkspaceCMK", "accepted by the CISO, RISK-9")])
    assert error is None and plugin.last_report.kpis["exceptions"] == 1


def test_default_key_policy_is_one_granular_finding(tmp_path):
    plugin, error, _ = synth(tmp_path, with_key=True)
    assert error is not None
    assert rule_ids(plugin) == ["BedrockGuardrails-KeyPolicyLeastPrivilege[UnscopedUsage]"]


def test_granular_acknowledgment(tmp_path):
    plugin, error, _ = synth(tmp_path, with_key=True, ack_scope="key", acks=[
        ("BedrockGuardrails-KeyPolicyLeastPrivilege[UnscopedUsage]", "IAM-delegated key in a single-team account")])
    assert error is None and plugin.last_report.kpis["exceptions"] == 1


def test_plain_id_does_not_cover_granular_findings(tmp_path):
    # as in cdk-nag v3: each granular finding is acknowledged by its own id
    plugin, error, _ = synth(tmp_path, with_key=True, ack_scope="key", acks=[
        ("BedrockGuardrails-KeyPolicyLeastPrivilege", "IAM-delegated key in a single-team account")])
    assert error is not None
    assert rule_ids(plugin) == ["BedrockGuardrails-KeyPolicyLeastPrivilege[UnscopedUsage]"]


def test_short_reason_is_itself_an_error(tmp_path):
    plugin, error, _ = synth(tmp_path, acks=[("BedrockGuardrails-WorkspaceCMK", "ok")])
    assert error is not None
    assert rule_ids(plugin) == ["BedrockGuardrails-AcknowledgmentReason", "BedrockGuardrails-WorkspaceCMK"]


def test_runs_beside_aws_solutions_checks(tmp_path):
    plugin, error, outdir = synth(tmp_path, bucket=True, extra_plugins=[AwsSolutionsChecks])
    assert error is not None
    report = json.loads((outdir / "validation-report.json").read_text())
    by_plugin = {r["pluginName"]: r for r in report["pluginReports"]}
    assert set(by_plugin) == {"BedrockGuardrails", "AwsSolutions"}
    assert by_plugin["BedrockGuardrails"]["conclusion"] == "failure"
    ours = next(r for name, r in by_plugin.items() if name == "BedrockGuardrails")
    assert [v["ruleName"] for v in ours["violations"]] == ["BedrockGuardrails-WorkspaceCMK"]
    theirs = next(r for name, r in by_plugin.items() if name != "BedrockGuardrails")
    assert any(v["ruleName"].startswith("AwsSolutions-S") for v in theirs["violations"])
    assert rule_ids(plugin) == ["BedrockGuardrails-WorkspaceCMK"]  # the bucket is not ours to judge


def test_scan_of_the_cloud_assembly_gives_the_same_verdict(tmp_path):
    plugin, _, outdir = synth(tmp_path, with_key=True, ack_scope="key", acks=[
        ("BedrockGuardrails-KeyPolicyLeastPrivilege[UnscopedUsage]", "IAM-delegated key in a single-team account")])
    from guardrails.cloud_assembly import discover
    from guardrails.engine import scan

    report = scan(discover([str(outdir)]))
    assert [f.rule_id for f in report.findings] == [f.rule_id for f in plugin.last_report.findings] == []
    assert report.kpis == plugin.last_report.kpis


def test_cdk_cli_synth_exits_non_zero(tmp_path):
    app_file = tmp_path / "app.py"
    app_file.write_text(textwrap.dedent("""
        from aws_cdk import App, Stack, Validations
        from aws_cdk import aws_datazone as datazone
        from guardrails.checks import BedrockGuardrailsChecks
        app = App()
        stack = Stack(app, "Insecure")
        datazone.CfnDomain(stack, "Domain", name="d", domain_execution_role="arn:aws:iam::111111111111:role/x")
        Validations.of(app).add_plugins(BedrockGuardrailsChecks(app))
        app.synth()
    """))
    (tmp_path / "cdk.json").write_text(json.dumps({"app": f"{os.sys.executable} app.py"}))
    cdk = ROOT / "node_modules" / ".bin" / "cdk"
    result = subprocess.run([str(cdk), "synth", "--quiet"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 1, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "BedrockGuardrails-WorkspaceCMK" in output and "migration" in output


def test_a_stacks_literal_account_owns_its_keys(tmp_path):
    """With an env account CDK writes the root as a literal; the plugin reads the account from the assembly's
    manifest, so CDK's default policy is still exactly [UnscopedUsage], not [ForeignAdministration]."""
    from aws_cdk import Environment

    app = App(outdir=str(tmp_path / "cdk.out"))
    stack = Stack(app, "Workspace", env=Environment(account="111111111111", region="us-east-1"))
    key = kms.Key(stack, "Key", enable_key_rotation=True, removal_policy=RemovalPolicy.RETAIN)
    datazone.CfnDomain(stack, "Domain", name="research", domain_execution_role="arn:aws:iam::111111111111:role/exec",
                       kms_key_identifier=key.key_arn)
    plugin = BedrockGuardrailsChecks(app)
    Validations.of(app).add_plugins(plugin)
    try:
        app.synth()
    except RuntimeError:
        pass  # the domain's missing tags fail the synth; only the key policy's verdict matters here
    policy = [f.rule_id for f in plugin.last_report.findings if f.base_rule_id.endswith("KeyPolicyLeastPrivilege")]
    assert policy == ["BedrockGuardrails-KeyPolicyLeastPrivilege[UnscopedUsage]"]
    assert '"arn:", {"Ref": "AWS::Partition"}, ":iam::111111111111:root"' in json.dumps(
        json.loads((tmp_path / "cdk.out" / "Workspace.template.json").read_text()))
