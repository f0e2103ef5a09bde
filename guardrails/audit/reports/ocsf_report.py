"""`--format ocsf`: one OCSF Compliance Finding (class 2003) per audit finding, as a JSON array, built with
py-ocsf-models (the OCSF model library Prowler writes its OCSF output with), so every event is
validated by the library's pydantic models as it is made.

The events apply OCSF's `cloud` profile (account, region, provider), which adds the `cloud` object
to any class; the library's ComplianceFinding does not declare the profile's attribute, so
CloudComplianceFinding adds it. Finding uids are the ASFF Ids, so the two formats name a finding alike.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from py_ocsf_models.events.findings.activity_id import ActivityID
from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding
from py_ocsf_models.events.findings.compliance_finding_type_id import ComplianceFindingTypeID
from py_ocsf_models.events.findings.severity_id import SeverityID
from py_ocsf_models.events.findings.status_id import StatusID
from py_ocsf_models.objects.account import Account, TypeID
from py_ocsf_models.objects.check import Check
from py_ocsf_models.objects.cloud import Cloud
from py_ocsf_models.objects.compliance import Compliance
from py_ocsf_models.objects.compliance_status import StatusID as ComplianceStatusID
from py_ocsf_models.objects.finding_info import FindingInformation
from py_ocsf_models.objects.metadata import Metadata
from py_ocsf_models.objects.product import Product
from py_ocsf_models.objects.remediation import Remediation
from py_ocsf_models.objects.resource_details import ResourceDetails

from guardrails.audit.model import COMPLIANT
from guardrails.audit.reports.asff import PRODUCT_NAME, finding_id, partition_of
from guardrails.audit.reports.fixes import fix_for
from guardrails.rules import RULES_BY_ID
from guardrails.rules.compliance import FRAMEWORKS, mapping_for, related_requirements

_SEVERITY = {"error": SeverityID.High, "warning": SeverityID.Medium, "info": SeverityID.Low}


class CloudComplianceFinding(ComplianceFinding):
    """A Compliance Finding with OCSF's cloud profile applied (metadata.profiles = ["cloud"])."""

    cloud: Cloud


def to_ocsf(finding, when: datetime, tool_version: str) -> CloudComplianceFinding:
    rule = RULES_BY_ID.get(finding.rule.split("[", 1)[0])
    passed = finding.status == COMPLIANT
    severity = SeverityID.Informational if passed else _SEVERITY.get(rule.severity.value if rule else "error", SeverityID.High)
    status = StatusID.Suppressed if finding.exception else StatusID.New
    compliance_status = ComplianceStatusID.Pass if passed else ComplianceStatusID.Fail
    controls = mapping_for(finding.rule).controls
    title = rule.title if rule else finding.rule
    millis = int(when.timestamp() * 1000)
    return CloudComplianceFinding(
        activity_id=ActivityID.Create, activity_name=ActivityID.Create.name,
        type_uid=ComplianceFindingTypeID.Create, type_name=f"Compliance Finding: {ActivityID.Create.name}",
        severity_id=severity, severity=severity.name,
        status_id=status, status=status.name, status_code="PASS" if passed else "FAIL",
        status_detail=f"accepted exception: {finding.exception}" if finding.exception else finding.reason,
        message=f"{finding.resource_type} {finding.name}: {finding.reason}",
        time=millis, time_dt=when,
        metadata=Metadata(event_code=finding.rule, profiles=["cloud"], product=Product(
            name=PRODUCT_NAME, vendor_name=PRODUCT_NAME, version=tool_version, uid="bedrock-cmk-guardrails")),
        finding_info=FindingInformation(uid=finding_id(finding), title=title, desc=finding.reason,
                                        types=[finding.resource_type], created_time=millis, created_time_dt=when),
        compliance=Compliance(
            control=finding.rule, desc=rule.explanation if rule else None, status_id=compliance_status,
            requirements=related_requirements(finding.rule),
            standards=[f.name for f in FRAMEWORKS if any(c.framework == f for c in controls)],
            checks=[Check(uid=finding.rule, name=title, status=compliance_status.name, status_id=compliance_status,
                          severity=severity.name, severity_id=severity)]),
        remediation=Remediation(desc=fix_for(finding) or "none"),
        resources=[ResourceDetails(uid=finding.resource, name=finding.name, type=finding.resource_type, region=finding.region,
                                   cloud_partition=partition_of(finding.resource),
                                   data={"kms_key": finding.key} if finding.key else None)],
        cloud=Cloud(provider="AWS", region=finding.region,
                    account=Account(uid=finding.account, name=finding.account, type_id=TypeID.AWS_Account,
                                    type=TypeID.AWS_Account.name)),
    )


def ocsf_events(report, when: datetime | None = None) -> list[dict]:
    when = when or datetime.now(timezone.utc)
    return [to_ocsf(f, when, report.tool_version or "0").model_dump(mode="json", exclude_none=True) for f in report.findings]


def render(report) -> str:
    return json.dumps(ocsf_events(report), indent=2) + "\n"
