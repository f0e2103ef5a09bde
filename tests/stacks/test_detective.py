"""The detective stacks: one synth per module (CDK's own validation off, our plugin and cdk-nag on)."""

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from aws_cdk import App, Environment, Validations
from aws_cdk.assertions import Match, Template
from cdk_nag import AwsSolutionsChecks

from guardrails.checks import BedrockGuardrailsChecks
from guardrails.detective.metric_filters import CIS_KEY_DISABLE_OR_DELETE
from guardrails.settings import Settings
from guardrails.stacks.detective import add_detective_stacks

SETTINGS = replace(Settings(), org_target_ids=("ou-abcd-12345678",), governed_regions=("us-east-1", "eu-west-1"),
                   notification_emails=("security@example.com",), access_denied_threshold=7, config_rule_frequency_hours=6,
                   trail_log_group="aws-cloudtrail-logs-111111111111-example")


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    out = tmp_path_factory.mktemp("cdk.out")
    app = App(outdir=str(out), context={"guardrails": {}})
    stacks = add_detective_stacks(app, SETTINGS, organization_id="o-abcdef1234",
                                  env=Environment(account="111122223333", region="us-east-1"))
    Validations.of(app).add_plugins(AwsSolutionsChecks(app), BedrockGuardrailsChecks(app, settings=SETTINGS))
    app.synth()  # raises when a plugin reports an unacknowledged error
    return out, {s.stack_name: Template.from_stack(s) for s in stacks}


