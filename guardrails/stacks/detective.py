"""Detective controls as stacks.

- DetectiveStack: one account and region: topic, Config rules, custom rule, EventBridge rules,
  NonCompliant alarm, dashboard; with `trail_alarms=True` also the metric filters on the trail log
  group (deploy that copy where the trail's log group is).
- DetectiveOrgStack (management or delegated-admin account): a service-managed StackSet with
  auto-deployment that puts the member copy in every target account and governed region, and an
  organization Config aggregator for the organization-wide view.
- StackSetAssetsStack: one per governed region, the bucket the member copies read the rule's code from.
"""

from __future__ import annotations

from aws_cdk import App, Aws, Duration, Environment, Fn, RemovalPolicy, Stack
from aws_cdk import aws_config as config
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from cdk_stacksets import Capability, DeploymentType, StackSet, StackSetStack, StackSetTarget, StackSetTemplate
from constructs import Construct

from guardrails.detective.config_rules import ManagedConfigRules, WorkspaceConfigRule, acknowledge
from guardrails.detective.dashboard import KpiDashboard
from guardrails.detective.names import ACCOUNT_STACK_PREFIX, STACKSET_PREFIX, DeploymentNames
from guardrails.detective.notifications import AlertTopic
from guardrails.detective.realtime import KeylessCreateAlerts
from guardrails.detective.security_hub_automation import ConfigRouteSeverity
from guardrails.detective.remediation import ROLE_ACKNOWLEDGMENTS as REMEDIATION_ACKNOWLEDGMENTS, KeyRemediation
from guardrails.detective.trail_alarms import NonCompliantAlarm, TrailAlarms
from guardrails.preventive.kill_switch import KillSwitch
from guardrails.settings import Settings
from guardrails.stacks.preventive import cdk_asset_objects

ASSET_BUCKET_PREFIX = "bedrock-guardrails-stackset-assets"

# cdk-nag AwsSolutions findings acknowledged, each with its reason (listed in the README too).
_RULE_READS = ("The custom rule reads every DataZone domain, Bedrock resource and KMS key in the account: their ids are "
               "discovered at run time; config:PutEvaluations and cloudwatch:PutMetricData take no resource ARN "
               "(PutMetricData is pinned to the BedrockGuardrails namespace by condition).")
_COPY_REASON = ("The BucketDeployment that copies the rule's code zip to the StackSet asset buckets reads the CDK asset "
                "bucket and writes object keys it only learns at deploy time.")
MEMBER_ACKNOWLEDGMENTS = {
    "AwsSolutions::AwsSolutions-IAM5[Resource::*]": _RULE_READS,
    "AwsSolutions::AwsSolutions-IAM5[Resource::<WorkspaceRuleLogs96CFE5BD.Arn>:*]":
        "Log streams of the rule's own log group: Lambda names them at run time.",
}
ORG_ACKNOWLEDGMENTS = {
    "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSConfigRoleForOrganizations]":
        "The organization aggregator's role uses the AWS-maintained policy that follows Organizations API changes.",
    "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]":
        "cdk-stacksets' asset copy (a CDK BucketDeployment) brings its own function role; we do not own that construct.",
    "AwsSolutions::AwsSolutions-L1": "The BucketDeployment function of cdk-stacksets pins its own runtime.",
    **{f"AwsSolutions::AwsSolutions-IAM5[{finding}]": _COPY_REASON
       for finding in ("Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*", "Action::s3:DeleteObject*",
                       "Action::s3:Abort*")},
}

# NIST 800-53 and Control Tower findings on the org stack's own resources (listed in the README too).
_ASSET_KMS = ("The bucket holds only the rule's code zip (no data) and is read by CloudFormation in every member account; "
              "a CMK would need a key policy open to the whole organization, so it stays on SSE-S3.")
_ASSET_REPLICATION = ("Each governed region has its own asset bucket, filled by that region's deploy from source; a "
                      "cross-region replica of a rebuildable artifact (or of its access logs) adds no recovery.")
