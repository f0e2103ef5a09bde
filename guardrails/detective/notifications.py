"""The security team's topic: encrypted with its own customer-managed key, TLS-only, email subscriptions."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from guardrails.constructs import service_key_facts as facts
from guardrails.constructs.key_statements import deny_grants_for_non_aws_resources
from guardrails.key_policy import ADMIN_ACTIONS, READ_ACTIONS
from guardrails.settings import Settings

EVENTS = facts.EVENTBRIDGE_TO_ENCRYPTED_TOPIC
ALARMS = facts.CLOUDWATCH_ALARMS_TO_ENCRYPTED_TOPIC
PUBLISHERS = (EVENTS.principal, ALARMS.principal)


class AlertTopic(Construct):
    def __init__(self, scope: Construct, id: str, *, settings: Settings) -> None:
        super().__init__(scope, id)
        account = Stack.of(self).account
        admin = iam.PolicyStatement(sid="KeyAdministration", principals=[iam.AccountRootPrincipal()],
                                    actions=sorted(ADMIN_ACTIONS | READ_ACTIONS), resources=["*"])
        # EventBridge's request to KMS (through SNS) carries no aws:SourceAccount / aws:SourceArn: a condition on them
        # never matches and every alert is dropped (service_key_facts.EVENTBRIDGE_TO_ENCRYPTED_TOPIC). The topic policy
        # below still pins sns:Publish to this account's rules.
        events_publish = iam.PolicyStatement(sid="EventBridgePublishes", principals=[iam.ServicePrincipal(EVENTS.principal)],
                                             actions=list(EVENTS.actions), resources=["*"])
        alarms_publish = iam.PolicyStatement(
            sid="CloudWatchAlarmsPublish", principals=[iam.ServicePrincipal(ALARMS.principal)], actions=list(ALARMS.actions),
            resources=["*"], conditions={"StringEquals": {"aws:SourceAccount": account}})
        self.key = kms.Key(self, "Key", description="Bedrock CMK Guardrails: detective alerts, state and logs",
                           enable_key_rotation=True, rotation_period=Duration.days(settings.max_rotation_days),
                           pending_window=Duration.days(30), removal_policy=RemovalPolicy.RETAIN,
                           policy=iam.PolicyDocument(statements=[admin, events_publish, alarms_publish,
                                                               deny_grants_for_non_aws_resources()]))
        self.topic = sns.Topic(self, "Topic", display_name="Bedrock CMK Guardrails alerts", master_key=self.key, enforce_ssl=True)
        for service in PUBLISHERS:
            self.topic.add_to_resource_policy(iam.PolicyStatement(
                sid=f"Publish{service.split('.')[0].capitalize()}", principals=[iam.ServicePrincipal(service)],
                actions=["sns:Publish"], resources=[self.topic.topic_arn],
                conditions={"StringEquals": {"aws:SourceAccount": account}}))
        for email in settings.notification_emails:
            self.topic.add_subscription(subscriptions.EmailSubscription(email))

    def allow_key_use(self, role: iam.IRole, via_service: str) -> None:
        """Let `role` use the key through one service only (the key policy names the role)."""
        self.key.add_to_resource_policy(iam.PolicyStatement(
            sid=f"Use{via_service.split('.')[0].capitalize()}", principals=[role],
            actions=["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey"], resources=["*"],
            conditions={"StringEquals": {"kms:ViaService": f"{via_service}.{Stack.of(self).region}.amazonaws.com"}}))

    def allow_log_group(self, log_group_name: str) -> None:
        """Let CloudWatch Logs encrypt one log group with the key (the encryption context names the group)."""
        stack = Stack.of(self)
        log_group_arn = f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:log-group:{log_group_name}"
        self.key.add_to_resource_policy(iam.PolicyStatement(
            sid="UseLogs", principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
            actions=["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], resources=["*"],
            conditions={"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": log_group_arn}}))