def test_topic_is_cmk_encrypted_tls_only_and_subscribed(synth):
    template = synth[1]["BedrockGuardrailsDetective"]
    template.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": Match.any_value()})
    template.has_resource_properties("AWS::SNS::TopicPolicy", {"PolicyDocument": {"Statement": Match.array_with([
        Match.object_like({"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})])}})
    template.has_resource_properties("AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": "security@example.com"})
    template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})


def test_config_rules_managed_and_periodic_custom(synth):
    template = synth[1]["BedrockGuardrailsDetective"]
    for identifier in ("CMK_BACKING_KEY_ROTATION_ENABLED", "KMS_CMK_NOT_SCHEDULED_FOR_DELETION",
                       "BEDROCK_DATA_SOURCE_ENCRYPTION_ENABLED", "BEDROCK_AGENTCORE_MEMORY_ENCRYPTION_ENABLED"):
        template.has_resource_properties("AWS::Config::ConfigRule", {"Source": {"Owner": "AWS", "SourceIdentifier": identifier}})
    template.has_resource_properties("AWS::Config::ConfigRule", {"Source": Match.object_like({"Owner": "CUSTOM_LAMBDA"}),
                                                                 "MaximumExecutionFrequency": "Six_Hours"})
    template.has_resource_properties("AWS::DynamoDB::Table", {"SSESpecification": {"SSEEnabled": True, "SSEType": "KMS",
                                                                                   "KMSMasterKeyId": Match.any_value()}})


def test_keyless_create_rules_and_trail_alarms(synth):
    template = synth[1]["BedrockGuardrailsDetective"]
    template.has_resource_properties("AWS::Events::Rule", {"EventPattern": Match.object_like({"source": ["aws.datazone"]}),
                                                           "Targets": [Match.object_like({"InputTransformer": Match.any_value()})]})
    template.has_resource_properties("AWS::Logs::MetricFilter", {"FilterPattern": CIS_KEY_DISABLE_OR_DELETE})
    template.has_resource_properties("AWS::CloudWatch::Alarm", {"MetricName": "KmsAccessDenied", "Threshold": 7})
    template.has_resource_properties("AWS::CloudWatch::Alarm", {"MetricName": "NonCompliant", "Threshold": 0,
                                                                "ComparisonOperator": "GreaterThanThreshold"})
    template.resource_count_is("AWS::CloudWatch::Dashboard", 1)


def test_org_stack_deploys_the_member_by_stackset_and_aggregates(synth):
    template = synth[1]["BedrockGuardrailsDetectiveOrg"]
    template.has_resource_properties("AWS::CloudFormation::StackSet", {
        "PermissionModel": "SERVICE_MANAGED", "AutoDeployment": {"Enabled": True, "RetainStacksOnAccountRemoval": False},
        "StackInstancesGroup": [Match.object_like({"Regions": ["us-east-1", "eu-west-1"],
                                                   "DeploymentTargets": Match.object_like({"OrganizationalUnitIds": ["ou-abcd-12345678"]})})]})
    template.has_resource_properties("AWS::Config::ConfigurationAggregator", {
        "OrganizationAggregationSource": Match.object_like({"AwsRegions": ["us-east-1", "eu-west-1"]})})


def test_cfn_lint_is_clean_but_for_dependencies_cdk_constructs_declare(synth):
    out = synth[0]
    templates = sorted(str(p) for p in Path(out).glob("*.template.json"))
    result = subprocess.run([sys.executable, "-m", "cfnlint", "--format", "json", *templates], capture_output=True, text=True)
    findings = json.loads(result.stdout or "[]")
    assert [f for f in findings if f["Rule"]["Id"] != "W3005"] == []


# Physical names a resource type takes, unique per account and region (dashboards: per account).
CREATED_NAMES = {"AWS::Config::ConfigRule": "ConfigRuleName", "AWS::Logs::LogGroup": "LogGroupName",
                 "AWS::Events::Rule": "Name", "AWS::CloudWatch::Dashboard": "DashboardName"}
# *Name properties that label or refer to something rather than name what the template creates.
NOT_CREATED = {("AWS::SNS::Topic", "DisplayName"), ("AWS::Lambda::Permission", "FunctionName"),
               ("AWS::CloudWatch::Alarm", "MetricName"), ("AWS::Logs::MetricFilter", "LogGroupName")}
ACCOUNT_GLOBAL = {"AWS::CloudWatch::Dashboard"}


STACK_UUID = {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}  # unique per stack instance


def _resolve(value, region):
    if isinstance(value, dict) and value.get("Ref") == "AWS::Region":
        return region
    if value == STACK_UUID:
        return "<stack-uuid>"
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(_resolve(part, region) for part in parts)
    assert isinstance(value, str), f"unresolvable name {value}"
    return value


def _physical_names(template: dict, region: str) -> dict[tuple[str, str], str]:
    """(type, name) → logical id of every resource the template creates under a fixed name."""
    names = {}
    for logical_id, resource in template["Resources"].items():
        for prop, value in resource.get("Properties", {}).items():
            if not prop.endswith("Name") or (resource["Type"], prop) in NOT_CREATED:
                continue
            assert CREATED_NAMES.get(resource["Type"]) == prop, \
                f"{logical_id}: classify {resource['Type']}.{prop} in CREATED_NAMES or NOT_CREATED"
            names[(resource["Type"], _resolve(value, region))] = logical_id
    return names


def _account_and_stackset_templates(synth) -> tuple[dict, dict]:
    out = Path(synth[0])
    members = list(out.glob("*.stackset.template.json"))
    assert len(members) == 1
    return json.loads((out / "BedrockGuardrailsDetective.template.json").read_text()), json.loads(members[0].read_text())


def test_the_account_stack_and_the_stackset_copy_share_no_physical_name(synth):
    """One account can get both (the StackSet targets an OU that holds an account with its own stack)."""
    account, member = _account_and_stackset_templates(synth)
    account_names, member_names = _physical_names(account, "us-east-1"), _physical_names(member, "us-east-1")
    assert {t for t, _ in account_names} >= set(CREATED_NAMES.keys())  # the check sees every kind of name
    assert sorted(account_names.keys() & member_names.keys()) == []


def test_one_deployment_in_two_regions_shares_no_account_global_name(synth):
    for template in _account_and_stackset_templates(synth):
        east, west = _physical_names(template, "us-east-1"), _physical_names(template, "eu-west-1")
        assert [name for name in east.keys() & west.keys() if name[0] in ACCOUNT_GLOBAL] == []


def test_the_dashboard_shows_acknowledged_exceptions(synth):
    dashboards = synth[1]["BedrockGuardrailsDetective"].find_resources("AWS::CloudWatch::Dashboard")
    body = json.loads(_resolve(next(iter(dashboards.values()))["Properties"]["DashboardBody"], "us-east-1"))
    widgets = {w["properties"].get("title"): {m[1] for m in w["properties"].get("metrics", []) if len(m) > 1 and m[0] == "BedrockGuardrails"}
               for w in body["widgets"]}
    assert widgets["Acknowledged exceptions"] == {"Exceptions"}
    assert widgets["Open non-compliant resources"] == {"NonCompliant"}


def test_the_stackset_copy_names_its_retained_log_group_per_stack_instance(synth):
    """Issue #10, item 15: a retained log group under a fixed name made every redeploy into an account fail."""
    account, member = _account_and_stackset_templates(synth)
    (group,) = [r for r in member["Resources"].values() if r["Type"] == "AWS::Logs::LogGroup"]
    assert group["DeletionPolicy"] == "Retain"
    assert _resolve(group["Properties"]["LogGroupName"], "us-east-1").endswith("-<stack-uuid>")
    key_policy = next(r for r in member["Resources"].values() if r["Type"] == "AWS::KMS::Key"
                      and "UseLogs" in json.dumps(r["Properties"]["KeyPolicy"]))["Properties"]["KeyPolicy"]
    assert json.dumps(STACK_UUID) in json.dumps(key_policy), "the alerts key must follow the log group's name"


def test_every_governed_region_has_an_asset_bucket_readable_by_the_organization(synth):
    """Issue #10, items 1 and 15: member stacks read the rule's code from <prefix>-<region> in their own region."""
    out = Path(synth[0])
    for region in SETTINGS.governed_regions:
        template = json.loads((out / f"BedrockGuardrailsStackSetAssets-{region}.template.json").read_text())
        (bucket,) = [r["Properties"] for lid, r in template["Resources"].items() if r["Type"] == "AWS::S3::Bucket"
                     and lid.startswith("StackSetAssets") and not lid.startswith("StackSetAssetLogs")]
        assert bucket["BucketName"] == f"bedrock-guardrails-stackset-assets-111122223333-{region}"
        (policy,) = [r["Properties"]["PolicyDocument"] for lid, r in template["Resources"].items()
                     if r["Type"] == "AWS::S3::BucketPolicy" and lid.startswith("StackSetAssetsPolicy")]
        (read,) = [s for s in policy["Statement"] if s.get("Sid") == "OrganizationReadsStackSetCode"]
        assert read["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": "o-abcdef1234"}}
        assert read["Action"] == "s3:GetObject"


def test_org_stack_refuses_a_governed_region_without_an_asset_bucket():
    from guardrails.stacks.detective import DetectiveOrgStack, StackSetAssetsStack

    app = App(context={"guardrails": {}})
    east = StackSetAssetsStack(app, "East", account="111122223333", region="us-east-1", organization_id="o-abcdef1234")
    with pytest.raises(ValueError, match="no StackSet asset bucket in governed region.*eu-west-1"):
        DetectiveOrgStack(app, "Org", settings=SETTINGS, asset_buckets={"us-east-1": east},
                          env=Environment(account="111122223333", region="us-east-1"))


def test_stack_sets_call_as_self_by_default_and_delegated_admin_when_set(synth):
    """Issue #10, item 8: DELEGATED_ADMIN fails from the management account (CloudFormation API, CreateStackSet CallAs)."""
    stack_set = synth[1]["BedrockGuardrailsDetectiveOrg"].find_resources("AWS::CloudFormation::StackSet")
    assert [r["Properties"].get("CallAs") for r in stack_set.values()] == ["SELF"]
