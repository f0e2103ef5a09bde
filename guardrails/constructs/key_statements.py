"""The key policy statements a WorkspaceKey is made of, as pure builders.

Each statement is shaped for `guardrails.key_policy.analyze_key_policy`: administrators get
management actions only; cryptographic use goes to named principals, or to the account only
through kms:ViaService plus an account or encryption-context condition.
"""

from __future__ import annotations

from typing import Sequence

from aws_cdk import aws_iam as iam

from guardrails.constructs import defaults as d


def admin_statement(principals: Sequence[iam.IPrincipal]) -> iam.PolicyStatement:
    return iam.PolicyStatement(sid="KeyAdministration", principals=list(principals),
                               actions=list(d.KEY_ADMIN_ACTIONS), resources=["*"])


def datazone_statements(*, region: str, account: str, principals: Sequence[iam.IPrincipal],
                        sid_suffix: str) -> list[iam.PolicyStatement]:
    """DataZone's documented needs: grants for AWS resources, data keys under aws:datazone:domainId.

    Without principals the use is delegated to the account's IAM policies (the role that creates the
    domain), but only through DataZone (kms:ViaService) and only for this account (kms:CallerAccount).
    """
    via = {"kms:ViaService": d.via_service(d.DATAZONE_SERVICE, region), "kms:CallerAccount": account}
    return _use_through_service("DataZone", sid_suffix, principals, via, d.DATAZONE_DATA_ACTIONS, _DATAZONE_CONTEXT)


def datazone_service_statements(account: str) -> list[iam.PolicyStatement]:
    """Unified Studio (V2) calls KMS as the service principal itself; pin it to this account's domains."""
    source = {"StringEquals": {"aws:SourceAccount": account}}
    service = iam.ServicePrincipal(d.DATAZONE_PRINCIPAL)
    return [
        iam.PolicyStatement(sid="DataZoneServiceDataKeys", principals=[service], actions=list(d.DATAZONE_DATA_ACTIONS),
                            resources=["*"], conditions={**source, **_DATAZONE_CONTEXT}),
        iam.PolicyStatement(sid="DataZoneServiceDescribeKey", principals=[service], actions=["kms:DescribeKey"],
                            resources=["*"], conditions=source),
    ]


_DATAZONE_CONTEXT = {"ForAnyValue:StringEquals": {"kms:EncryptionContextKeys": d.DATAZONE_CONTEXT_KEY}}


def bedrock_statements(*, region: str, account: str, principals: Sequence[iam.IPrincipal],
                       sid_suffix: str) -> list[iam.PolicyStatement]:
    """Agents, flows, knowledge bases, guardrails, prompts and sessions: use only through Bedrock."""
    via = {"kms:ViaService": d.via_service(d.BEDROCK_SERVICE, region), "kms:CallerAccount": account}
    return _use_through_service("Bedrock", sid_suffix, principals, via, d.BEDROCK_DATA_ACTIONS, {})


def _use_through_service(service: str, sid_suffix: str, principals: Sequence[iam.IPrincipal], via: dict,
                         data_actions, data_conditions: dict) -> list[iam.PolicyStatement]:
    """Grants for the service's resources, data keys and DescribeKey, all only through the service (kms:ViaService).

    Without principals the use is delegated to the account's IAM policies, still only through the service
    and only for this account (kms:CallerAccount)."""
    callers = list(principals) or [iam.AccountRootPrincipal()]
    return [
        iam.PolicyStatement(sid=f"{service}CreateGrant{sid_suffix}", principals=callers, actions=["kms:CreateGrant"],
                            resources=["*"], conditions={"StringEquals": via, "Bool": {"kms:GrantIsForAWSResource": "true"}}),
        iam.PolicyStatement(sid=f"{service}DataKeys{sid_suffix}", principals=callers, actions=list(data_actions),
                            resources=["*"], conditions={"StringEquals": via, **data_conditions}),
        iam.PolicyStatement(sid=f"{service}DescribeKey{sid_suffix}", principals=callers, actions=["kms:DescribeKey"],
                            resources=["*"], conditions={"StringEquals": via}),
    ]


def bedrock_service_statement(account: str) -> iam.PolicyStatement:
    """Bedrock itself (agents, flows, sessions) encrypts under its own encryption-context keys."""
    return iam.PolicyStatement(
        sid="BedrockServiceDataKeys", principals=[iam.ServicePrincipal(d.BEDROCK_PRINCIPAL)],
        actions=list(d.BEDROCK_DATA_ACTIONS), resources=["*"],
        conditions={"StringEquals": {"aws:SourceAccount": account},
                    "ForAnyValue:StringEquals": {"kms:EncryptionContextKeys": list(d.BEDROCK_CONTEXT_KEYS)}})


def deny_grants_for_non_aws_resources() -> iam.PolicyStatement:
    """Grants only for AWS services acting on AWS resources (Control Tower CT.KMS.PR.3): no standing grants to people."""
    return iam.PolicyStatement(
        sid="DenyGrantsNotForAWSResources", effect=iam.Effect.DENY, principals=[iam.AnyPrincipal()],
        actions=["kms:CreateGrant"], resources=["*"],
        conditions={"BoolIfExists": {"kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false"}})
