"""The kill switch as an SSM Automation runbook: an approval step, then DisableKey or EnableKey, a tag, and a
check that KMS reports the wanted state.

Automation actions (AWS Systems Manager User Guide, "Systems Manager Automation actions reference"):
`aws:approve` pauses until the named approvers approve (Approvers: IAM user or role ARNs; MinRequiredApprovals);
`aws:branch` chooses the next step; `aws:executeAwsApi` calls one API operation (Service, Api as in the API
reference, and its request parameters); `aws:assertAwsResourceProperty` fails the run unless a property has
one of the desired values. The runbook runs as the kill-switch role (assumeRole), the one principal the SCP and
permission boundary let disable and enable workspace keys.
"""

from __future__ import annotations

from typing import Any, Sequence

from guardrails.kill_switch.record import AT_TAG, BY_TAG, REASON_TAG, STATE_TAG
from guardrails.kms_identifiers import KEY_ARN_BODY

ACTIONS = ("engage", "release")


def _api(name: str, api: str, inputs: dict[str, Any], next_step: str | None) -> dict[str, Any]:
    step: dict[str, Any] = {"name": name, "action": "aws:executeAwsApi", "inputs": {"Service": "kms", "Api": api, **inputs}}
    if next_step:
        step["nextStep"] = next_step
    else:
        step["isEnd"] = True
    return step


def _verify(name: str, state: str) -> dict[str, Any]:
    return {"name": name, "action": "aws:assertAwsResourceProperty", "isEnd": True,
            "inputs": {"Service": "kms", "Api": "DescribeKey", "KeyId": "{{ KeyArn }}",
                       "PropertySelector": "$.KeyMetadata.KeyState", "DesiredValues": [state]}}


def _tag(name: str, state: str, next_step: str) -> dict[str, Any]:
    return _api(name, "TagResource", {"KeyId": "{{ KeyArn }}", "Tags": [
        {"TagKey": STATE_TAG, "TagValue": state}, {"TagKey": BY_TAG, "TagValue": "{{ automation:EXECUTION_ID }}"},
        {"TagKey": AT_TAG, "TagValue": "{{ global:DATE_TIME }}"}, {"TagKey": REASON_TAG, "TagValue": "{{ Reason }}"}]},
        next_step)


def automation_document(role_arn: str, approvers: Sequence[str]) -> dict[str, Any]:
    if not approvers:
        raise ValueError("the kill-switch runbook needs at least one approver")
    return {
        "schemaVersion": "0.3",
        "description": "Bedrock CMK Guardrails kill switch: after approval, disable (engage) or enable (release) a "
                       "workspace key. Never deletes the key.",
        "assumeRole": role_arn,
        "parameters": {
            "KeyArn": {"type": "String", "description": "The workspace key's ARN",
                       "allowedPattern": "^" + KEY_ARN_BODY + "$"},
            "Action": {"type": "String", "allowedValues": list(ACTIONS), "default": "engage",
                       "description": "engage: DisableKey; release: EnableKey"},
            "Reason": {"type": "String", "description": "Why (recorded as a key tag)",
                       "allowedPattern": r"^[\w .:/=+\-@]{10,256}$"},
        },
        "mainSteps": [
            {"name": "Approve", "action": "aws:approve", "timeoutSeconds": 3600, "onFailure": "Abort",
             "inputs": {"Approvers": list(approvers), "MinRequiredApprovals": 1,
                        "Message": "Kill switch: {{ Action }} key {{ KeyArn }} because {{ Reason }}"},
             "nextStep": "ChooseAction"},
            {"name": "ChooseAction", "action": "aws:branch", "inputs": {"Choices": [
                {"NextStep": "DisableKey", "Variable": "{{ Action }}", "StringEquals": "engage"},
                {"NextStep": "EnableKey", "Variable": "{{ Action }}", "StringEquals": "release"}]}},
            _api("DisableKey", "DisableKey", {"KeyId": "{{ KeyArn }}"}, "TagEngaged"),
            _tag("TagEngaged", "engaged", "VerifyDisabled"),
            _verify("VerifyDisabled", "Disabled"),
            _api("EnableKey", "EnableKey", {"KeyId": "{{ KeyArn }}"}, "TagReleased"),
            _tag("TagReleased", "released", "VerifyEnabled"),
            _verify("VerifyEnabled", "Enabled"),
        ],
    }


def key_state_change_pattern() -> dict[str, Any]:
    """EventBridge pattern for DisableKey/EnableKey recorded by CloudTrail (management events, event source
    kms.amazonaws.com). Patterns cannot see a key's tags, so every key's changes match; the alert names the key."""
    return {"source": ["aws.kms"], "detail-type": ["AWS API Call via CloudTrail"],
            "detail": {"eventSource": ["kms.amazonaws.com"], "eventName": ["DisableKey", "EnableKey"]}}
