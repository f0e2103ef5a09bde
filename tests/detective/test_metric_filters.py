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
