"""CompliantKnowledgeBase: a managed knowledge base on the workspace key, or one on the caller's vector store;
the service role granted on the WorkspaceKey; valid CloudFormation (cfn-lint); no catalog finding."""

from __future__ import annotations

import json

import pytest
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template
from cfnlint.api import ManualArgs, lint

from guardrails.constructs import CompliantKnowledgeBase, WorkspaceKey
from tests.conftest import scan_template
from tests.constructs.conftest import ACCOUNT, OWNERSHIP, new_stack, only, statements
from tests.constructs.test_error_messages import EMBEDDING, VECTOR_STORE


def build(kind: str) -> Template:
    stack = new_stack()
    key = WorkspaceKey(stack, "Ws", **OWNERSHIP)
    role = iam.Role(stack, "KbRole", assumed_by=iam.ServicePrincipal("bedrock.amazonaws.com"))
    extra = {"storage_configuration": VECTOR_STORE, "embedding_model_arn": EMBEDDING} if kind == "VECTOR" else {}
    CompliantKnowledgeBase(stack, "Kb", key=key, role=role, name="research-kb", knowledge_base_type=kind, **extra)
    return Template.from_stack(stack)


@pytest.fixture(scope="module", params=["MANAGED", "VECTOR"])
def template(request):
    return request.param, build(request.param)


def test_managed_knowledge_base_is_encrypted_with_the_workspace_key():
    template = build("MANAGED")
    config = only(template, "AWS::Bedrock::KnowledgeBase")["Properties"]["KnowledgeBaseConfiguration"]
    assert config["Type"] == "MANAGED"
    key_id = next(iter(template.find_resources("AWS::KMS::Key")))
    assert config["ManagedKnowledgeBaseConfiguration"]["ServerSideEncryptionConfiguration"]["KmsKeyArn"] == \
        {"Fn::GetAtt": [key_id, "Arn"]}


def test_vector_knowledge_base_uses_the_given_store_and_model():
    properties = only(build("VECTOR"), "AWS::Bedrock::KnowledgeBase")["Properties"]
    assert properties["KnowledgeBaseConfiguration"] == {
        "Type": "VECTOR", "VectorKnowledgeBaseConfiguration": {"EmbeddingModelArn": EMBEDDING}}
    assert "S3VectorsConfiguration" in properties["StorageConfiguration"]


def test_service_role_is_granted_through_bedrock_and_tags_inherited(template):
    _, built = template
    sids = statements(only(built, "AWS::KMS::Key"))
    assert {"BedrockDataKeysKbRole", "BedrockServiceDataKeys"} <= set(sids)
    assert sids["BedrockDataKeysKbRole"]["Condition"]["StringEquals"]["kms:ViaService"] == "bedrock.us-east-1.amazonaws.com"
    tags = only(built, "AWS::Bedrock::KnowledgeBase")["Properties"]["Tags"]
    assert tags["Owner"] == OWNERSHIP["owner"] and tags["CostCenter"] == OWNERSHIP["cost_center"]


def test_valid_cloudformation_and_no_catalog_error(template):
    _, built = template
    document = built.to_json()
    matches = lint(json.dumps(document), ManualArgs(regions=["us-east-1"]))
    assert [m for m in matches if m.rule.severity == "error"] == []
    report = scan_template(document, account=ACCOUNT)  # the stack's environment names its account
    assert [f.rule_id for f in report.findings if f.severity.value == "error"] == []
