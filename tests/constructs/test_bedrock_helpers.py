"""The Bedrock helpers (one per module): key wired, WorkspaceKey granted, tagged, no override of the key."""

from __future__ import annotations

import pytest
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from guardrails.constructs import (CompliantAgent, CompliantDataSource, CompliantFlow, CompliantGuardrail,
                                   CompliantPrompt, ConstructInputError, WorkspaceKey)
from tests.constructs.conftest import OWNERSHIP, new_stack, only, statements

KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
TAGS = {"Owner": "a@example.com", "CostCenter": "CC-1234", "DataClassification": "internal"}
S3_SOURCE = {"type": "S3", "s3Configuration": {"bucketArn": "arn:aws:s3:::research-notes"}}


@pytest.fixture(scope="module")
def built() -> Template:
    stack = new_stack()
    key = WorkspaceKey(stack, "Ws", **OWNERSHIP)
    role = iam.Role(stack, "ServiceRole", assumed_by=iam.ServicePrincipal("bedrock.amazonaws.com"))
    CompliantAgent(stack, "Agent", key=key, role=role, agent_name="a", foundation_model="anthropic.claude-v2")
    CompliantGuardrail(stack, "Guardrail", key=key, name="g", blocked_input_messaging="no", blocked_outputs_messaging="no")
    CompliantFlow(stack, "Flow", key=key, execution_role=role, name="f")
    CompliantPrompt(stack, "Prompt", key=key, name="p")
    CompliantDataSource(stack, "Source", key=key, knowledge_base_id="KB12345678", name="s",
                        data_source_configuration=S3_SOURCE)
    return Template.from_stack(stack)


@pytest.mark.parametrize("rtype, path", [
    ("AWS::Bedrock::Agent", ("CustomerEncryptionKeyArn",)),
    ("AWS::Bedrock::Guardrail", ("KmsKeyArn",)),
    ("AWS::Bedrock::Flow", ("CustomerEncryptionKeyArn",)),
    ("AWS::Bedrock::Prompt", ("CustomerEncryptionKeyArn",)),
    ("AWS::Bedrock::DataSource", ("ServerSideEncryptionConfiguration", "KmsKeyArn")),
])
def test_key_property_points_at_the_workspace_key(built, rtype, path):
    value = only(built, rtype)["Properties"]
    for step in path:
        value = value[step]
    assert value == {"Fn::GetAtt": [next(iter(built.find_resources("AWS::KMS::Key"))), "Arn"]}


@pytest.mark.parametrize("rtype", ["AWS::Bedrock::Agent", "AWS::Bedrock::Guardrail", "AWS::Bedrock::Flow",
                                   "AWS::Bedrock::Prompt"])
def test_taggable_resources_inherit_the_key_ownership_tags(built, rtype):
    tags = only(built, rtype)["Properties"]["Tags"]
    tags = tags if isinstance(tags, dict) else {t["Key"]: t["Value"] for t in tags}  # map or list form, per type
    assert tags["Owner"] == "ml-team@example.com" and tags["DataClassification"] == "confidential"


def test_service_role_is_granted_once_through_bedrock(built):
    sids = statements(only(built, "AWS::KMS::Key"))
    role_sids = [s for s in sids if s.endswith("ServiceRole")]
    assert sorted(role_sids) == ["BedrockCreateGrantServiceRole", "BedrockDataKeysServiceRole", "BedrockDescribeKeyServiceRole"]
    assert "BedrockServiceDataKeys" in sids and "BedrockDataKeysAccount" in sids


def test_existing_key_needs_explicit_tags_and_gets_no_policy_edit():
    stack = new_stack()
    with pytest.raises(ConstructInputError, match="needs tags="):
        CompliantPrompt(stack, "P", key=KEY_ARN, name="p")
    CompliantPrompt(stack, "P2", key=KEY_ARN, name="p",
                    tags=TAGS)
    template = Template.from_stack(stack)
    assert only(template, "AWS::Bedrock::Prompt")["Properties"]["CustomerEncryptionKeyArn"] == KEY_ARN


@pytest.mark.parametrize("build, expected", [
    (lambda s, k: CompliantGuardrail(s, "X", key=k, kms_key_arn=KEY_ARN, name="g", blocked_input_messaging="n",
                                     blocked_outputs_messaging="n"), "sets kms_key_arn itself"),
    (lambda s, k: CompliantPrompt(s, "X", key=k, customer_encryption_key_arn=KEY_ARN, name="p"),
     "sets customer_encryption_key_arn itself"),
    (lambda s, k: CompliantPrompt(s, "X", key="alias/aws/bedrock", name="p", tags=TAGS), "AWS-managed"),
    (lambda s, k: CompliantPrompt(s, "X", key=k, name="p", tags={"Owner": "o@example.com"}), "tags['CostCenter'] must be"),
])
def test_helpers_refuse_overrides_and_bad_keys(build, expected):
    stack = new_stack()
    key = WorkspaceKey(stack, "K", **OWNERSHIP)
    with pytest.raises(ConstructInputError) as caught:
        build(stack, key)
    assert expected in str(caught.value)
