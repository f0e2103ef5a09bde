"""The managed Config rules and the periodic custom rule (Lambda) for workspaces and Bedrock resources."""

from __future__ import annotations

import dataclasses
import json

from aws_cdk import Acknowledgment, Aws, CfnCondition, Duration, Fn, RemovalPolicy, Stack, Token, Validations
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_config as config
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from guardrails.detective import bundle
from guardrails.detective import lambda_permissions as actions_of
from guardrails.detective.managed_rules import MANAGED_RULES, ManagedRule
from guardrails.detective.names import DeploymentNames
from guardrails.detective.notifications import AlertTopic
from guardrails.settings import Settings

# NIST 800-53 and Control Tower findings acknowledged on this construct's resources (listed in the README too).
_NO_VPC = ("The function only calls AWS APIs (DataZone, Bedrock, AgentCore, KMS, Config, CloudWatch, DynamoDB) and takes no "
           "inbound traffic; a member account may have no VPC, and VPC endpoints for its ten service endpoints would add cost "
           "and failure modes.")
FUNCTION_ACKNOWLEDGMENTS = {
    "NIST.800.53.R5::NIST.800.53.R5-LambdaInsideVPC": _NO_VPC,
    "cdk-validator-cfnguard::lambda_inside_vpc_check": _NO_VPC,
    "cdk-validator-cfnguard::lambda_function_public_access_prohibited_check":
        "The invoke permission names config.amazonaws.com with SourceAccount = AWS::AccountId; the guard rule accepts only a "
        "literal account, and the stack is account-agnostic (it is also the StackSet copy). SourceArn cannot be used: Config "
        "checks the permission before the rule, whose ARN carries a generated id, exists.",
}
TABLE_ACKNOWLEDGMENTS = {
    "NIST.800.53.R5::NIST.800.53.R5-DynamoDBInBackupPlan":
        "Point-in-time recovery (35 days) is on. The table holds only open-case start times for the MTTR metric; on loss the "
        "next evaluation rebuilds the cases from Config, so an AWS Backup plan, vault and role per account add no recovery.",
}
QUEUE_ACKNOWLEDGMENTS = {
    "cdk-validator-cfnguard::sqs_dlq_check":
        "This queue is itself the dead-letter queue of the rule's function; a dead-letter queue for it has nothing to catch "
        "(nothing consumes it), and its depth raises the FailedRuns alarm.",
}


def acknowledge(scope: Construct, acknowledgments: dict[str, str]) -> None:
    for rule, reason in acknowledgments.items():
        Validations.of(scope).acknowledge(Acknowledgment(id=rule, reason=reason))
_FREQUENCIES = ((24, config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS), (12, config.MaximumExecutionFrequency.TWELVE_HOURS),
                (6, config.MaximumExecutionFrequency.SIX_HOURS), (3, config.MaximumExecutionFrequency.THREE_HOURS),
                (1, config.MaximumExecutionFrequency.ONE_HOUR))


def frequency(hours: int) -> config.MaximumExecutionFrequency:
    """The longest Config frequency that is not longer than `hours` (1-24)."""
    return next(f for limit, f in _FREQUENCIES if limit <= hours)


class ManagedConfigRules(Construct):
    """Each managed rule, only in the regions where AWS Config has it (managed_rules.py): decided at synth time for a
    stack with a concrete region, by a CloudFormation condition on AWS::Region otherwise (the StackSet copy)."""

    def __init__(self, scope: Construct, id: str, *, names: DeploymentNames) -> None:
        super().__init__(scope, id)
        region = Stack.of(self).region
        for rule in MANAGED_RULES:
            if not Token.is_unresolved(region) and not rule.available_in(region):
                continue
            managed = config.ManagedRule(self, rule.identifier, identifier=rule.identifier, description=rule.why,
                                         config_rule_name=names.managed_rule(rule.identifier))
            if rule.region_limited and Token.is_unresolved(region):
                managed.node.default_child.cfn_options.condition = _available_condition(self, rule)


def _available_condition(scope: Construct, rule: ManagedRule) -> CfnCondition:
    listed = sorted(rule.only_in if rule.only_in is not None else rule.not_in)
    in_listed = _any_of([Fn.condition_equals(Aws.REGION, region) for region in listed])
    return CfnCondition(scope, f"{rule.identifier.title().replace('_', '')}Exists",
                        expression=in_listed if rule.only_in is not None else Fn.condition_not(in_listed))


def _any_of(conditions: list) -> object:
    """Fn::Or takes 2 to 10 conditions: nest groups of ten."""
    while len(conditions) > 10:
        conditions = [Fn.condition_or(*conditions[i:i + 10]) if len(conditions[i:i + 10]) > 1 else conditions[i]
                      for i in range(0, len(conditions), 10)]
    return conditions[0] if len(conditions) == 1 else Fn.condition_or(*conditions)


