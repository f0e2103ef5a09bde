"""Preventive stacks: template assertions; they synthesize through every policy pack and lint clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aws_cdk import App
from cfnlint.api import ManualArgs, lint_file

from guardrails.preventive.documents import scp_documents
from guardrails.preventive.workspace_hook import TARGET_TYPES
from guardrails.rules.governed_types import GOVERNED_TYPES
from guardrails.settings import Settings
from guardrails.stacks import add_policy_packs
from guardrails.stacks.preventive import add_preventive_stacks

SETTINGS = Settings(org_target_ids=("ou-abcd-12345678", "r-ab12"), governed_regions=("us-east-1", "eu-west-1"),
                    platform_role="arn:aws:iam::111122223333:role/platform").validate()


@pytest.fixture(scope="module")
def assembly(tmp_path_factory) -> Path:
    """Synthesized once; app.synth() raises when BedrockGuardrailsChecks, AwsSolutions or NIST 800-53 report an error."""
    outdir = tmp_path_factory.mktemp("preventive") / "cdk.out"
    app = App(outdir=str(outdir))
    add_preventive_stacks(app, SETTINGS, organization_id="o-abcdef1234")
    add_policy_packs(app, SETTINGS)
    app.synth()
    return outdir


def _template(assembly: Path, prefix: str) -> dict:
    (path,) = [p for p in assembly.glob(f"{prefix}*.json") if p.name.endswith("template.json")]
    return json.loads(path.read_text())


def _of_type(template: dict, resource_type: str) -> list[dict]:
    return [r["Properties"] for r in template["Resources"].values() if r["Type"] == resource_type]


def test_org_stack_attaches_each_scp_to_the_targets(assembly):
    policies = _of_type(_template(assembly, "BedrockGuardrailsPreventiveOrg.template"), "AWS::Organizations::Policy")
    assert [p["Content"] for p in policies] == scp_documents(SETTINGS)
    assert all(p["Type"] == "SERVICE_CONTROL_POLICY" and p["TargetIds"] == list(SETTINGS.org_target_ids) for p in policies)


def test_stack_set_is_service_managed_auto_deployed_to_ous_and_regions(assembly):
    (stack_set,) = _of_type(_template(assembly, "BedrockGuardrailsPreventiveOrg.template"), "AWS::CloudFormation::StackSet")
    assert stack_set["PermissionModel"] == "SERVICE_MANAGED"
    assert stack_set["AutoDeployment"]["Enabled"] is True
    (group,) = stack_set["StackInstancesGroup"]
    assert group["Regions"] == list(SETTINGS.governed_regions)
    assert group["DeploymentTargets"]["OrganizationalUnitIds"] == list(SETTINGS.org_target_ids)


@pytest.mark.parametrize("prefix", ["BedrockGuardrailsPreventive.template", "BedrockGuardrailsPreventiveOrgHookMember"])
def test_hook_fails_closed_on_every_governed_type(assembly, prefix):
    template = _template(assembly, prefix)
    (hook,) = _of_type(template, "AWS::CloudFormation::GuardHook")
    assert (hook["FailureMode"], hook["HookStatus"]) == ("FAIL", "ENABLED")
    assert sorted(hook["TargetOperations"]) == ["CLOUD_CONTROL", "RESOURCE"]
    targeted = {t["TargetName"] for t in hook["TargetFilters"]["Targets"]}
    assert targeted == set(TARGET_TYPES) and GOVERNED_TYPES <= targeted
    assert "Fn::ImportValue" not in json.dumps(template), "member accounts cannot import the management account's exports"
    (policy,) = [r["Properties"] for lid, r in template["Resources"].items()
                 if r["Type"] == "AWS::IAM::Policy" and lid.startswith("HookExecutionRole")]
    assert {a for s in policy["PolicyDocument"]["Statement"] for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])} \
        == {"s3:ListBucket", "s3:GetObject", "s3:GetObjectVersion", "kms:Decrypt"}  # guard-hooks-prepare-to-create-hook.html


def test_rules_bucket_is_versioned_cmk_tls_only_logged_private(assembly):
    template = _template(assembly, "BedrockGuardrailsPreventive.template")
    buckets = {lid: r["Properties"] for lid, r in template["Resources"].items() if r["Type"] == "AWS::S3::Bucket"}
    (rules,) = [b for lid, b in buckets.items() if lid.startswith("RulesBucketRules")]
    assert rules["VersioningConfiguration"] == {"Status": "Enabled"}
    assert rules["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert rules["LoggingConfiguration"]["DestinationBucketName"]
    assert all(rules["PublicAccessBlockConfiguration"][k] for k in
               ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"))
    policies = [r["Properties"]["PolicyDocument"] for r in template["Resources"].values() if r["Type"] == "AWS::S3::BucketPolicy"]
    assert any(s["Effect"] == "Deny" and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
               for p in policies for s in p["Statement"])


def test_account_stack_has_the_boundary(assembly):
    (boundary,) = _of_type(_template(assembly, "BedrockGuardrailsPreventive.template"), "AWS::IAM::ManagedPolicy")
    assert boundary["PolicyDocument"]["Statement"][0]["Action"] == "*"


def test_templates_lint_clean(assembly):
    for path in assembly.glob("*.template.json"):
        errors = [m for m in lint_file(path, ManualArgs(regions=["us-east-1"])) if m.rule.severity == "error"]
        assert errors == [], f"{path.name}: {errors}"


def test_acknowledgments_carry_reasons(assembly):
    for path in assembly.glob("*.metadata.json"):
        for entries in json.loads(path.read_text()).values():
            for entry in entries:
                if entry["type"] == "aws:cdk:acknowledged-rules":
                    assert all(len(reason) > 40 for reason in entry["data"].values())


def test_stack_set_calls_as_self_by_default(assembly):
    """Issue #10, item 8: DELEGATED_ADMIN fails from the management account, which the README allows."""
    (stack_set,) = _of_type(_template(assembly, "BedrockGuardrailsPreventiveOrg.template"), "AWS::CloudFormation::StackSet")
    assert stack_set["CallAs"] == "SELF"


