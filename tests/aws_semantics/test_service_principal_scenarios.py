"""Can the AWS services our resources depend on use our keys, with the request AWS documents they send?

Each request below is built from AWS's documentation of what the service sends (cited per test), not from our
key policies; the simulator then says whether our real key policy lets it through (issue #10 items 2 and 6 among them).
"""

from __future__ import annotations

import pytest

from tests.aws_semantics.simulator import Policies, Request, simulate
from tests.aws_semantics.suite_policies import ACCOUNT

REGION = "us-east-1"


def _service(suite, template: str, key_prefix: str, principal: str, action: str, **context) -> bool:
    key_arn, key_policy, _ = suite.key(template, key_prefix)
    return simulate(Request(principal, action, key_arn, ACCOUNT, context), Policies(resource=key_policy)).allowed


@pytest.mark.parametrize("action", ["kms:GenerateDataKey", "kms:Decrypt"])
def test_eventbridge_can_publish_to_the_encrypted_alerts_topic(suite, action):
    """SNS Developer Guide, "Enable compatibility between event sources from AWS services and encrypted topics"
    (sns-key-management.html#compatibility-with-aws-services): the key policy lets events.amazonaws.com use the
    key; aws:SourceAccount / aws:SourceArn are not supported in the key policy for EventBridge, so the request
    carries neither."""
    assert _service(suite, "BedrockGuardrailsDetective", "AlertsKey", "events.amazonaws.com", action)


@pytest.mark.parametrize("action", ["kms:GenerateDataKey", "kms:Decrypt"])
def test_cloudwatch_alarms_can_publish_to_the_encrypted_alerts_topic(suite, action):
    """Same SNS page: cloudwatch.amazonaws.com uses the key for alarm actions; unlike EventBridge, CloudWatch's
    request carries the alarm's account and ARN (aws:SourceAccount, aws:SourceArn)."""
    alarm = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:bedrock-guardrails-noncompliant"
    assert _service(suite, "BedrockGuardrailsDetective", "AlertsKey", "cloudwatch.amazonaws.com", action,
                    **{"aws:SourceAccount": ACCOUNT, "aws:SourceArn": alarm})


def test_datazone_can_use_the_shared_workspace_key_for_its_domains(suite):
    """DataZone User Guide, "Data encryption at rest": DataZone generates data keys under the encryption context
    aws:datazone:domainId, calling as datazone.amazonaws.com for the domain's account."""
    context = {"aws:SourceAccount": ACCOUNT, "kms:EncryptionContext:aws:datazone:domainId": "dzd_example",
               "kms:EncryptionContextKeys": ["aws:datazone:domainId"]}
    for action in ("kms:GenerateDataKey", "kms:Decrypt"):
        assert _service(suite, "WorkspaceKeys", "SharedWorkspaceKey", "datazone.amazonaws.com", action, **context)


def test_bedrock_can_use_the_shared_bedrock_key_for_agents(suite):
    """Bedrock User Guide, "Encryption of agent resources": encryption context aws:bedrock:arn = the agent's ARN."""
    agent = f"arn:aws:bedrock:{REGION}:{ACCOUNT}:agent/AGENT12345"
    context = {"aws:SourceAccount": ACCOUNT, "kms:EncryptionContext:aws:bedrock:arn": agent,
               "kms:EncryptionContextKeys": ["aws:bedrock:arn"]}
    for action in ("kms:GenerateDataKey", "kms:Decrypt"):
        assert _service(suite, "WorkspaceKeys", "SharedBedrockKey", "bedrock.amazonaws.com", action, **context)


def test_bedrock_can_use_the_shared_bedrock_key_for_prompts(suite):
    """Bedrock User Guide, prompt management prerequisites ("Encryption of prompts"): encryption context
    aws:bedrock-prompts:arn = the prompt's ARN."""
    prompt = f"arn:aws:bedrock:{REGION}:{ACCOUNT}:prompt/PROMPT12345"
    context = {"aws:SourceAccount": ACCOUNT, "kms:EncryptionContext:aws:bedrock-prompts:arn": prompt,
               "kms:EncryptionContextKeys": ["aws:bedrock-prompts:arn"]}
    assert _service(suite, "WorkspaceKeys", "SharedBedrockKey", "bedrock.amazonaws.com", "kms:GenerateDataKey", **context)


def test_a_service_in_another_account_cannot_use_the_key(suite):
    """The confused-deputy guard holds: the same call on behalf of another account is refused."""
    agent = "arn:aws:bedrock:us-east-1:999999999999:agent/AGENT12345"
    context = {"aws:SourceAccount": "999999999999", "kms:EncryptionContext:aws:bedrock:arn": agent,
               "kms:EncryptionContextKeys": ["aws:bedrock:arn"]}
    assert not _service(suite, "WorkspaceKeys", "SharedBedrockKey", "bedrock.amazonaws.com", "kms:GenerateDataKey", **context)