class WorkspaceConfigRule(Construct):
    def __init__(self, scope: Construct, id: str, *, settings: Settings, alerts: AlertTopic,
                 names: DeploymentNames = DeploymentNames()) -> None:
        super().__init__(scope, id)
        self.table = dynamodb.Table(self, "RemediationState", partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
                                    billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
                                    encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED, encryption_key=alerts.key,
                                    point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                                        point_in_time_recovery_enabled=True),
                                    removal_policy=RemovalPolicy.RETAIN)
        log_group_name = names.workspace_rule_log_group
        alerts.allow_log_group(log_group_name)
        log_group = logs.LogGroup(self, "Logs", log_group_name=log_group_name, retention=logs.RetentionDays.ONE_YEAR,
                                  encryption_key=alerts.key, removal_policy=RemovalPolicy.RETAIN)
        # Config invokes the rule asynchronously: invocations that fail after Lambda's retries land here, and alarm.
        self.dead_letters = sqs.Queue(self, "DeadLetters", encryption=sqs.QueueEncryption.KMS, encryption_master_key=alerts.key,
                                      enforce_ssl=True, retention_period=Duration.days(14))
        role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                        description="Bedrock CMK Guardrails custom Config rule: read workspaces, Bedrock resources and keys")
        # A customer-managed policy rather than the role's inline default policy (NIST IAMNoInlinePolicy).
        policy = iam.ManagedPolicy(self, "Policy", roles=[role], statements=[
            iam.PolicyStatement(sid="Logs", actions=list(actions_of.RUNTIME_LOGS),
                                resources=[log_group.log_group_arn, f"{log_group.log_group_arn}:*"]),
            iam.PolicyStatement(sid="ReadResourcesAndKeys", actions=list(actions_of.HANDLER_READ), resources=["*"]),
            iam.PolicyStatement(sid="ReadCmkEncryptedBedrock", actions=list(actions_of.SERVICE_DECRYPT), resources=["*"],
                                conditions={"StringEquals": {"kms:ViaService": f"bedrock.{Stack.of(self).region}.amazonaws.com"}}),
            iam.PolicyStatement(sid="ReportToConfig", actions=list(actions_of.HANDLER_REPORT), resources=["*"]),
            iam.PolicyStatement(sid="Kpis", actions=list(actions_of.HANDLER_KPIS), resources=["*"],
                                conditions={"StringEquals": {"cloudwatch:namespace": "BedrockGuardrails"}}),
            iam.PolicyStatement(sid="State", actions=list(actions_of.HANDLER_STATE), resources=[self.table.table_arn]),
            iam.PolicyStatement(sid="DeadLetters", actions=list(actions_of.RUNTIME_DEAD_LETTERS),
                                resources=[self.dead_letters.queue_arn])])
        alerts.allow_key_use(role, "dynamodb")
        alerts.allow_key_use(role, "sqs")
        # The function gets the role without policy updates: every permission is in `policy` above, and CustomRule's
        # AWSConfigRulesExecutionRole (config:Get*/List*/Describe*, Config's S3 objects) is more than PutEvaluations.
        self.function = lambda_.Function(
            self, "Function", runtime=lambda_.Runtime.PYTHON_3_14, handler=bundle.HANDLER,
            code=lambda_.Code.from_asset(str(bundle.assemble())), role=role.without_policy_updates(), timeout=Duration.minutes(15),
            memory_size=512, log_group=log_group, reserved_concurrent_executions=1, dead_letter_queue=self.dead_letters,
            description="Bedrock CMK Guardrails: periodic custom Config rule for workspaces and Bedrock resources",
            environment={"STATE_TABLE": self.table.table_name,
                         "GUARDRAILS_SETTINGS": json.dumps(dataclasses.asdict(settings), sort_keys=True)})
        self.function.node.add_dependency(policy)  # the managed policy is attached before the first run
        failed_runs = cloudwatch.Alarm(
            self, "FailedRuns", metric=self.dead_letters.metric_approximate_number_of_messages_visible(period=Duration.minutes(5)),
            threshold=0, evaluation_periods=1, comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=f"The custom Config rule {names.workspace_rule} failed after Lambda's retries: see its log group and dead-letter queue.")
        failed_runs.add_alarm_action(actions.SnsAction(alerts.topic))
        acknowledge(self.function, FUNCTION_ACKNOWLEDGMENTS)
        acknowledge(self.table, TABLE_ACKNOWLEDGMENTS)
        acknowledge(self.dead_letters, QUEUE_ACKNOWLEDGMENTS)
        self.rule = config.CustomRule(self, "Rule", lambda_function=self.function, periodic=True,
                                      maximum_execution_frequency=frequency(settings.config_rule_frequency_hours),
                                      config_rule_name=names.workspace_rule,
                                      description="DataZone domains (Bedrock workspaces) and every Bedrock, Data Automation and "
                                                  "AgentCore resource `guardrails audit` lists, on customer-managed, enabled, "
                                                  "rotated, owned, least-privilege keys")
        # CustomRule's invoke permission names config.amazonaws.com only: pin it to this account (CT.LAMBDA.PR.2).
        for child in self.function.node.find_all():
            if isinstance(child, lambda_.CfnPermission):
                child.add_property_override("SourceAccount", Stack.of(self).account)
