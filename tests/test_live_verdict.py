"""The shared verdict on deployed keys (used by the Config rule handler and `guardrails audit`)."""

from __future__ import annotations

import json

from guardrails.live_verdict import COMPLIANT, NON_COMPLIANT, LiveKeyFacts, judge_key, with_exception
from guardrails.settings import Settings

KEY = "arn:aws:kms:us-east-1:111111111111:key/12345678-1234-1234-1234-123456789012"
POLICY = json.dumps({"Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": ["kms:DescribeKey", "kms:PutKeyPolicy"], "Resource": "*"},
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/exec"}, "Action": ["kms:Decrypt"], "Resource": "*",
     "Condition": {"StringEquals": {"kms:ViaService": "datazone.us-east-1.amazonaws.com"}}}]})
TAGS = [{"TagKey": "Owner", "TagValue": "a@example.com"}, {"TagKey": "CostCenter", "TagValue": "CC-1"},
        {"TagKey": "DataClassification", "TagValue": "internal"}]


def facts(**overrides):
    values = dict(describe={"KeyId": "k", "KeyManager": "CUSTOMER", "KeyState": "Enabled", "KeySpec": "SYMMETRIC_DEFAULT",
                            "KeyUsage": "ENCRYPT_DECRYPT"},
                  rotation={"KeyRotationEnabled": True, "RotationPeriodInDays": 365}, tags=TAGS, policy=POLICY)
    values.update(overrides)
    return LiveKeyFacts(KEY, **values)


def test_a_good_key_is_compliant():
    assert judge_key(KEY, facts(), Settings(), workspace=True).status == COMPLIANT


def test_no_key_and_aws_managed_alias_fail_without_asking_kms():
    assert judge_key(None, None, Settings(), workspace=True).problems[0].rule_id == "BedrockGuardrails-WorkspaceCMK"
    assert "AWS-managed" in judge_key("alias/aws/bedrock", None, Settings(), workspace=False).reason


def test_failed_calls_never_give_compliant():
    for api in ("DescribeKey", "GetKeyRotationStatus", "ListResourceTags", "GetKeyPolicy"):
        verdict = judge_key(KEY, facts(errors={api: "AccessDeniedException: no"}), Settings(), workspace=True)
        assert verdict.status == NON_COMPLIANT and api in verdict.reason


def test_exception_tag_marks_but_does_not_hide_a_failure():
    bad = judge_key(None, None, Settings(), workspace=True)
    excepted = with_exception(bad, {"GuardrailsException": "legacy domain, migration SEC-42 by 2027-03"}, Settings())
    assert excepted.status == NON_COMPLIANT and excepted.exception.startswith("legacy")
    assert excepted.reason.startswith("accepted exception (legacy") and "AWS-owned" in excepted.reason
    assert with_exception(bad, {"GuardrailsException": "ok"}, Settings()).exception is None  # too short to honour
    good = judge_key(KEY, facts(), Settings(), workspace=True)
    assert with_exception(good, {"GuardrailsException": "a long enough reason"}, Settings()).exception is None
