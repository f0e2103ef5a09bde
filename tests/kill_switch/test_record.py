"""Key tags stay within KMS's limits whatever the reason says."""

from guardrails.kill_switch.record import TAG_VALUE_MAX, key_tags, tag_value


def test_tag_values_are_safe_and_bounded():
    assert tag_value("hold <LH-42>; see \"ticket\"") == "hold  LH-42   see  ticket"
    assert len(tag_value("x" * 1000)) == TAG_VALUE_MAX


def test_engage_and_release_tags_name_the_state():
    tags = {t["TagKey"]: t["TagValue"] for t in key_tags("engage", "arn:aws:iam::1:role/a", "2026-11-30T10:00:00+00:00", "r")}
    assert tags["GuardrailsKillSwitch"] == "engaged"
    assert key_tags("release", "w", "t", "r")[0]["TagValue"] == "released"
