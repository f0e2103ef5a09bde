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


def test_construct_paths_come_from_the_assembly_for_every_resource_without_path_metadata(tmp_path):
    """Only some resources carry aws:cdk:path: the others still get their construct path from the manifest."""
    import json

    from guardrails.cloud_assembly import TemplateSource, AssemblyMetadata

    template = {"Resources": {"First": {"Type": "AWS::SQS::Queue", "Metadata": {"aws:cdk:path": "App/Stack/First/Resource"}},
                              "Second": {"Type": "AWS::SQS::Queue"}}}
    (tmp_path / "Stack.template.json").write_text(json.dumps(template))
    (tmp_path / "manifest.json").write_text(json.dumps({"artifacts": {"Stack": {
        "type": "aws:cloudformation:stack", "properties": {"templateFile": "Stack.template.json"},
        "metadata": {"/App/Stack/Second/Resource": [{"type": "aws:cdk:logicalId", "data": "Second"}]}}}}))
    loaded = TemplateSource(str(tmp_path / "Stack.template.json"), "Stack", AssemblyMetadata(str(tmp_path))).load()
    assert {r.logical_id: r.cdk_path for r in loaded.resources()} == {"First": "App/Stack/First/Resource",
                                                                       "Second": "App/Stack/Second/Resource"}


# -- every path is scanned or reported (issue 11) ---------------------------------------------------------
import json  # noqa: E402
import os  # noqa: E402

from guardrails.cloud_assembly import sources_for_template_paths  # noqa: E402
from tests.conftest import noncompliant_template  # noqa: E402

BAD = json.dumps(noncompliant_template(), indent=1)


def _scan(*paths):
    return scan(discover([str(p) for p in paths]), Settings())


def test_named_pipe_in_a_walk_is_an_error_not_a_hang(tmp_path):
    (tmp_path / "stack.json").write_text(BAD)
    os.mkfifo(tmp_path / "pipe.yaml")
    report = _scan(tmp_path)
    assert [e.message for e in report.errors] == ["not a regular file (a named pipe, socket or device is never read)"]
    assert len(report.templates) == 1 and report.findings  # the regular file is still scanned


def test_symlinked_subdirectory_and_upper_case_suffixes_are_scanned(tmp_path):
    real = tmp_path / "elsewhere"
    real.mkdir()
    (real / "linked.JSON").write_text(BAD)
    root = tmp_path / "root"
    root.mkdir()
    (root / "upper.YAML").write_text("Resources:\n  Domain:\n    Type: AWS::DataZone::Domain\n    Properties: {Name: x}\n")
    os.symlink(real, root / "link")
    os.symlink(root, root / "loop")  # a cycle is walked once, not forever
    report = _scan(root)
    assert sorted(os.path.basename(t) for t in report.templates) == ["linked.JSON", "upper.YAML"]
    assert not report.errors


def test_subdirectory_with_a_manifest_that_is_not_a_cloud_assembly_is_walked(tmp_path):
    web = tmp_path / "web"
    web.mkdir()
    (web / "manifest.json").write_text('{"name": "my web app", "icons": []}')
    (web / "stack.json").write_text(BAD)
    report = _scan(tmp_path)
    assert [os.path.basename(t) for t in report.templates] == ["stack.json"] and report.findings


def test_unreadable_subdirectory_is_scanned_or_an_error_never_skipped(tmp_path):
    """Without read permission a directory is an error (exit 2); where permissions do not bind (root), it is
    scanned. Either way its template is accounted for."""
    (tmp_path / "stack.json").write_text(BAD)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.json").write_text(BAD)
    locked.chmod(0)
    try:
        readable = os.access(locked, os.R_OK | os.X_OK)
        report = _scan(tmp_path)
    finally:
        locked.chmod(0o755)
    if readable:
        assert sorted(os.path.basename(t) for t in report.templates) == ["hidden.json", "stack.json"]
    else:
        assert [e.source for e in report.errors] == [str(locked)] and "cannot read directory" in report.errors[0].message


def test_template_names_that_cannot_be_resolved_are_errors(tmp_path):
    """A symlink loop cannot be read by anyone, root included: reported, not skipped."""
    (tmp_path / "stack.json").write_text(BAD)
    os.symlink(tmp_path / "b.json", tmp_path / "a.json")
    os.symlink(tmp_path / "a.json", tmp_path / "b.json")
    report = _scan(tmp_path)
    assert sorted(os.path.basename(e.source) for e in report.errors) == ["a.json", "b.json"]
    assert all("cannot read" in e.message for e in report.errors) and len(report.templates) == 1


def test_the_same_file_named_twice_or_through_a_link_is_scanned_once(tmp_path):
    path = tmp_path / "stack.json"
    path.write_text(BAD)
    os.symlink(path, tmp_path / "alias.json")
    report = _scan(path, path, tmp_path / "alias.json", tmp_path)
    assert len(report.templates) == 1 and len(report.findings) == len(_scan(path).findings)


def _manifest(directory, artifacts):
    directory.mkdir(exist_ok=True)
    (directory / "manifest.json").write_text(json.dumps({"version": "48.0.0", "artifacts": artifacts}))
    (directory / "S.template.json").write_text(BAD)
    return directory


