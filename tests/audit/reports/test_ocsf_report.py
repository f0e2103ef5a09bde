"""OCSF: every event is a Compliance Finding that the model library validates (py-ocsf-models), with the
rule's compliance mappings, the cloud profile and the same uid as the ASFF finding."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError
from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding

from guardrails.audit.reports import render
from guardrails.audit.reports.asff import asff_findings
from guardrails.audit.reports.ocsf_report import CloudComplianceFinding
from tests.audit.reports.conftest import ACCOUNT


def test_every_event_validates_with_the_model_library(mixed_report):
    events = json.loads(render("ocsf", mixed_report))
    assert len(events) == 4
    for event in events:
        ComplianceFinding.model_validate(event)  # the library's own class
        CloudComplianceFinding.model_validate(event)  # with the cloud profile's attribute
        assert event["class_uid"] == 2003 and event["category_uid"] == 2 and event["type_uid"] == 200301
        assert event["metadata"]["profiles"] == ["cloud"] and event["cloud"]["account"]["uid"] == ACCOUNT


def test_the_library_rejects_what_is_not_a_compliance_finding(mixed_report):
    event = json.loads(render("ocsf", mixed_report))[0]
    del event["compliance"]
    with pytest.raises(ValidationError):
        ComplianceFinding.model_validate(event)


def test_status_compliance_and_uids(mixed_report):
    events = {e["compliance"]["control"]: e for e in json.loads(render("ocsf", mixed_report))}
    rotation = events["BedrockGuardrails-KeyRotation[RotationDisabled]"]
    assert rotation["status_code"] == "FAIL" and rotation["compliance"]["status_id"] == 3
    assert "PCI DSS v4.0.1/3.7.4" in rotation["compliance"]["requirements"]
    assert "CIS AWS Foundations Benchmark v5.0.0" in rotation["compliance"]["standards"]
    excepted = events["BedrockGuardrails-KeyOwnershipTags"]
    assert excepted["status_id"] == 3 and excepted["status"] == "Suppressed"  # OCSF StatusID.Suppressed
    passed = events["BedrockGuardrails-ResourceCMK"]
    assert passed["status_code"] == "PASS" and passed["severity_id"] == 1 and passed["compliance"]["status_id"] == 1
    workspace = events["BedrockGuardrails-WorkspaceCMK"]
    assert "migrate-plan --domain-id dzd_abc123" in workspace["remediation"]["desc"]
    assert {e["finding_info"]["uid"] for e in events.values()} == {f["Id"] for f in asff_findings(mixed_report)}