ASSET_BUCKET_ACKNOWLEDGMENTS = {
    "NIST.800.53.R5::NIST.800.53.R5-S3DefaultEncryptionKMS": _ASSET_KMS,
    "cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check": _ASSET_KMS,
    "NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled": _ASSET_REPLICATION,
    "cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check":
        "Each deploy replaces and prunes the code zip; versioning keeps 30 days of earlier copies. Object Lock retention would "
        "block that pruning and protects no records.",
}
_LOG_NO_SELF_LOGGING = "This is the access-log bucket of the StackSet asset bucket; logging it to itself would loop."
_LOG_SSE_S3 = "S3 server access log delivery supports only SSE-S3 as the target bucket's default encryption, not SSE-KMS."
LOG_BUCKET_ACKNOWLEDGMENTS = {
    "AwsSolutions::AwsSolutions-S1": _LOG_NO_SELF_LOGGING,
    "NIST.800.53.R5::NIST.800.53.R5-S3BucketLoggingEnabled": _LOG_NO_SELF_LOGGING,
    "cdk-validator-cfnguard::s3_bucket_logging_enabled_check": _LOG_NO_SELF_LOGGING,
    "NIST.800.53.R5::NIST.800.53.R5-S3DefaultEncryptionKMS": _LOG_SSE_S3,
    "cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check": _LOG_SSE_S3,
    "NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled": _ASSET_REPLICATION,
    "cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check":
        "S3 server access logging does not deliver to a bucket with an Object Lock default retention, and Object Lock "
        "without one protects nothing; the logs are versioned, TLS-only and closed to the public.",
}
_NOT_OURS = "cdk-stacksets' asset copy (a CDK BucketDeployment custom resource) owns this function"
BUCKET_DEPLOYMENT_ACKNOWLEDGMENTS = {
    "NIST.800.53.R5::NIST.800.53.R5-LambdaInsideVPC": f"{_NOT_OURS}; it only copies between S3 buckets at deploy time.",
    "cdk-validator-cfnguard::lambda_inside_vpc_check": f"{_NOT_OURS}; it only copies between S3 buckets at deploy time.",
    "NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ": f"{_NOT_OURS}; CloudFormation invokes it and records a failure as a failed "
                                                "deploy, so a dead-letter queue would catch nothing.",
    "NIST.800.53.R5::NIST.800.53.R5-LambdaConcurrency": f"{_NOT_OURS}; it runs once per deploy, only when CloudFormation calls it.",
    "NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy": f"{_NOT_OURS}; its role's inline policy is scoped to the two buckets.",
}


def _detective_controls(scope: Construct, settings: Settings, *, trail_alarms: bool, names: DeploymentNames) -> None:
    alerts = AlertTopic(scope, "Alerts", settings=settings)
    managed = ManagedConfigRules(scope, "ManagedRules", names=names)
    if settings.auto_remediation:  # opt-in: Config fixes rotation and scheduled deletion of workspace keys
        acknowledge(KeyRemediation(scope, "KeyRemediation", settings=settings, names=names, managed_rules=managed),
                    REMEDIATION_ACKNOWLEDGMENTS)
    WorkspaceConfigRule(scope, "WorkspaceRule", settings=settings, alerts=alerts, names=names)
    KeylessCreateAlerts(scope, "KeylessCreates", alerts=alerts, names=names)
    NonCompliantAlarm(scope, "NonCompliant", alerts=alerts, period_hours=settings.config_rule_frequency_hours, names=names)
    KpiDashboard(scope, "Kpis", period_hours=settings.config_rule_frequency_hours, names=names)
    if trail_alarms:
        TrailAlarms(scope, "TrailAlarms", settings=settings, alerts=alerts)


def _kill_switch(scope: Construct, settings: Settings) -> None:
    """The account's break-glass path to disable and re-enable its workspace keys, alerting the security topic.
    Only in the account stack: the role is named (the SCP exempts it by name), one per account."""
    if settings.kill_switch_principals:
        alerts = next(child for child in scope.node.children if isinstance(child, AlertTopic))
        KillSwitch(scope, "KillSwitch", settings=settings, alerts=alerts.topic)


def _send_events_to_eventbridge(bucket: s3.Bucket) -> None:
    """Object events to EventBridge (CT.S3.PR.4), set on the L1: `event_bridge_enabled` adds a custom-resource Lambda."""
    bucket.node.default_child.notification_configuration = s3.CfnBucket.NotificationConfigurationProperty(
        event_bridge_configuration=s3.CfnBucket.EventBridgeConfigurationProperty(event_bridge_enabled=True))