@pytest.mark.parametrize("artifacts, message", [
    ({"S": ["not", "an", "object"]}, "artifact 'S' is not an object"),
    ({"S": {"type": "aws:cloudformation:stack", "properties": ["templateFile"]}}, "properties is not an object"),
    ({"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "S.template.json"},
            "metadata": [{"type": "x"}]}}, "metadata is not an object"),
    ({"S": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "missing.out"}}}, "directory is missing"),
])
def test_malformed_manifests_are_input_errors_naming_the_file(tmp_path, artifacts, message):
    out = _manifest(tmp_path / "cdk.out", artifacts)
    report = _scan(out)
    assert report.errors and message in str(report.errors[0]) and str(out) in str(report.errors[0])


def test_manifest_with_an_oversized_integer_is_an_input_error(tmp_path):
    out = tmp_path / "cdk.out"
    out.mkdir()
    (out / "manifest.json").write_text('{"version": "48.0.0", "artifacts": {}, "n": ' + "9" * 5000 + "}")
    report = _scan(out)
    assert report.errors and "manifest.json" in str(report.errors[0])


def test_only_the_first_resource_no_longer_decides_path_metadata(tmp_path):
    """The logical-id map fills in construct paths when any resource lacks aws:cdk:path, not just the first."""
    out = tmp_path / "cdk.out"
    out.mkdir()
    template = {"Resources": {"First": {"Type": "AWS::SQS::Queue", "Metadata": {"aws:cdk:path": "S/First/Resource"}},
                              "Domain": noncompliant_template()["Resources"]["Domain"]}}
    (out / "S.template.json").write_text(json.dumps(template))
    (out / "manifest.json").write_text(json.dumps({"version": "48.0.0", "artifacts": {"S": {
        "type": "aws:cloudformation:stack", "properties": {"templateFile": "S.template.json"},
        "metadata": {"/S/Domain/Resource": [{"type": "aws:cdk:logicalId", "data": "Domain"}]}}}}))
    finding = next(f for f in _scan(out).findings if f.logical_id == "Domain")
    assert finding.path == "S/Domain/Resource"


def test_plugin_sources_include_the_stack_set_and_nested_templates_next_to_the_stacks(tmp_path):
    out = _manifest(tmp_path / "cdk.out", {"S": {"type": "aws:cloudformation:stack",
                                                  "properties": {"templateFile": "S.template.json"}}})
    (out / "MemberABC123.stackset.template.json").write_text(BAD)
    (out / "SInner.nested.template.json").write_text(BAD)
    names = sorted(os.path.basename(s.path) for s in sources_for_template_paths([str(out / "S.template.json")]))
    assert names == ["MemberABC123.stackset.template.json", "S.template.json", "SInner.nested.template.json"]
    assert sorted(os.path.basename(s.path) for s in discover([str(out)])) == names


def test_cdk_stack_set_with_an_unencrypted_workspace_fails_scan_summary_and_synth(tmp_path):
    """cdk-stacksets writes the member template as <id>.stackset.template.json: scanned like any stack."""
    from cdk_stacksets import StackSet, StackSetStack, StackSetTarget, StackSetTemplate

    from guardrails.checks import BedrockGuardrailsChecks

    app = App(outdir=str(tmp_path / "cdk.out"))
    org = Stack(app, "Org")
    member = StackSetStack(org, "Member")
    _domain(member, "MemberDomain")  # no key: deployed to every member account
    StackSet(org, "Set", template=StackSetTemplate.from_stack_set_stack(member),
             target=StackSetTarget.from_accounts(regions=["us-east-1"], accounts=["111111111111"]))
    plugin = BedrockGuardrailsChecks(app)
    Validations.of(app).add_plugins(plugin)
    with pytest.raises(RuntimeError, match="BedrockGuardrails-WorkspaceCMK"):
        app.synth()
    [finding] = [f for f in plugin.last_report.findings if f.rule_id == "BedrockGuardrails-WorkspaceCMK"]
    assert finding.template.endswith(".stackset.template.json") and "Member" in os.path.basename(finding.template)
    assert not [f for f in plugin.last_report.findings if f.base_rule_id == "BedrockGuardrails-InputCoverage"]
    report = _scan(tmp_path / "cdk.out")
    assert [f.rule_id for f in report.findings if f.severity.value == "error"] == ["BedrockGuardrails-WorkspaceCMK"]
    assert report.kpis["workspaces"] == 1 and report.kpis["workspaces_cmk"] == 0  # not "100% coverage"


def test_cdk_nested_stacks_are_examined_not_reported(assembly):
    report = scan(discover([str(assembly)]), Settings())
    assert not [f for f in report.findings if f.base_rule_id == "BedrockGuardrails-InputCoverage"]
    assert any(f.logical_id.startswith("InNested") for f in report.findings)


def test_a_stack_artifacts_literal_account_is_its_templates_account():
    from guardrails.cloud_assembly import stack_account

    assert stack_account({"environment": "aws://111111111111/us-east-1"}) == "111111111111"
    assert stack_account({"environment": "aws://unknown-account/unknown-region"}) is None
    assert stack_account({"environment": "aws://111111111111/us-east-1\n"}) is None
    assert stack_account({}) is None and stack_account({"environment": 7}) is None
