"""Discovery over a real cloud assembly: stages, nested stacks, cross-stack key imports, acknowledgments."""

from __future__ import annotations

import pytest
from aws_cdk import Acknowledgment, App, CfnTag, NestedStack, RemovalPolicy, Stack, Stage, Validations
from aws_cdk import aws_datazone as datazone
from aws_cdk import aws_kms as kms

from guardrails.cloud_assembly import discover
from guardrails.engine import scan
from guardrails.settings import Settings

TAGS = [CfnTag(key="Owner", value="a@example.com"), CfnTag(key="CostCenter", value="CC-1"),
        CfnTag(key="DataClassification", value="internal")]


def _domain(scope, construct_id, key_arn=None):
    return datazone.CfnDomain(scope, construct_id, name=construct_id.lower(), tags=TAGS,
                              domain_execution_role="arn:aws:iam::111111111111:role/exec", kms_key_identifier=key_arn)


@pytest.fixture(scope="module")
def assembly(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("asm") / "cdk.out"
    app = App(outdir=str(outdir))
    keys = Stack(app, "Keys")
    key = kms.Key(keys, "WorkspaceKey", enable_key_rotation=True, removal_policy=RemovalPolicy.RETAIN)
    consumer = Stack(app, "Consumer")
    _domain(consumer, "Imported", key.key_arn)  # cross-stack: Fn::ImportValue of the key's Arn
    nested_parent = Stack(app, "Parent")
    nested = NestedStack(nested_parent, "Inner")
    _domain(nested, "InNested")  # no key: a finding inside a nested stack
    stage = Stage(app, "Prod")
    staged = Stack(stage, "Staged")
    ack_domain = _domain(staged, "InStage")
    Validations.of(ack_domain).acknowledge(Acknowledgment(id="BedrockGuardrails-WorkspaceCMK",
                                                          reason="legacy prod domain, migration planned (SEC-7)"))
    app.synth()
    return outdir


def test_discovers_stacks_nested_stacks_and_stages(assembly):
    names = sorted(source.path.rsplit("/", 1)[-1] for source in discover([str(assembly)]))
    assert "Keys.template.json" in names and "Consumer.template.json" in names and "Parent.template.json" in names
    assert any(name.endswith(".nested.template.json") for name in names)
    assert any("ProdStaged" in name for name in names)


def test_exporting_stack_comes_first(assembly):
    order = [source.path.rsplit("/", 1)[-1] for source in discover([str(assembly)])]
    assert order.index("Keys.template.json") < order.index("Consumer.template.json")


def test_verdicts_across_the_assembly(assembly):
    report = scan(discover([str(assembly)]), Settings())
    cmk = [(f.logical_id, f.template) for f in report.findings if f.rule_id == "BedrockGuardrails-WorkspaceCMK"]
    assert len(cmk) == 1 and cmk[0][1].endswith(".nested.template.json")  # only the nested domain lacks a key
    # the imported key was followed into the Keys stack, so its key rules apply there
    key_findings = {f.rule_id for f in report.findings if f.template.endswith("Keys.template.json")}
    assert "BedrockGuardrails-KeyPolicyLeastPrivilege[UnscopedUsage]" in key_findings
    assert [e.finding.logical_id for e in report.exceptions] == [e.finding.logical_id for e in report.exceptions if "InStage" in e.finding.logical_id]
    assert report.kpis["exceptions"] == 1 and report.kpis["workspaces"] == 3 and report.kpis["workspaces_cmk"] == 1


def test_import_without_the_exporting_stack_fails_closed(assembly):
    consumer = [s for s in discover([str(assembly)]) if s.path.endswith("Consumer.template.json")]
    report = scan(consumer, Settings())
    messages = [f.message for f in report.findings if f.rule_id == "BedrockGuardrails-WorkspaceCMK"]
    assert len(messages) == 1 and "not among the scanned templates" in messages[0]


def test_imports_resolve_in_any_order(assembly):
    sources = list(reversed(discover([str(assembly)])))
    report = scan(sources, Settings())
    assert sum(f.rule_id == "BedrockGuardrails-WorkspaceCMK" for f in report.findings) == 1


def test_a_stack_artifacts_literal_account_is_its_templates_account():
    from guardrails.cloud_assembly import stack_account

    assert stack_account({"environment": "aws://111111111111/us-east-1"}) == "111111111111"
    assert stack_account({"environment": "aws://unknown-account/unknown-region"}) is None
    assert stack_account({"environment": "aws://111111111111/us-east-1\n"}) is None
    assert stack_account({}) is None and stack_account({"environment": 7}) is None