class DetectiveStack(Stack):
    def __init__(self, scope: Construct, id: str, *, settings: Settings, trail_alarms: bool = True,
                 name_prefix: str = ACCOUNT_STACK_PREFIX, **kwargs) -> None:
        super().__init__(scope, id, description="Bedrock CMK Guardrails: detective controls", **kwargs)
        _detective_controls(self, settings, trail_alarms=trail_alarms, names=DeploymentNames(name_prefix))
        _kill_switch(self, settings)
        if settings.security_hub_automation_rules:  # opt-in: the Security Hub administrator account only
            ConfigRouteSeverity(self, "ConfigRouteSeverity")
        acknowledge(self, MEMBER_ACKNOWLEDGMENTS)


class _MemberStack(StackSetStack):
    def __init__(self, scope: Construct, id: str, *, settings: Settings, asset_bucket_prefix: str,
                 asset_buckets: list[s3.IBucket]) -> None:
        super().__init__(scope, id, asset_bucket_prefix=asset_bucket_prefix, asset_buckets=asset_buckets)
        # Its own names: an account may also have the BedrockGuardrailsDetective stack (see detective/names.py). The
        # rule's log group outlives its stack (RETAIN keeps the evidence): a name unique to each stack instance lets
        # the StackSet redeploy into the same account instead of failing on the retained log group's name.
        _detective_controls(self, settings, trail_alarms=False,
                            names=DeploymentNames(STACKSET_PREFIX, log_group_suffix=f"-{_stack_uuid()}"))
        acknowledge(self, MEMBER_ACKNOWLEDGMENTS)


def _stack_uuid() -> str:
    """The unique id at the end of the stack id (arn:...:stack/<name>/<uuid>), resolved at deploy time."""
    return Fn.select(2, Fn.split("/", Aws.STACK_ID))


def asset_bucket_prefix(account: str) -> str:
    """cdk-stacksets looks for `<prefix>-<region>` in each region; S3 names are global, so the account is part of it."""
    return f"{ASSET_BUCKET_PREFIX}-{account}"


def asset_bucket_name(account: str, region: str) -> str:
    return f"{asset_bucket_prefix(account)}-{region}"


class StackSetAssetsStack(Stack):
    """The StackSet asset bucket of one governed region (cdk-stacksets README, "Using File Assets": one bucket
    `<prefix>-<region>` in every region the StackSet deploys to, readable by the organization)."""

    def __init__(self, scope: Construct, id: str, *, account: str, region: str, organization_id: str, **kwargs) -> None:
        super().__init__(scope, id, env=Environment(account=account, region=region),
                         description="Bedrock CMK Guardrails: the detective StackSet's code for one region", **kwargs)
        # Log delivery by bucket policy, not the LogDeliveryWrite ACL (CT.S3.PR.5); must be set before any child exists.
        self.node.set_context("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", True)
        logs_bucket = s3.Bucket(self, "StackSetAssetLogs", encryption=s3.BucketEncryption.S3_MANAGED, enforce_ssl=True,
                                block_public_access=s3.BlockPublicAccess.BLOCK_ALL, removal_policy=RemovalPolicy.RETAIN,
                                object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
                                versioned=True, lifecycle_rules=[s3.LifecycleRule(
                                    expiration=Duration.days(365), noncurrent_version_expiration=Duration.days(30),
                                    abort_incomplete_multipart_upload_after=Duration.days(7))])
        _send_events_to_eventbridge(logs_bucket)
        acknowledge(logs_bucket, LOG_BUCKET_ACKNOWLEDGMENTS)
        # Every member account reads the code zip from here: access logs record who did.
        self.bucket = s3.Bucket(self, "StackSetAssets", bucket_name=asset_bucket_name(account, region),
                                encryption=s3.BucketEncryption.S3_MANAGED, enforce_ssl=True,
                                block_public_access=s3.BlockPublicAccess.BLOCK_ALL, removal_policy=RemovalPolicy.RETAIN,
                                object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED, versioned=True,
                                server_access_logs_bucket=logs_bucket, server_access_logs_prefix="stackset-assets/",
                                lifecycle_rules=[s3.LifecycleRule(noncurrent_version_expiration=Duration.days(30),
                                                                  abort_incomplete_multipart_upload_after=Duration.days(7))])
        _send_events_to_eventbridge(self.bucket)
        acknowledge(self.bucket, ASSET_BUCKET_ACKNOWLEDGMENTS)
        # Lambda reads the code with the credentials of the caller that creates the function: the StackSets
        # execution role of each member account. Objects only, read only, this organization only.
        self.bucket.add_to_resource_policy(iam.PolicyStatement(
            sid="OrganizationReadsStackSetCode", actions=["s3:GetObject"], resources=[self.bucket.arn_for_objects("*")],
            principals=[iam.OrganizationPrincipal(organization_id)]))


