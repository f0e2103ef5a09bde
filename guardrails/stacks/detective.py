"""Detective controls as stacks.

- DetectiveStack: one account and region: topic, Config rules, custom rule, EventBridge rules,
  NonCompliant alarm, dashboard; with `trail_alarms=True` also the metric filters on the trail log
  group (deploy that copy where the trail's log group is).
- DetectiveOrgStack (management or delegated-admin account): a service-managed StackSet with
  auto-deployment that puts the member copy in every target account and governed region, and an
  organization Config aggregator for the organization-wide view.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, App, RemovalPolicy, Stack, Validations
from aws_cdk import aws_config as config
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from cdk_stacksets import Capability, DeploymentType, StackSet, StackSetStack, StackSetTarget, StackSetTemplate
from constructs import Construct

from guardrails.detective.config_rules import ManagedConfigRules, WorkspaceConfigRule
from guardrails.detective.dashboard import KpiDashboard
from guardrails.detective.notifications import AlertTopic
from guardrails.detective.realtime import KeylessCreateAlerts
from guardrails.detective.trail_alarms import NonCompliantAlarm, TrailAlarms
from guardrails.settings import Settings

ASSET_BUCKET_PREFIX = "bedrock-guardrails-stackset-assets"

# cdk-nag AwsSolutions findings acknowledged, each with its reason (listed in the README too).
_RULE_READS = ("The custom rule reads every DataZone domain, Bedrock resource and KMS key in the account: their ids are "
               "discovered at run time; config:PutEvaluations and cloudwatch:PutMetricData take no resource ARN "
               "(PutMetricData is pinned to the BedrockGuardrails namespace by condition).")
MEMBER_ACKNOWLEDGMENTS = {
    "AwsSolutions::AwsSolutions-IAM5[Resource::*]": _RULE_READS,
    "AwsSolutions::AwsSolutions-IAM5[Resource::<WorkspaceRuleLogs96CFE5BD.Arn>:*]":
        "Log streams of the rule's own log group: Lambda names them at run time.",
    "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSConfigRulesExecutionRole]":
        "aws_config.CustomRule attaches AWS's documented policy for custom rule functions (config:Put*/Get* on rule results).",
}
ORG_ACKNOWLEDGMENTS = {
    "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSConfigRoleForOrganizations]":
        "The organization aggregator's role uses the AWS-maintained policy that follows Organizations API changes.",
    "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]":
        "cdk-stacksets' asset copy (a CDK BucketDeployment) brings its own function role; we do not own that construct.",
    "AwsSolutions::AwsSolutions-L1": "The BucketDeployment function of cdk-stacksets pins its own runtime.",
    "AwsSolutions::AwsSolutions-S1": "The StackSet asset bucket only holds the rule's code zip, written at deploy time; "
                                     "CloudTrail records its writes, so a second log bucket per region adds no audit value.",
    **{f"AwsSolutions::AwsSolutions-IAM5[{finding}]": "The BucketDeployment that copies the rule's code zip to the StackSet "
       "asset bucket reads the CDK asset bucket and writes object keys it only learns at deploy time."
       for finding in ("Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*", "Action::s3:DeleteObject*",
                       "Action::s3:Abort*", "Resource::<StackSetAssets437A01B8.Arn>/*",
                       "Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*")},
}


def _detective_controls(scope: Construct, settings: Settings, *, trail_alarms: bool) -> None:
    alerts = AlertTopic(scope, "Alerts", settings=settings)
    ManagedConfigRules(scope, "ManagedRules")
    WorkspaceConfigRule(scope, "WorkspaceRule", settings=settings, alerts=alerts)
    KeylessCreateAlerts(scope, "KeylessCreates", alerts=alerts)
    NonCompliantAlarm(scope, "NonCompliant", alerts=alerts, period_hours=settings.config_rule_frequency_hours)
    KpiDashboard(scope, "Kpis", period_hours=settings.config_rule_frequency_hours)
    if trail_alarms:
        TrailAlarms(scope, "TrailAlarms", settings=settings, alerts=alerts)


def _acknowledge(scope: Construct, acknowledgments: dict[str, str]) -> None:
    for rule, reason in acknowledgments.items():
        Validations.of(scope).acknowledge(Acknowledgment(id=rule, reason=reason))


class DetectiveStack(Stack):
    def __init__(self, scope: Construct, id: str, *, settings: Settings, trail_alarms: bool = True, **kwargs) -> None:
        super().__init__(scope, id, description="Bedrock CMK Guardrails: detective controls", **kwargs)
        _detective_controls(self, settings, trail_alarms=trail_alarms)
        _acknowledge(self, MEMBER_ACKNOWLEDGMENTS)


class _MemberStack(StackSetStack):
    def __init__(self, scope: Construct, id: str, *, settings: Settings, asset_bucket: s3.IBucket) -> None:
        super().__init__(scope, id, asset_bucket_prefix=ASSET_BUCKET_PREFIX, asset_buckets=[asset_bucket])
        _detective_controls(self, settings, trail_alarms=False)
        _acknowledge(self, MEMBER_ACKNOWLEDGMENTS)


class DetectiveOrgStack(Stack):
    def __init__(self, scope: Construct, id: str, *, settings: Settings, **kwargs) -> None:
        super().__init__(scope, id, description="Bedrock CMK Guardrails: detective controls for the organization", **kwargs)
        bucket = s3.Bucket(self, "StackSetAssets", bucket_name=f"{ASSET_BUCKET_PREFIX}-{self.region}",
                           encryption=s3.BucketEncryption.S3_MANAGED, enforce_ssl=True,
                           block_public_access=s3.BlockPublicAccess.BLOCK_ALL, removal_policy=RemovalPolicy.RETAIN)
        member = _MemberStack(self, "Member", settings=settings, asset_bucket=bucket)
        StackSet(self, "StackSet", stack_set_name="bedrock-guardrails-detective", template=StackSetTemplate.from_stack_set_stack(member),
                 deployment_type=DeploymentType.service_managed(auto_deploy_enabled=True, auto_deploy_retain_stacks=False),
                 target=StackSetTarget.from_organizational_units(organizational_units=list(settings.org_target_ids),
                                                                 regions=list(settings.governed_regions)),
                 capabilities=[Capability.NAMED_IAM])
        role = iam.Role(self, "AggregatorRole", assumed_by=iam.ServicePrincipal("config.amazonaws.com"),
                        managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AWSConfigRoleForOrganizations")])
        config.CfnConfigurationAggregator(
            self, "Aggregator", configuration_aggregator_name="bedrock-guardrails-organization",
            organization_aggregation_source=config.CfnConfigurationAggregator.OrganizationAggregationSourceProperty(
                role_arn=role.role_arn, aws_regions=list(settings.governed_regions)))
        _acknowledge(self, {**MEMBER_ACKNOWLEDGMENTS, **ORG_ACKNOWLEDGMENTS})


def add_detective_stacks(app: App, settings: Settings) -> list[Stack]:
    """The account's own detective stack, and the organization stack when org targets are set."""
    stacks: list[Stack] = [DetectiveStack(app, "BedrockGuardrailsDetective", settings=settings)]
    if settings.org_target_ids:
        stacks.append(DetectiveOrgStack(app, "BedrockGuardrailsDetectiveOrg", settings=settings))
    return stacks
