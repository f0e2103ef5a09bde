"""The Guard Hook's rules: the committed file is the default rendering, its cfn-guard tests pass, and the
places where Guard is deliberately stricter than the catalog stay exactly those (README: Preventive controls)."""

import dataclasses
import subprocess
from pathlib import Path

import pytest

from guardrails.preventive.guard_binary import cfn_guard_path
from guardrails.preventive.guard_rules import RULES_FILE, render
from guardrails.preventive.guard_runner import guard_failures
from guardrails.settings import Settings
from guardrails.template import Template
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