class DetectiveOrgStack(Stack):
    """Deploys from the management account (stackset_call_as SELF) or a delegated administrator (DELEGATED_ADMIN)."""

    def __init__(self, scope: Construct, id: str, *, settings: Settings, asset_buckets: dict[str, StackSetAssetsStack],
                 **kwargs) -> None:
        super().__init__(scope, id, description="Bedrock CMK Guardrails: detective controls for the organization", **kwargs)
        missing = sorted(set(settings.governed_regions) - set(asset_buckets))
        if missing:  # the StackSet would fail in these regions: its instances could not read their code
            raise ValueError(f"no StackSet asset bucket in governed region(s) {', '.join(missing)}")
        # By name, not by reference: the buckets live in other regions, which CloudFormation exports cannot cross.
        names = {region: asset_bucket_name(stack.account, region) for region, stack in sorted(asset_buckets.items())}
        buckets = [s3.Bucket.from_bucket_name(self, f"Assets-{region}", name) for region, name in names.items()]
        for stack in asset_buckets.values():
            self.add_stack_dependency(stack, "the code is copied into every region's asset bucket")
        prefix = asset_bucket_prefix(self.account)
        member = _MemberStack(self, "Member", settings=settings, asset_bucket_prefix=prefix, asset_buckets=buckets)
        StackSet(self, "StackSet", stack_set_name="bedrock-guardrails-detective", template=StackSetTemplate.from_stack_set_stack(member),
                 deployment_type=DeploymentType.service_managed(
                     auto_deploy_enabled=True, auto_deploy_retain_stacks=False,
                     delegated_admin=settings.stackset_call_as == "DELEGATED_ADMIN"),
                 target=StackSetTarget.from_organizational_units(organizational_units=list(settings.org_target_ids),
                                                                 regions=list(settings.governed_regions)),
                 capabilities=[Capability.NAMED_IAM])
        copies_into = {f"AwsSolutions::AwsSolutions-IAM5[{finding}]": _COPY_REASON for finding in
                       [*(f"Resource::arn:<AWS::Partition>:s3:::{name}/*" for name in names.values()), cdk_asset_objects(self)]}
        for child in self.node.children:  # the BucketDeployment's singleton function, created by cdk-stacksets
            if child.node.id.startswith("Custom::CDKBucketDeployment"):
                acknowledge(child, {**BUCKET_DEPLOYMENT_ACKNOWLEDGMENTS, **copies_into})
        role = iam.Role(self, "AggregatorRole", assumed_by=iam.ServicePrincipal("config.amazonaws.com"),
                        managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AWSConfigRoleForOrganizations")])
        config.CfnConfigurationAggregator(
            self, "Aggregator", configuration_aggregator_name="bedrock-guardrails-organization",
            organization_aggregation_source=config.CfnConfigurationAggregator.OrganizationAggregationSourceProperty(
                role_arn=role.role_arn, aws_regions=list(settings.governed_regions)))
        acknowledge(self, {**MEMBER_ACKNOWLEDGMENTS, **ORG_ACKNOWLEDGMENTS})


def add_detective_stacks(app: App, settings: Settings, *, organization_id: str | None = None,
                         env: Environment | None = None) -> list[Stack]:
    """The account's own detective stack; with org targets, an organization id and the deploying account, the
    organization stack and one StackSet asset bucket stack per governed region."""
    stacks: list[Stack] = [DetectiveStack(app, "BedrockGuardrailsDetective", settings=settings)]
    if settings.org_target_ids and organization_id and env is not None and env.account:
        assets = {region: StackSetAssetsStack(app, f"BedrockGuardrailsStackSetAssets-{region}", account=env.account,
                                              region=region, organization_id=organization_id)
                  for region in settings.governed_regions}
        stacks += [*assets.values(), DetectiveOrgStack(app, "BedrockGuardrailsDetectiveOrg", settings=settings,
                                                       asset_buckets=assets, env=env)]
    return stacks
