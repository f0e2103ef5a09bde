"""A small audit report built from findings, for the format writers (no AWS needed to render)."""

from __future__ import annotations

import pytest

from guardrails.audit.kpis import compute_kpis
from guardrails.audit.model import AuditResult, Finding, NotEvaluated, Scope
from guardrails.audit.reports.document import AuditReport

ACCOUNT, REGION = "123456789012", "us-east-1"
DOMAIN = f"arn:aws:datazone:{REGION}:{ACCOUNT}:domain/dzd_abc123"
AGENT = f"arn:aws:bedrock:{REGION}:{ACCOUNT}:agent/AGENT1"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def make_report(*findings: Finding, gaps: tuple[NotEvaluated, ...] = ()) -> AuditReport:
    result = AuditResult(findings=list(findings), not_evaluated=list(gaps), scopes=[Scope(ACCOUNT, REGION)])
    return AuditReport(result, compute_kpis(result), generated_at="2026-11-30T10:00:00+00:00", tool_version="0.1.0")


@pytest.fixture
def mixed_report() -> AuditReport:
    return make_report(
        Finding(DOMAIN, "AWS::DataZone::Domain", "old-ws (V1)", ACCOUNT, REGION, "NON_COMPLIANT", "BedrockGuardrails-WorkspaceCMK",
                "no customer-managed key: encrypted with an AWS-owned key"),
        Finding(AGENT, "AWS::Bedrock::Agent", "helper", ACCOUNT, REGION, "NON_COMPLIANT",
                "BedrockGuardrails-KeyRotation[RotationDisabled]", "automatic key rotation is off", KEY, True),
        Finding(AGENT, "AWS::Bedrock::Agent", "helper", ACCOUNT, REGION, "NON_COMPLIANT", "BedrockGuardrails-KeyOwnershipTags",
                "missing tag Owner", KEY, True, exception="legacy agent, owner change SEC-42"),
        Finding(f"arn:aws:bedrock:{REGION}:{ACCOUNT}:guardrail/g1", "AWS::Bedrock::Guardrail", "safety", ACCOUNT, REGION,
                "COMPLIANT", "BedrockGuardrails-ResourceCMK", "customer-managed key, enabled, rotated, owned, least-privilege",
                KEY, True),
    )
