"""The shared live judge (used by the Config rule handler and `guardrails audit`): the catalog's live checks."""

from __future__ import annotations

import json

from guardrails.live_verdict import COMPLIANT, NON_COMPLIANT, LiveKeyFacts, LiveSubject, judge, with_exception
from guardrails.settings import Settings

KEY = "arn:aws:kms:us-east-1:111111111111:key/12345678-1234-1234-1234-123456789012"
DOMAIN, AGENT = "AWS::DataZone::Domain", "AWS::Bedrock::Agent"
POLICY = json.dumps({"Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": ["kms:DescribeKey", "kms:PutKeyPolicy"], "Resource": "*"},
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/exec"}, "Action": ["kms:Decrypt"], "Resource": "*",
     "Condition": {"StringEquals": {"kms:ViaService": "datazone.us-east-1.amazonaws.com"}}}]})
TAGS = [{"TagKey": "Owner", "TagValue": "a@example.com"}, {"TagKey": "CostCenter", "TagValue": "CC-1"},
        {"TagKey": "DataClassification", "TagValue": "internal"}]
OWNED = {"Owner": "ml", "CostCenter": "cc-1", "DataClassification": "internal"}


def facts(**overrides):
    values = dict(describe={"KeyId": "k", "KeyManager": "CUSTOMER", "KeyState": "Enabled", "KeySpec": "SYMMETRIC_DEFAULT",
                            "KeyUsage": "ENCRYPT_DECRYPT"},
                  rotation={"KeyRotationEnabled": True, "RotationPeriodInDays": 365}, tags=TAGS, policy=POLICY)
    values.update(overrides)
    return LiveKeyFacts(KEY, **values)


def verdict(key=KEY, key_facts=None, resource_type=DOMAIN, tags=OWNED, **kw):
    return judge(LiveSubject(resource_type, key, key_facts if key_facts is not None else facts(), tags, **kw), Settings())


def ids(v):
    return [p.rule_id for p in v.problems]


def test_a_good_key_is_compliant():
    assert verdict().status == COMPLIANT
    assert verdict(resource_type="Bedrock::CustomModel", tags=None).status == COMPLIANT  # a live-only type


def test_no_key_and_aws_managed_alias_fail_without_asking_kms():
    assert ids(verdict(None, None)) == ["BedrockGuardrails-WorkspaceCMK"]
    assert "AWS-managed" in verdict("alias/aws/bedrock", None, AGENT).reason
    assert ids(verdict("alias/aws/bedrock", None, AGENT)) == ["BedrockGuardrails-ResourceCMK"]


def test_failed_calls_never_give_compliant():
    for api in ("DescribeKey", "GetKeyRotationStatus", "ListResourceTags", "GetKeyPolicy"):
        v = verdict(key_facts=facts(errors={api: "AccessDeniedException: no"}))
        assert v.status == NON_COMPLIANT and api in v.reason
    assert ids(verdict(error="GetAgent failed (AccessDenied)", resource_type=AGENT)) == ["BedrockGuardrails-ResourceCMK[Unverifiable]"]


def test_key_rules_only_judge_a_proven_customer_key():
    aws_owned = facts(describe={"KeyId": "k", "KeyManager": "AWS", "KeyState": "Enabled"}, rotation=None, tags=None)
    assert ids(verdict(key_facts=aws_owned)) == ["BedrockGuardrails-WorkspaceCMK"]
    disabled = facts(describe={**facts().describe, "KeyState": "PendingDeletion", "DeletionDate": "2027-01-01"},
                     rotation={"KeyRotationEnabled": False})
    assert ids(verdict(key_facts=disabled)) == ["BedrockGuardrails-WorkspaceCMK[KeyNotEnabled]",
                                                "BedrockGuardrails-KeyRotation[RotationDisabled]"]


def test_asymmetric_keys_are_spec_findings_not_rotation_findings():
    rsa = facts(describe={**facts().describe, "KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"}, rotation=None)
    assert ids(verdict(key_facts=rsa)) == ["BedrockGuardrails-KeySpec"]


def test_workspace_ownership_tags_are_judged_on_the_domain_tags():
    assert ids(verdict(tags={"Owner": "ml"})) == ["BedrockGuardrails-WorkspaceOwnershipTags"]
    assert ids(verdict(tags=None)) == ["BedrockGuardrails-WorkspaceOwnershipTags"]  # unread tags fail closed
    assert verdict(resource_type=AGENT, tags=None).status == COMPLIANT  # the rule governs workspaces only


def test_exception_tag_marks_but_does_not_hide_a_failure():
    bad = verdict(None, None)
    excepted = with_exception(bad, {"GuardrailsException": "legacy domain, migration SEC-42 by 2027-03"}, Settings())
    assert excepted.status == NON_COMPLIANT and excepted.exception.startswith("legacy")
    assert excepted.reason.startswith("accepted exception (legacy") and "AWS-owned" in excepted.reason
    good = verdict()
    assert with_exception(good, {"GuardrailsException": "a long enough reason"}, Settings()).exception is None


def test_a_too_short_exception_reason_is_a_finding_not_silence():
    short = with_exception(verdict(None, None), {"GuardrailsException": "ok"}, Settings(), "dzd_1")
    assert short.exception is None
    assert ids(short) == ["BedrockGuardrails-WorkspaceCMK", "BedrockGuardrails-AcknowledgmentReason"]
    assert "dzd_1" in short.problems[1].message and "'ok'" in short.problems[1].message


def test_an_exception_tag_naming_a_rule_accepts_that_rule_only():
    two = verdict(key_facts=facts(rotation={"KeyRotationEnabled": False}), tags={"Owner": "ml"})
    assert ids(two) == ["BedrockGuardrails-WorkspaceOwnershipTags", "BedrockGuardrails-KeyRotation[RotationDisabled]"]
    tagged = with_exception(two, {"GuardrailsException": "BedrockGuardrails-KeyRotation[RotationDisabled]: rotation by hand, SEC-7"}, Settings())
    assert [p.exception for p in tagged.problems] == [None, "rotation by hand, SEC-7"]
    assert tagged.exception is None  # one problem is still open
