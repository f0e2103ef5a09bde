"""EventBridge rules: a CloudTrail create call without a key reaches the security topic in seconds."""

from __future__ import annotations

from aws_cdk import aws_events as events
from constructs import Construct

from guardrails.detective.event_patterns import KEYLESS_CREATES, input_transformer
from guardrails.detective.names import DeploymentNames
from guardrails.detective.notifications import AlertTopic


class KeylessCreateAlerts(Construct):
    def __init__(self, scope: Construct, id: str, *, alerts: AlertTopic, names: DeploymentNames) -> None:
        super().__init__(scope, id)
        for create in KEYLESS_CREATES:
            events.CfnRule(self, create.operation, name=names.keyless_create_rule(create.operation),
                           description=f"{create.what} created without a customer-managed key", state="ENABLED",
                           event_pattern=create.pattern(),
                           targets=[events.CfnRule.TargetProperty(
                               id="SecurityTopic", arn=alerts.topic.topic_arn,
                               input_transformer=events.CfnRule.InputTransformerProperty(**_snake(input_transformer(create))))])


def _snake(transformer: dict) -> dict:
    return {"input_paths_map": transformer["InputPathsMap"], "input_template": transformer["InputTemplate"]}
