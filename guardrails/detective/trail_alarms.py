"""Metric filters and alarms on the CloudTrail log group, and the alarm on open findings."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_logs as logs
from constructs import Construct

from guardrails.detective.metric_filters import NAMESPACE, trail_alarms
from guardrails.detective.names import DeploymentNames
from guardrails.detective.notifications import AlertTopic
from guardrails.errors import GuardrailsInputError
from guardrails.settings import Settings


class TrailAlarms(Construct):
    def __init__(self, scope: Construct, id: str, *, settings: Settings, alerts: AlertTopic) -> None:
        if not settings.trail_log_group:
            raise GuardrailsInputError("settings", "setting 'trail_log_group' is required for the trail alarms: the name of "
                                       "the CloudWatch Logs group your CloudTrail trail delivers to (CloudTrail > Trails > "
                                       "CloudWatch Logs; the console names it aws-cloudtrail-logs-<account>-<id>). See "
                                       "docs/detective.md, 'Before you deploy'.")
        super().__init__(scope, id)
        trail = logs.LogGroup.from_log_group_name(self, "Trail", settings.trail_log_group)
        action = actions.SnsAction(alerts.topic)
        for spec in trail_alarms(settings):
            metric_filter = logs.MetricFilter(self, f"{spec.name}Filter", log_group=trail, metric_namespace=NAMESPACE,
                                              metric_name=spec.name, filter_pattern=logs.FilterPattern.literal(spec.pattern),
                                              metric_value="1", default_value=0)
            alarm = cloudwatch.Alarm(self, spec.name, metric=metric_filter.metric(statistic="Sum", period=Duration.minutes(5)),
                                     threshold=spec.threshold, evaluation_periods=1, alarm_description=spec.description,
                                     comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                                     treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING)
            alarm.add_alarm_action(action)


class NonCompliantAlarm(Construct):
    def __init__(self, scope: Construct, id: str, *, alerts: AlertTopic, period_hours: int, names: DeploymentNames) -> None:
        super().__init__(scope, id)
        metric = cloudwatch.Metric(namespace=NAMESPACE, metric_name="NonCompliant", statistic="Maximum",
                                   period=Duration.hours(period_hours))
        self.alarm = cloudwatch.Alarm(self, "Alarm", metric=metric, threshold=0, evaluation_periods=1,
                                      comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
                                      treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
                                      alarm_description="Workspaces or Bedrock resources are not on compliant customer-managed keys "
                                                        f"(accepted exceptions not counted): see the Config rule "
                                                        f"{names.workspace_rule} for which and why.")
        self.alarm.add_alarm_action(actions.SnsAction(alerts.topic))
