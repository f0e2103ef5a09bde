"""ASFF findings: valid for BatchImportFindings by botocore's own service model, stable ids, the compliance
mappings in RelatedRequirements, exceptions suppressed with their reason, migrate-plan for a keyless domain."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from botocore.session import get_session
from botocore.validate import ParamValidator

from guardrails.audit.model import Finding
from guardrails.audit.reports import render
from guardrails.audit.reports.asff import asff_findings, finding_id, resolved, to_asff
from guardrails.rules.compliance import related_requirements
from tests.audit.reports.conftest import ACCOUNT, AGENT, REGION, make_report

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)


def assert_importable(findings: list[dict]) -> None:
    """botocore's validator against the securityhub model: what BatchImportFindings would accept on the wire."""
    shape = get_session().get_service_model("securityhub").operation_model("BatchImportFindings").input_shape
    report = ParamValidator().validate({"Findings": findings}, shape)
    assert not report.has_errors(), report.generate_report()


def test_every_finding_passes_botocore_validation(mixed_report):
    findings = json.loads(render("asff", mixed_report))
    assert len(findings) == 4
    assert_importable(findings)
    assert_importable([resolved(f, NOW) for f in findings])


def test_status_severity_workflow_and_requirements(mixed_report):
    by_rule = {f["GeneratorId"].split("/", 1)[1]: f for f in asff_findings(mixed_report, NOW)}
    workspace = by_rule["BedrockGuardrails-WorkspaceCMK"]
    assert workspace["Compliance"]["Status"] == "FAILED" and workspace["Severity"]["Label"] == "HIGH"
    assert workspace["Workflow"] == {"Status": "NEW"} and workspace["RecordState"] == "ACTIVE"
    assert workspace["Compliance"]["RelatedRequirements"] == related_requirements("BedrockGuardrails-WorkspaceCMK")
    assert "guardrails migrate-plan --domain-id dzd_abc123 --region us-east-1" in workspace["Remediation"]["Recommendation"]["Text"]
    assert workspace["ProductArn"] == f"arn:aws:securityhub:{REGION}:{ACCOUNT}:product/{ACCOUNT}/default"
    rotation = by_rule["BedrockGuardrails-KeyRotation[RotationDisabled]"]
    assert "CIS AWS Foundations Benchmark v5.0.0/3.6" in rotation["Compliance"]["RelatedRequirements"]
    assert "guardrails audit --fix" in rotation["Remediation"]["Recommendation"]["Text"]
    excepted = by_rule["BedrockGuardrails-KeyOwnershipTags"]
    assert excepted["Compliance"]["Status"] == "FAILED" and excepted["Workflow"] == {"Status": "SUPPRESSED"}
    assert excepted["Note"]["Text"] == "Accepted exception: legacy agent, owner change SEC-42"
    assert excepted["ProductFields"]["bedrock-cmk-guardrails/AcceptedException"] == "legacy agent, owner change SEC-42"
    passed = by_rule["BedrockGuardrails-ResourceCMK"]
    assert passed["Compliance"]["Status"] == "PASSED" and passed["Severity"]["Label"] == "INFORMATIONAL"


def test_ids_are_stable_per_resource_and_rule_and_differ_otherwise():
    def finding(resource=AGENT, rule="BedrockGuardrails-ResourceCMK", reason="r"):
        return Finding(resource, "AWS::Bedrock::Agent", "n", ACCOUNT, REGION, "NON_COMPLIANT", rule, reason)
    assert finding_id(finding(reason="one")) == finding_id(finding(reason="another reason"))
    ids = {finding_id(finding()), finding_id(finding(rule="BedrockGuardrails-KeyRotation[RotationDisabled]")),
           finding_id(finding(resource=AGENT + "2"))}
    assert len(ids) == 3 and all(len(i) <= 512 for i in ids)
    later = to_asff(finding(), NOW + timedelta(days=1), created_at="2026-11-01T00:00:00.000Z")
    assert later["CreatedAt"] == "2026-11-01T00:00:00.000Z" and later["UpdatedAt"] == "2026-12-01T10:00:00.000Z"


def test_long_reasons_are_clipped_to_asff_limits():
    long = Finding(AGENT, "AWS::Bedrock::Agent", "n" * 300, ACCOUNT, REGION, "NON_COMPLIANT",
                   "BedrockGuardrails-ResourceCMK", "x" * 5000, exception="y" * 2000)
    item = to_asff(long, NOW)
    assert len(item["Description"]) == 1024 and len(item["Note"]["Text"]) == 512
    assert_importable([item])


def test_resolved_keeps_identity_and_archives(mixed_report):
    before = asff_findings(mixed_report, NOW)[0]
    before["ProductFields"]["aws/securityhub/FindingId"] = "added by Security Hub"
    after = resolved(before, NOW + timedelta(hours=1))
    assert {k: after[k] for k in ("Id", "ProductArn", "GeneratorId", "CreatedAt")} == \
        {k: before[k] for k in ("Id", "ProductArn", "GeneratorId", "CreatedAt")}
    assert after["Compliance"]["Status"] == "PASSED" and after["RecordState"] == "ARCHIVED"
    assert "aws/securityhub/FindingId" not in after["ProductFields"]


def test_an_empty_audit_is_an_empty_array():
    assert json.loads(render("asff", make_report())) == []


def test_resource_type_as_the_config_integration_writes_it(mixed_report):
    """Security Hub's AWS Config integration maps a Config evaluation's resourceType to Resources[].Type as
    AWS::S3::Bucket -> AwsS3Bucket (User Guide, AWS service integrations, AWS Config mapping table)."""
    from guardrails.audit.reports.asff import resource_type

    assert resource_type("AWS::S3::Bucket") == "AwsS3Bucket"
    assert resource_type("AWS::DataZone::Domain") == "AwsDataZoneDomain"
    assert resource_type("AWS::BedrockAgentCore::Gateway") == "AwsBedrockAgentCoreGateway"
    assert [resource_type(t) for t in ("Bedrock::CustomModel", "AWS::::Account", "", "AWS::Bedrock")] == ["Other"] * 4
    types = {f["Resources"][0]["Type"] for f in asff_findings(mixed_report, NOW)}
    assert types == {"AwsDataZoneDomain", "AwsBedrockAgent", "AwsBedrockGuardrail"}


def test_a_finding_handed_over_to_the_config_route_is_archived_unresolved(mixed_report):
    from guardrails.audit.reports.asff import HANDED_OVER_FIELD, handed_over

    stored = [{**f, "ProductFields": {**f["ProductFields"], "aws/securityhub/ProductName": "Default"},
               "Severity": {**f["Severity"], "Normalized": 70}} for f in asff_findings(mixed_report, NOW)]
    later = NOW + timedelta(hours=1)
    handed = [handed_over(f, later, "bedrock-guardrails-workspace-cmk") for f in stored]
    assert_importable(handed)
    for before, after in zip(stored, handed):
        assert after["Id"] == before["Id"] and after["RecordState"] == "ARCHIVED" and after["CreatedAt"] == before["CreatedAt"]
        assert after["Compliance"] == before["Compliance"] and after["Severity"] == {"Label": before["Severity"]["Label"]}
        assert after["ProductFields"][HANDED_OVER_FIELD] == "bedrock-guardrails-workspace-cmk"
        assert not any(k.startswith("aws/") for k in after["ProductFields"]) and "Workflow" not in after
