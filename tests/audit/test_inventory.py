"""The audit inventories every governed type with a list/get API (guardrails/live_inventory.py), through
botocore: moto's AgentCore memories and gateways; the endpoint's imported models, batch-inference jobs,
data automation projects, policy engines and evaluators (shapes from botocore's models)."""

from __future__ import annotations

from guardrails.audit.inventory import KINDS
from guardrails.live_inventory import SOURCES
from tests.audit.test_judgments import audit_json, by_name

NOW = "2026-11-30T00:00:00+00:00"


def _estate(world, key):
    """One resource per kind on `key` (None: no customer key)."""
    suffix = "good" if key else "bare"
    world.memory(f"memory_{suffix}", key)
    world.gateway(f"gateway-{suffix}", key)
    world.served("imported-model", f"imported-{suffix}", ("modelKmsKeyArn",), key,
                 modelArn=lambda rid, arn, name: arn, modelName=lambda rid, arn, name: name, creationTime=NOW)
    world.served("model-invocation-job", f"batch-{suffix}", ("outputDataConfig", "s3OutputDataConfig", "s3EncryptionKeyId"), key,
                 jobArn=lambda rid, arn, name: arn, jobName=lambda rid, arn, name: name, status="Completed", submitTime=NOW,
                 modelId="anthropic.claude", roleArn="arn:aws:iam::123456789012:role/batch",
                 inputDataConfig={"s3InputDataConfig": {"s3Uri": "s3://in/"}},
                 outputDataConfig={"s3OutputDataConfig": {"s3Uri": "s3://out/"}})
    world.served("data-automation-project", f"bda-{suffix}", ("kmsKeyId",), key,
                 projectArn=lambda rid, arn, name: arn, projectName=lambda rid, arn, name: name, creationTime=NOW,
                 projectStage="LIVE", status="COMPLETED", lastModifiedTime=NOW)
    world.served("policy-engine", f"engine-{suffix}", ("encryptionKeyArn",), key,
                 policyEngineId=lambda rid, arn, name: rid, policyEngineArn=lambda rid, arn, name: arn,
                 name=lambda rid, arn, name: name, createdAt=NOW, updatedAt=NOW, status="ACTIVE")
    world.served("evaluator", f"eval-{suffix}", ("kmsKeyArn",), key,
                 evaluatorId=lambda rid, arn, name: rid, evaluatorArn=lambda rid, arn, name: arn,
                 evaluatorName=lambda rid, arn, name: name, evaluatorType="Custom", level="TRACE", status="ACTIVE",
                 createdAt=NOW, updatedAt=NOW)


def test_every_kind_with_an_api_is_audited():
    assert [k.name for k in KINDS] == [s.resource_type for s in SOURCES]
    assert {"AWS::BedrockAgentCore::Memory", "AWS::BedrockAgentCore::Gateway", "AWS::BedrockAgentCore::PolicyEngine",
            "AWS::BedrockAgentCore::Evaluator", "Bedrock::ImportedModel", "Bedrock::ModelInvocationJob",
            "AWS::Bedrock::DataAutomationProject"} <= {k.name for k in KINDS}


def test_new_kinds_are_judged_like_the_others(world, endpoint, capsys):
    key = world.key()
    _estate(world, key)
    _estate(world, None)
    # AWS's built-in evaluators are shared by every account and hold none of its data: not judged.
    world.served("evaluator", "Builtin.Helpfulness", ("kmsKeyArn",), None, evaluatorId="Builtin.Helpfulness",
                 evaluatorArn="arn:aws:bedrock-agentcore:::evaluator/Builtin.Helpfulness", evaluatorName="Builtin.Helpfulness",
                 evaluatorType="Builtin", level="TRACE", status="ACTIVE", createdAt=NOW, updatedAt=NOW)
    code, report = audit_json(endpoint, capsys)
    names = by_name(report)
    assert report["not_evaluated"] == [], report["not_evaluated"]
    kinds = {"memory", "gateway", "imported", "batch", "bda", "engine", "eval"}
    good = {n for n in names if n.endswith("good")}
    bare = {n for n in names if n.endswith("bare")}
    assert {n.rsplit("_", 1)[0].rsplit("-", 1)[0] for n in good} == kinds == {n.rsplit("_", 1)[0].rsplit("-", 1)[0] for n in bare}
    assert all(f["status"] == "COMPLIANT" for n in good for f in names[n]), [names[n] for n in good]
    for name in bare:
        finding, = names[name]
        assert finding["status"] == "NON_COMPLIANT" and finding["rule"] == "BedrockGuardrails-ResourceCMK", finding
    assert "Builtin.Helpfulness" not in names and code == 1
