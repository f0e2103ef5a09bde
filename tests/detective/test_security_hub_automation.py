"""The opt-in Security Hub automation rules for the Config route's severities: off by default, only in the account
stack, valid CloudFormation (cfn-lint's bundled schema) that passes our policy packs, and criteria that match the
finding AWS documents for a Config rule evaluation (User Guide, AWS service integrations, AWS Config) of our rule,
and nothing else."""

from __future__ import annotations

from dataclasses import replace

import pytest
from aws_cdk import App
from aws_cdk.assertions import Template
from cfnlint.api import ManualArgs, lint_file

from guardrails.audit.reports.asff import SEVERITY
from guardrails.detective.security_hub_automation import CONFIG_RULE_NAMES, FAILED_SEVERITY
from guardrails.rules import workspace_cmk
from guardrails.settings import Settings, settings_from_mapping
from guardrails.stacks import add_policy_packs
from guardrails.stacks.detective import DetectiveStack

ON = replace(Settings(), security_hub_automation_rules=True)


def synth(settings: Settings, tmp_path) -> tuple[Template, str]:
    app = App(outdir=str(tmp_path), context={"guardrails": {}})
    stack = DetectiveStack(app, "Detective", settings=settings, trail_alarms=False)
    add_policy_packs(app, settings)
    assembly = app.synth()  # raises when any pack reports an unacknowledged error
    return Template.from_stack(stack), assembly.get_stack_artifact(stack.artifact_id).template_full_path


@pytest.fixture(scope="module")
def on(tmp_path_factory):
    return synth(ON, tmp_path_factory.mktemp("on"))


def test_off_by_default(tmp_path):
    assert Settings().security_hub_automation_rules is False
    synth(Settings(), tmp_path)[0].resource_count_is("AWS::SecurityHub::AutomationRule", 0)


def test_the_setting_is_read_like_the_others():
    assert settings_from_mapping({"security-hub-automation-rules": True}, "cdk.json").security_hub_automation_rules is True


def test_valid_cloudformation(on):
    _, path = on
    from pathlib import Path

    errors = [f"{m.rule.id} {m.message}" for m in lint_file(Path(path), ManualArgs(regions=["us-east-1"]))
              if m.rule.severity == "error"]
    assert errors == []


def _matches(criteria: dict, finding: dict) -> bool:
    """EQUALS string filters as Security Hub applies them: OR within a field, AND across fields."""
    fields = {"ProductName": finding["ProductName"], "Title": finding["Title"], "ComplianceStatus": finding["Compliance"]["Status"],
              "RecordState": finding["RecordState"]}
    assert set(criteria) <= set(fields), set(criteria) - set(fields)
    return all(any(f["Comparison"] == "EQUALS" and f["Value"] == fields[name] for f in filters)
               for name, filters in criteria.items())


def _config_finding(title: str, status: str, product: str = "Config") -> dict:
    """The fields AWS's mapping table fills for a Config rule evaluation."""
    return {"ProductName": product, "Title": title, "Compliance": {"Status": status}, "RecordState": "ACTIVE"}


def test_failed_and_passed_findings_of_our_rule_get_our_severities_and_nothing_else_is_touched(on):
    template, _ = on
    rules = {r["Properties"]["Criteria"]["ComplianceStatus"][0]["Value"]: r["Properties"]
             for r in template.find_resources("AWS::SecurityHub::AutomationRule").values()}
    assert set(rules) == {"FAILED", "PASSED"}
    severity = {status: rule["Actions"][0]["FindingFieldsUpdate"]["Severity"]["Label"] for status, rule in rules.items()}
    assert severity == {"FAILED": SEVERITY[workspace_cmk.RULE.severity.value], "PASSED": "INFORMATIONAL"} and FAILED_SEVERITY == "HIGH"
    for name in CONFIG_RULE_NAMES:
        for status in ("FAILED", "PASSED"):
            hits = [s for s, rule in rules.items() if _matches(rule["Criteria"], _config_finding(name, status))]
            assert hits == [status]
    for stranger in (_config_finding("s3-bucket-level-public-access-prohibited", "FAILED"),
                     _config_finding(CONFIG_RULE_NAMES[0], "FAILED", product="Bedrock CMK Guardrails"),
                     _config_finding(CONFIG_RULE_NAMES[0] + "-copy", "FAILED")):
        assert not any(_matches(rule["Criteria"], stranger) for rule in rules.values())
    assert all(rule["RuleStatus"] == "ENABLED" and rule["IsTerminal"] is False for rule in rules.values())


def test_only_the_account_stack_has_them_never_the_stackset_copy(tmp_path):
    """Member accounts cannot create automation rules: with the setting on, the whole suite (app.py's composition,
    every policy pack) has them in BedrockGuardrailsDetective only, not in the member template the StackSet deploys."""
    import json

    from tests.conftest import ROOT
    from tests.stacks.conftest import synth_suite

    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    outdir = synth_suite(tmp_path / "cdk.out", guardrails={**context.get("guardrails", {}), "security-hub-automation-rules": True})
    templates = {path.name: path.read_text() for path in outdir.glob("*.template.json")}
    members = [name for name in templates if name.startswith("BedrockGuardrailsDetectiveOrgMember")]
    assert members and all("AWS::Config::ConfigRule" in templates[name] for name in members)  # the copy is there
    assert sorted(name for name, text in templates.items() if "AWS::SecurityHub::AutomationRule" in text) == \
        ["BedrockGuardrailsDetective.template.json"]
