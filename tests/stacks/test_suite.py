"""The suite app: the stacks it composes pass every pack, and our own engine agrees."""

from __future__ import annotations

import json

import pytest
from aws_cdk import App, Environment, Stack
from aws_cdk import aws_datazone as datazone
from aws_cdk import aws_kms as kms

from guardrails.cloud_assembly import assembly_sources
from guardrails.engine import scan
from guardrails.settings import settings_from_cdk_context, settings_from_mapping
from guardrails.stacks import add_policy_packs
from tests.stacks.conftest import ROOT, synth_suite


def test_suite_composes_the_keys_example_workspace_and_detective_stacks(suite_templates):
    assert {"WorkspaceKeys", "ExampleWorkspace", "BedrockGuardrailsDetective", "BedrockGuardrailsDetectiveOrg"} <= set(suite_templates)


def test_add_policy_packs_attaches_all_four_packs(tmp_path):
    """The suite passing means something only if every pack runs: a key without rotation trips all four."""
    app = App(context=json.loads((ROOT / "cdk.json").read_text())["context"], outdir=str(tmp_path))
    stack = Stack(app, "Probe", env=Environment(account="111111111111", region="us-east-1"))
    key = kms.Key(stack, "Unrotated", enable_key_rotation=False)
    datazone.CfnDomain(stack, "Domain", name="probe", domain_execution_role="arn:aws:iam::111111111111:role/x",
                       kms_key_identifier=key.key_arn)
    add_policy_packs(app, settings_from_cdk_context(app.node))
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    report = json.loads((tmp_path / "validation-report.json").read_text())
    plugins = {r["pluginName"] for r in report["pluginReports"] if r["conclusion"] == "failure"}
    assert {"BedrockGuardrails", "AwsSolutions", "NIST.800.53.R5", "cdk-validator-cfnguard"} <= plugins


def test_engine_finds_no_errors_and_full_cmk_coverage(suite_assembly):
    settings = settings_from_mapping(json.loads((ROOT / "cdk.json").read_text())["context"]["guardrails"], "cdk.json")
    report = scan(assembly_sources(str(suite_assembly)), settings)
    assert not report.errors
    assert [f.rule_id for f in report.findings if f.severity.value == "error"] == []
    kpis = report.kpis
    assert kpis["workspaces"] == kpis["workspaces_cmk"] >= 1
    assert kpis["bedrock_resources"] == kpis["bedrock_resources_cmk"] >= 3


ACKNOWLEDGMENTS_DOC = ROOT / "docs" / "acknowledgments.md"  # the suite's acknowledgment table lives there


def test_every_acknowledgment_has_a_specific_reason_listed_in_the_docs(suite_assembly):
    readme = ACKNOWLEDGMENTS_DOC.read_text()
    acknowledged = {}
    for metadata_file in suite_assembly.glob("*.metadata.json"):
        for entries in json.loads(metadata_file.read_text()).values():
            for entry in entries:
                if entry.get("type") == "aws:cdk:acknowledged-rules":
                    acknowledged.update(entry["data"])
    assert acknowledged, "the DataZone roles' managed-policy acknowledgment should be present"
    for rule_id, reason in acknowledged.items():
        assert len(reason) >= 40, rule_id
        assert rule_id.split("::", 1)[-1].split("[", 1)[0] in readme, f"{rule_id} is not listed in {ACKNOWLEDGMENTS_DOC.name}"


def test_insecure_demo_fails_synth_with_the_finding_and_its_fix(tmp_path):
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        synth_suite(tmp_path / "cdk.out", **{"guardrails:demo-insecure": "true"})
    report = (tmp_path / "cdk.out" / "validation-report.json").read_text()
    assert "BedrockGuardrails-WorkspaceCMK" in report
    assert "Set KmsKeyIdentifier" in report


def test_no_pack_reports_any_violation_even_when_it_calls_itself_successful(suite_assembly):
    """cdk-validator-cfnguard can conclude "success" while printing ERROR violations: count violations, not verdicts."""
    report_file = suite_assembly / "validation-report.json"
    reports = json.loads(report_file.read_text())["pluginReports"] if report_file.exists() else []
    violations = {r["pluginName"]: [v["ruleName"] for v in r["violations"]] for r in reports if r["violations"]}
    assert violations == {}


def test_suite_includes_the_preventive_stacks(suite_templates):
    assert {"BedrockGuardrailsPreventive", "BedrockGuardrailsPreventiveOrg"} <= set(suite_templates)


def test_docs_list_exactly_the_suites_acknowledgments(suite_assembly):
    import os
    import re

    from guardrails.cli.summary import _all_acknowledgments, acknowledgments_markdown
    from guardrails.cloud_assembly import assembly_sources

    table = acknowledgments_markdown(_all_acknowledgments(assembly_sources(str(suite_assembly))))
    readme_path = ACKNOWLEDGMENTS_DOC
    readme = readme_path.read_text()
    block = re.compile(r"(<!-- acknowledgments:start -->\n)(.*?)(<!-- acknowledgments:end -->)", re.DOTALL)
    if os.environ.get("UPDATE_README"):
        readme_path.write_text(block.sub(lambda m: m.group(1) + table + m.group(3), readme))
        readme = readme_path.read_text()
    assert block.search(readme).group(2) == table, "docs/acknowledgments.md's acknowledgment table is stale: rerun with UPDATE_README=1"
