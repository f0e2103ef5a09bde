"""The audit inventories every governed type with a list/get API (guardrails/live_inventory.py), through
botocore: moto's AgentCore memories and gateways; the endpoint serves the kinds moto lacks on the paths
botocore's models give (tests/audit/endpoint.py, _served_routes)."""

from __future__ import annotations

from guardrails.audit.inventory import KINDS
from guardrails.live_inventory import SOURCES
from tests.audit.test_judgments import audit_json

NOW = "2026-11-30T00:00:00+00:00"
ID, ARN, LABEL = (lambda rid, arn, label: rid), (lambda rid, arn, label: arn), (lambda rid, arn, label: label)
# resource type -> (where its Get response names the key, the other fields botocore's List and Get shapes require)
SERVED = {
    "Bedrock::ImportedModel": (("modelKmsKeyArn",), dict(modelArn=ARN, modelName=LABEL, creationTime=NOW)),
    "Bedrock::ModelInvocationJob": (("outputDataConfig", "s3OutputDataConfig", "s3EncryptionKeyId"), dict(
        jobArn=ARN, jobName=LABEL, status="Completed", submitTime=NOW, modelId="anthropic.claude",
        roleArn="arn:aws:iam::123456789012:role/batch", inputDataConfig={"s3InputDataConfig": {"s3Uri": "s3://in/"}},
        outputDataConfig={"s3OutputDataConfig": {"s3Uri": "s3://out/"}})),
    "AWS::Bedrock::AutomatedReasoningPolicy": (("kmsKeyArn",), dict(
        policyArn=ARN, policyId=ID, name=LABEL, version="DRAFT", createdAt=NOW, updatedAt=NOW, definitionHash="0" * 64)),
    "AWS::Bedrock::RetrievalInstruction": (("customerEncryptionKeyArn",), dict(
        retrievalInstructionId=ID, retrievalInstructionArn=ARN, name=LABEL, status="AVAILABLE", createdAt=NOW, updatedAt=NOW)),
    "AWS::Bedrock::Session": (("encryptionKeyArn",), dict(
        sessionId=ID, sessionArn=ARN, sessionStatus="ACTIVE", createdAt=NOW, lastUpdatedAt=NOW)),
    "AWS::Bedrock::DataAutomationProject": (("kmsKeyId",), dict(
        projectArn=ARN, projectName=LABEL, creationTime=NOW, lastModifiedTime=NOW, projectStage="LIVE", status="COMPLETED")),
    "AWS::Bedrock::Blueprint": (("kmsKeyId",), dict(
        blueprintArn=ARN, blueprintName=LABEL, creationTime=NOW, lastModifiedTime=NOW, type="DOCUMENT", schema="{}")),
    "AWS::Bedrock::DataAutomationLibrary": (("kmsKeyId",), dict(libraryArn=ARN, libraryName=LABEL, creationTime=NOW)),
    "AWS::BedrockAgentCore::PolicyEngine": (("encryptionKeyArn",), dict(
        policyEngineId=ID, policyEngineArn=ARN, name=LABEL, createdAt=NOW, updatedAt=NOW, status="ACTIVE", statusReasons=[])),
    "AWS::BedrockAgentCore::Evaluator": (("kmsKeyArn",), dict(
        evaluatorId=ID, evaluatorArn=ARN, evaluatorName=LABEL, evaluatorType="Custom", level="TRACE", status="ACTIVE",
        createdAt=NOW, updatedAt=NOW)),
    "AWS::BedrockAgentCore::Dataset": (("kmsKeyArn",), dict(
        datasetId=ID, datasetArn=ARN, datasetName=LABEL, status="ACTIVE", createdAt=NOW, updatedAt=NOW)),
    "AWS::BedrockAgentCore::ConfigurationBundle": (("kmsKeyArn",), dict(
        bundleId=ID, bundleArn=ARN, bundleName=LABEL, createdAt=NOW, updatedAt=NOW)),
}
WRAPPED = {"AWS::Bedrock::DataAutomationProject": "project", "AWS::Bedrock::Blueprint": "blueprint",
           "AWS::Bedrock::DataAutomationLibrary": "library"}


def _estate(world, key) -> dict[str, str]:
    """One resource per kind on `key` (None: no customer key); resource type -> the name the audit reports."""
    suffix = "good" if key else "bare"
    world.memory(f"memory_{suffix}", key)
    world.gateway(f"gateway-{suffix}", key)
    names = {"AWS::BedrockAgentCore::Memory": f"memory_{suffix}", "AWS::BedrockAgentCore::Gateway": f"gateway-{suffix}"}
    for resource_type, (key_field, fields) in SERVED.items():
        label = f"{resource_type.rsplit(':', 1)[1]}-{suffix}"
        world.served(resource_type, label, key_field, key, **fields)
        names[resource_type] = label
    return names


def test_every_kind_with_an_api_is_audited():
    assert [k.name for k in KINDS] == [s.resource_type for s in SOURCES]
    assert set(SERVED) | {"AWS::BedrockAgentCore::Memory", "AWS::BedrockAgentCore::Gateway"} <= {k.name for k in KINDS}


def test_new_kinds_are_judged_like_the_others(world, endpoint, capsys):
    key = world.key()
    good, bare = _estate(world, key), _estate(world, None)
    # AWS's built-in evaluators are shared by every account and hold none of its data: not judged.
    world.served("AWS::BedrockAgentCore::Evaluator", "Builtin.Helpfulness", ("kmsKeyArn",), None,
                 **{**SERVED["AWS::BedrockAgentCore::Evaluator"][1], "evaluatorType": "Builtin"})
    code, report = audit_json(endpoint, capsys)
    assert report["not_evaluated"] == [], report["not_evaluated"]
    by_type: dict[str, list[tuple[str, str]]] = {}
    for f in report["findings"]:
        by_type.setdefault(f["resource_type"], []).append((f["status"], f["rule"]))
    for resource_type in good:
        assert sorted(by_type[resource_type]) == [("COMPLIANT", "BedrockGuardrails-ResourceCMK"),
                                                  ("NON_COMPLIANT", "BedrockGuardrails-ResourceCMK")], resource_type
    assert set(by_type) == set(good) == set(bare)
    assert "Builtin.Helpfulness" not in {f["name"] for f in report["findings"]} and code == 1
