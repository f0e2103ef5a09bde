"""The managed Config rules and the periodic custom rule (Lambda) for workspaces and Bedrock resources."""

from __future__ import annotations

import dataclasses
import json

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_config as config
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from guardrails.detective import bundle
from guardrails.detective.lambda_permissions import READ_ACTIONS
from guardrails.detective.managed_rules import MANAGED_RULES
from guardrails.detective.notifications import AlertTopic
from guardrails.settings import Settings

RULE_NAME = "bedrock-guardrails-workspace-cmk"
_FREQUENCIES = ((24, config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS), (12, config.MaximumExecutionFrequency.TWELVE_HOURS),
                (6, config.MaximumExecutionFrequency.SIX_HOURS), (3, config.MaximumExecutionFrequency.THREE_HOURS),
                (1, config.MaximumExecutionFrequency.ONE_HOUR))


def frequency(hours: int) -> config.MaximumExecutionFrequency:
    """The longest Config frequency that is not longer than `hours` (1-24)."""
    return next(f for limit, f in _FREQUENCIES if limit <= hours)


class ManagedConfigRules(Construct):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        for rule in MANAGED_RULES:
            config.ManagedRule(self, rule.identifier, identifier=rule.identifier, description=rule.why,
                               config_rule_name=f"bedrock-guardrails-{rule.identifier.lower().replace('_', '-')}")


class WorkspaceConfigRule(Construct):
    def __init__(self, scope: Construct, id: str, *, settings: Settings, alerts: AlertTopic) -> None:
        super().__init__(scope, id)
        self.table = dynamodb.Table(self, "RemediationState", partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
                                    billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
                                    encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED, encryption_key=alerts.key,
                                    point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                                        point_in_time_recovery_enabled=True),
                                    removal_policy=RemovalPolicy.RETAIN)
        log_group = logs.LogGroup(self, "Logs", retention=logs.RetentionDays.ONE_YEAR, encryption_key=None,
                                  removal_policy=RemovalPolicy.RETAIN)
        role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                        description="Bedrock CMK Guardrails custom Config rule: read workspaces, Bedrock resources and keys")
        role.add_to_policy(iam.PolicyStatement(sid="Logs", actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                                               resources=[log_group.log_group_arn, f"{log_group.log_group_arn}:*"]))
        role.add_to_policy(iam.PolicyStatement(sid="ReadResourcesAndKeys", actions=list(READ_ACTIONS), resources=["*"]))
        role.add_to_policy(iam.PolicyStatement(sid="ReportToConfig", actions=["config:PutEvaluations"], resources=["*"]))
        role.add_to_policy(iam.PolicyStatement(sid="Kpis", actions=["cloudwatch:PutMetricData"], resources=["*"],
                                               conditions={"StringEquals": {"cloudwatch:namespace": "BedrockGuardrails"}}))
        self.table.grant(role, "dynamodb:Scan", "dynamodb:PutItem", "dynamodb:DeleteItem")
        alerts.allow_key_use(role, "dynamodb")
        self.function = lambda_.Function(
            self, "Function", runtime=lambda_.Runtime.PYTHON_3_14, handler=bundle.HANDLER,
            code=lambda_.Code.from_asset(str(bundle.assemble())), role=role, timeout=Duration.minutes(15),
            memory_size=512, log_group=log_group, reserved_concurrent_executions=1,
            description="Bedrock CMK Guardrails: periodic custom Config rule for workspaces and Bedrock resources",
            environment={"STATE_TABLE": self.table.table_name,
                         "GUARDRAILS_SETTINGS": json.dumps(dataclasses.asdict(settings), sort_keys=True)})
        self.rule = config.CustomRule(self, "Rule", lambda_function=self.function, periodic=True,
                                      maximum_execution_frequency=frequency(settings.config_rule_frequency_hours),
                                      config_rule_name=RULE_NAME,
                                      description="DataZone domains (Bedrock workspaces) and Bedrock agents, flows, prompts and "
                                                  "guardrails on customer-managed, enabled, rotated, owned, least-privilege keys")
