"""The trail alarms need the trail's log group named: there is no name every account has (issue #10 item 14)."""

from __future__ import annotations

import re
from dataclasses import replace

import botocore.session
import pytest
from aws_cdk import App, Stack
from aws_cdk.assertions import Template

from guardrails.detective.notifications import AlertTopic
from guardrails.detective.trail_alarms import TrailAlarms
from guardrails.errors import GuardrailsInputError
from guardrails.settings import Settings, settings_from_mapping


def test_without_the_trail_log_group_the_alarms_refuse_with_the_fix():
    stack = Stack(App(), "S")
    with pytest.raises(GuardrailsInputError) as caught:
        TrailAlarms(stack, "T", settings=Settings(), alerts=AlertTopic(stack, "A", settings=Settings()))
    assert "trail_log_group" in str(caught.value) and "aws-cloudtrail-logs-" in str(caught.value)


def test_the_named_log_group_is_the_one_filtered():
    stack = Stack(App(), "S")
    settings = replace(Settings(), trail_log_group="org-trail/logs")
    TrailAlarms(stack, "T", settings=settings, alerts=AlertTopic(stack, "A", settings=settings))
    filters = Template.from_stack(stack).find_resources("AWS::Logs::MetricFilter")
    assert {f["Properties"]["LogGroupName"] for f in filters.values()} == {"org-trail/logs"}


@pytest.mark.parametrize("name, ok", [("aws-cloudtrail-logs-111111111111-abc", True), ("org/trail.#_-", True),
                                      ("has space", False), ("", False), ("x" * 513, False)])
def test_log_group_names_are_checked_like_cloudwatch_logs_does(name, ok):
    shape = botocore.session.get_session().get_service_model("logs").shape_for("LogGroupName").metadata
    expected = bool(re.fullmatch(shape["pattern"], name)) and shape["min"] <= len(name) <= shape["max"]
    assert expected is ok
    if ok:
        assert settings_from_mapping({"trail_log_group": name}, "test").trail_log_group == name
    else:
        with pytest.raises(GuardrailsInputError, match="trail_log_group"):
            settings_from_mapping({"trail_log_group": name}, "test")
