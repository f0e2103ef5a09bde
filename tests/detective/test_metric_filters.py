from dataclasses import replace

from guardrails.detective.metric_filters import CIS_KEY_DISABLE_OR_DELETE, trail_alarms
from guardrails.settings import Settings


def test_the_cis_filter_is_verbatim():
    assert CIS_KEY_DISABLE_OR_DELETE == ("{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || "
                                         "($.eventName=ScheduleKeyDeletion))}")
    assert trail_alarms(Settings())[0].pattern == CIS_KEY_DISABLE_OR_DELETE


def test_the_access_denied_threshold_comes_from_settings():
    alarms = {a.name: a for a in trail_alarms(replace(Settings(), access_denied_threshold=12))}
    assert alarms["KmsAccessDenied"].threshold == 12
    assert "AccessDenied" in alarms["KmsAccessDenied"].pattern


def test_key_policy_rotation_and_grant_changes_are_watched():
    patterns = " ".join(a.pattern for a in trail_alarms(Settings()))
    for event in ("PutKeyPolicy", "DisableKeyRotation", "CreateGrant", "RevokeGrant", "RetireGrant"):
        assert f"$.eventName={event})" in patterns


def test_grant_changes_without_invoked_by_are_counted():
    """Issue #10 item 13: in CloudWatch Logs a comparison on a missing field is false, so the old
    `$.userIdentity.invokedBy != datazone.amazonaws.com` never matched a person's direct CreateGrant (such events
    have no invokedBy). The filter must OR in NOT EXISTS, written as CDK's FilterPattern renders it."""
    from aws_cdk import aws_logs as logs

    field = "$.userIdentity.invokedBy"
    expected = logs.FilterPattern.any(logs.FilterPattern.not_exists(field),
                                      logs.FilterPattern.string_value(field, "!=", "datazone.amazonaws.com"))
    normalized = expected.log_pattern_string.strip("{} ").replace(" ", "").replace('"', "")
    pattern = {a.name: a.pattern for a in trail_alarms(Settings())}["KmsGrantChanged"]
    assert normalized in pattern.replace(" ", "")