def test_delegated_admin_is_a_setting_that_needs_its_deployer_exempted():
    from dataclasses import replace

    from aws_cdk import Environment

    delegated = replace(SETTINGS, stackset_call_as="DELEGATED_ADMIN")
    env = Environment(account="444455556666", region="us-east-1")
    with pytest.raises(ValueError, match="hook_deployer_roles"):
        add_preventive_stacks(App(), delegated, organization_id="o-abcdef1234", env=env)
    deployer = "arn:aws:iam::444455556666:role/cdk-hnb659fds-cfn-exec-role-444455556666-us-east-1"
    allowed = replace(delegated, hook_deployer_roles=(*delegated.hook_deployer_roles, deployer))
    (_, org) = add_preventive_stacks(app := App(), allowed, organization_id="o-abcdef1234", env=env)
    template = app.synth().get_stack_by_name(org.stack_name).template
    (stack_set,) = _of_type(template, "AWS::CloudFormation::StackSet")
    assert stack_set["CallAs"] == "DELEGATED_ADMIN"
    scp = json.dumps([p["Content"] for p in _of_type(template, "AWS::Organizations::Policy")])
    assert deployer in scp


def test_the_single_account_stack_is_the_one_hook_protection_names():
    """Issue #10, item 4: the name protected and the name deployed come from one setting."""
    from dataclasses import replace

    from guardrails.preventive.hook_protection import hook_stack_arns

    renamed = replace(SETTINGS, preventive_stack_name="PlatformHook")
    (single, _) = add_preventive_stacks(App(), renamed, organization_id="o-abcdef1234")
    assert single.stack_name == "PlatformHook"
    assert hook_stack_arns(renamed)[0] == "arn:aws:cloudformation:*:*:stack/PlatformHook/*"
