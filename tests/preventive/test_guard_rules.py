"""The Guard Hook's rules: the committed file is the default rendering, its cfn-guard tests pass, and the
places where Guard is deliberately stricter than the catalog stay exactly those (README: Preventive controls)."""

import dataclasses
import json
import subprocess
from pathlib import Path

import pytest
import yaml

from guardrails.preventive.guard_binary import cfn_guard_path
from guardrails.preventive.guard_rules import RULES_FILE, catalog_id, render
from guardrails.rules import CATALOG
from guardrails.cloud_assembly import TemplateSource
from guardrails.engine import scan
from guardrails.preventive.guard_runner import _failures, guard_failures
from guardrails.settings import Settings
from guardrails.template import Template, load_template
from tests.preventive.catalog_verdicts import catalog_failures

TEST_FILES = sorted((RULES_FILE.parent / "tests").glob("*.yaml"))
ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KEY = {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": True}}


def test_committed_rules_are_the_default_rendering():
    assert RULES_FILE.read_text() == render(Settings()), "regenerate: python -c 'from guardrails.preventive.guard_rules " \
        "import RULES_FILE, render; RULES_FILE.write_text(render())'"


@pytest.mark.parametrize("path", TEST_FILES, ids=lambda p: p.name)
def test_cfn_guard_test_files_pass(path):
    run = subprocess.run([str(cfn_guard_path()), "test", "-r", str(RULES_FILE), "-t", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "FAIL Rules" not in run.stdout


def _template(**resources) -> Template:
    return Template("inline.json", {"Resources": {"Key": KEY, **resources},
                                    "Mappings": {"Keys": {"prod": {"arn": ARN}}}})


STRICTER = {
    # Deploy time resolves these to a key ARN, so the hook agrees with the catalog there.
    "Fn::Sub of a key attribute": {"Type": "AWS::Bedrock::Agent", "Properties": {"CustomerEncryptionKeyArn": {"Fn::Sub": "${Key.Arn}"}}},
    "Fn::FindInMap of literal key ARNs": {"Type": "AWS::Bedrock::Agent", "Properties": {
        "CustomerEncryptionKeyArn": {"Fn::FindInMap": ["Keys", "prod", "arn"]}}},
    "nested Fn::If": {"Type": "AWS::Bedrock::Agent", "Properties": {"CustomerEncryptionKeyArn": {
        "Fn::If": ["A", {"Fn::If": ["B", ARN, ARN]}, ARN]}}},
    "Fn::If above the key property": {"Type": "AWS::Bedrock::DataSource", "Properties": {
        "ServerSideEncryptionConfiguration": {"Fn::If": ["A", {"KmsKeyArn": ARN}, {"KmsKeyArn": ARN}]}}},
}


@pytest.mark.parametrize("name", STRICTER)
def test_guard_is_stricter_only_where_documented(name):
    template = _template(Subject=STRICTER[name])
    assert ("Subject", "BedrockGuardrails-ResourceCMK") not in catalog_failures(template, Settings())
    assert ("Subject", "BedrockGuardrails-ResourceCMK") in guard_failures(RULES_FILE, template.data)


def test_alias_defined_in_the_template_fails_in_both():
    # An alias can be repointed outside CloudFormation: the catalog fails it, and the hook sees "alias/name".
    alias = {"Type": "AWS::KMS::Alias", "Properties": {"AliasName": "alias/team", "TargetKeyId": {"Ref": "Key"}}}
    project = {"Type": "AWS::Bedrock::DataAutomationProject", "Properties": {"ProjectName": "p", "KmsKeyId": {"Ref": "Alias"}}}
    template = _template(Alias=alias, Subject=project)
    assert ("Subject", "BedrockGuardrails-ResourceCMK") in catalog_failures(template, Settings())
    assert ("Subject", "BedrockGuardrails-ResourceCMK") in guard_failures(RULES_FILE, template.data)


def test_settings_shape_the_rules(tmp_path):
    strict = dataclasses.replace(Settings(), required_tags={"Owner": r"team-[a-z]+"}, min_pending_window_days=14).validate()
    rules = tmp_path / "strict.guard"
    rules.write_text(render(strict))
    key = {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": True, "PendingWindowInDays": 14,
                                                   "Tags": [{"Key": "Owner", "Value": "Team A"}]}}
    domain = {"Type": "AWS::DataZone::Domain", "Properties": {"KmsKeyIdentifier": {"Fn::GetAtt": ["Key", "Arn"]},
                                                              "Tags": [{"Key": "Owner", "Value": "team-a"}]}}
    template = Template("t.json", {"Resources": {"Key": key, "Domain": domain}})
    assert guard_failures(rules, template.data) == catalog_failures(template, strict) == {
        ("Key", "BedrockGuardrails-KeyOwnershipTags")}


def _hook_cases() -> list[dict]:
    return [case for path in TEST_FILES for case in yaml.safe_load(path.read_text())]


def _type_shape(data: dict) -> dict:
    """The same hook input in the other shape AWS's page shows: Type / Properties."""
    resources = {lid: {"Type": r["ResourceType"], "Properties": r.get("ResourceProperties", {})}
                 for lid, r in data["Resources"].items()}
    return {**data, "Resources": resources}


@pytest.mark.parametrize("case", _hook_cases(), ids=lambda c: c["name"])
def test_every_hook_case_holds_in_both_input_shapes(case):
    """AWS's "Write Guard rules to evaluate resources for Guard Hooks" shows ResourceType/ResourceProperties and
    Type/Properties inputs: every rule must give the same verdict in both (the real cfn-guard, both shapes)."""
    hook_shape = guard_failures(RULES_FILE, case["input"])
    type_shape = guard_failures(RULES_FILE, _type_shape(case["input"]))
    assert hook_shape == type_shape
    expected = case["expectations"]["rules"]
    failing = {rule for _, rule in hook_shape}
    assert {catalog_id(r) for r, v in expected.items() if v == "FAIL"} <= failing
    assert not {catalog_id(r) for r, v in expected.items() if v != "FAIL"} & failing


def test_hook_cases_pass_and_fail_every_guarded_rule():
    verdicts: dict[str, set[str]] = {}
    for case in _hook_cases():
        for rule, verdict in case["expectations"]["rules"].items():
            verdicts.setdefault(catalog_id(rule), set()).add(verdict)
    for rule in CATALOG:
        if rule.guard is not None:
            assert {"PASS", "FAIL"} <= verdicts.get(rule.id, set()), f"{rule.id}: hook cases must pass and fail it"


def test_yaml_short_form_getatt_validates_like_the_parsed_template():
    """`!GetAtt Key.Arn` reaches cfn-guard as the string "Key.Arn": a compliant template must still pass."""
    corpus = Path(__file__).parents[1] / "corpus" / "workspace_keys.yaml"
    raw = subprocess.run([str(cfn_guard_path()), "validate", "-r", str(RULES_FILE), "-d", str(corpus), "-o", "json",
                          "--show-summary", "none"], capture_output=True, text=True, timeout=120)
    assert raw.returncode in (0, 19), raw.stderr
    assert set(_failures(json.loads(raw.stdout))) == guard_failures(RULES_FILE, load_template(corpus).data)


def test_string_getatt_of_a_key_passes_and_of_another_resource_fails(tmp_path):
    template = tmp_path / "t.yaml"
    template.write_text("""
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
      Tags: [{Key: Owner, Value: a}, {Key: CostCenter, Value: b}, {Key: DataClassification, Value: c}]
  Bucket: {Type: AWS::S3::Bucket}
  Good:
    Type: AWS::DataZone::Domain
    Properties:
      Name: d
      KmsKeyIdentifier: !GetAtt Key.Arn
      Tags: [{Key: Owner, Value: a}, {Key: CostCenter, Value: b}, {Key: DataClassification, Value: c}]
  Bad:
    Type: AWS::Bedrock::Agent
    Properties: {AgentName: a, CustomerEncryptionKeyArn: !GetAtt Bucket.Arn}
  ById:
    Type: AWS::Bedrock::DataAutomationProject
    Properties: {ProjectName: p, KmsKeyId: !GetAtt Key.KeyId}
""")
    run = subprocess.run([str(cfn_guard_path()), "validate", "-r", str(RULES_FILE), "-d", str(template), "-o", "json",
                          "--show-summary", "none"], capture_output=True, text=True, timeout=120)
    assert set(_failures(json.loads(run.stdout))) == {("Bad", "BedrockGuardrails-ResourceCMK")}


def test_guard_hook_does_not_honour_acknowledgments(tmp_path):
    """docs/acknowledgments.md: deploy time is stricter. An acknowledged finding passes scan, fails the hook."""
    agent = {"Type": "AWS::Bedrock::Agent", "Properties": {"AgentName": "a"}, "Metadata": {"guardrails": {"acknowledged": [
        {"id": "BedrockGuardrails-ResourceCMK", "reason": "prototype without data, expires 2027-01"}]}}}
    template = _template(Subject=agent)
    path = tmp_path / "t.json"
    path.write_text(json.dumps(template.data))
    report = scan([TemplateSource(str(path))], Settings())
    assert [e.finding.rule_id for e in report.exceptions] == ["BedrockGuardrails-ResourceCMK"]
    assert not [f for f in report.findings if f.logical_id == "Subject"]
    assert ("Subject", "BedrockGuardrails-ResourceCMK") in guard_failures(RULES_FILE, template.data)
    hook_input = {"Resources": {"Subject": {"ResourceType": agent["Type"], "ResourceProperties": agent["Properties"]}}}
    assert ("Subject", "BedrockGuardrails-ResourceCMK") in guard_failures(RULES_FILE, hook_input)
