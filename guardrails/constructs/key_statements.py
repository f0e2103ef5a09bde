"""The key policy statements a WorkspaceKey is made of, as pure builders.

Each statement is shaped for `guardrails.key_policy.analyze_key_policy`: administrators get
management actions only; cryptographic use goes to named principals, or to the account only
through kms:ViaService plus an account or encryption-context condition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from aws_cdk import aws_iam as iam

from guardrails.constructs import defaults as d
from guardrails.constructs import service_key_facts as facts


def admin_statement(principals: Sequence[iam.IPrincipal]) -> iam.PolicyStatement:
    return iam.PolicyStatement(sid="KeyAdministration", principals=list(principals),
                               actions=list(d.KEY_ADMIN_ACTIONS), resources=["*"])


@dataclass(frozen=True)
class Delegation:
    """Which of the account's IAM principals a statement without named principals reaches (Principal: the account
    root, so the caller's own identity policy must allow the use too), and the condition that narrows it.

    `ACCOUNT_WIDE` (no narrowing) is the default WorkspaceKey; a team key delegates only to principals tagged with the
    team (`team_delegations`)."""

    sid_part: str
    conditions: Mapping[str, Mapping[str, object]]


ACCOUNT_WIDE = (Delegation("", {}),)


def team_delegations(*, tag: str, team: str, provisioning_roles: Sequence[str], account: str) -> tuple[Delegation, ...]:
    """A team key: principals whose `aws:PrincipalTag/<tag>` is the team (IAM User Guide, "Controlling access to
    and for IAM users and roles using tags"; KMS Developer Guide, "ABAC for AWS KMS"), and the provisioning roles
    that create the team's resources (DataZone and Bedrock reach the key with the creating role's credentials),
    their ARN patterns pinned to the key's own account (settings name them for every account: `iam::*:`)."""
    delegations = [Delegation("Team", {"StringEquals": {f"aws:PrincipalTag/{tag}": team}})]
    if provisioning_roles:
        arns = sorted(arn.replace(":iam::*:", f":iam::{account}:", 1) for arn in provisioning_roles)
        delegations.append(Delegation("Provisioning", {"ArnLike": {"aws:PrincipalArn": arns if len(arns) > 1 else arns[0]}}))
    return tuple(delegations)


def admin_statements(root: iam.IPrincipal, key_admins: Sequence[iam.IPrincipal]) -> list[iam.PolicyStatement]:
    """The account root keeps management (IAM policies can repair the key) but not the calls that make the key
    unusable: scheduling deletion (the key is unusable while Pending Deletion: KMS Cryptographic Details, "Deleting
    keys") and revoking or retiring the services' grants (DataZone User Guide, "Data encryption at rest for Amazon
    DataZone"). Those go to the named key administrators only, so an account administrator cannot reach them
    through IAM (the SCP's DenyWorkspaceKeyLoss covers keys this construct did not make)."""
    everyday = [a for a in d.KEY_ADMIN_ACTIONS if a not in d.KEY_LOSS_ACTIONS]
    return [iam.PolicyStatement(sid="KeyAdministration", principals=[root, *key_admins], actions=everyday, resources=["*"]),
            iam.PolicyStatement(sid="KeyRetirement", principals=list(key_admins), actions=list(d.KEY_LOSS_ACTIONS),
                                resources=["*"])]


def datazone_statements(*, region: str, account: str, principals: Sequence[iam.IPrincipal],
                        sid_suffix: str, delegations: Sequence[Delegation] = ACCOUNT_WIDE) -> list[iam.PolicyStatement]:
    """DataZone's documented needs: grants for AWS resources, data keys under aws:datazone:domainId.

    Without principals the use is delegated to the account's IAM policies (the role that creates the
    domain), but only through DataZone (kms:ViaService) and only for this account (kms:CallerAccount),
    and in team mode only to the team's tagged principals and the provisioning roles (`delegations`).
    """
    via = {"kms:ViaService": d.via_service(d.DATAZONE_SERVICE, region), "kms:CallerAccount": account}
    return _use_through_service("DataZone", sid_suffix, principals, via, d.DATAZONE_DATA_ACTIONS, _DATAZONE_CONTEXT,
                                delegations)


def unified_studio_statements(*, account: str, execution_role: iam.IPrincipal | None,
                              sid_suffix: str) -> list[iam.PolicyStatement]:
    """Unified Studio (V2): the DataZone service principal (pinned to this account) or the domain execution role
    gets exactly the actions the SMUS key-policy page lists (service_key_facts.SMUS_DOMAIN_*), split so that key
    use and grant management (ListGrants, RevokeGrant) sit in separate statements.

    No kms:ViaService or encryption-context condition: the page documents none, and the execution role's calls
    need not come through DataZone; narrowing below what the service documents would break the domain."""
    fact = facts.SMUS_DOMAIN_EXECUTION_ROLE if execution_role else facts.SMUS_DOMAIN_SERVICE
    principal = execution_role or iam.ServicePrincipal(d.DATAZONE_PRINCIPAL)
    source = {} if execution_role else {"StringEquals": {"aws:SourceAccount": account}}
    name = f"UnifiedStudio{sid_suffix}"
    manage = [a for a in fact.actions if a in _GRANT_MANAGEMENT]
    use = [a for a in fact.actions if a not in _GRANT_MANAGEMENT]
    return [
        iam.PolicyStatement(sid=f"{name}KeyUse", principals=[principal], actions=use, resources=["*"],
                            conditions=dict(source)),
        iam.PolicyStatement(sid=f"{name}Grants", principals=[principal], actions=manage, resources=["*"],
                            conditions=dict(source)),
    ]


_GRANT_MANAGEMENT = ("kms:ListGrants", "kms:RevokeGrant")
_DATAZONE_CONTEXT = {"ForAnyValue:StringEquals": {"kms:EncryptionContextKeys": d.DATAZONE_CONTEXT_KEY}}


def bedrock_statements(*, region: str, account: str, principals: Sequence[iam.IPrincipal],
                       sid_suffix: str, delegations: Sequence[Delegation] = ACCOUNT_WIDE) -> list[iam.PolicyStatement]:
    """Agents, flows, knowledge bases, guardrails, prompts and sessions: use only through Bedrock."""
    via = {"kms:ViaService": d.via_service(d.BEDROCK_SERVICE, region), "kms:CallerAccount": account}
    return _use_through_service("Bedrock", sid_suffix, principals, via, d.BEDROCK_DATA_ACTIONS, {}, delegations)


def _use_through_service(service: str, sid_suffix: str, principals: Sequence[iam.IPrincipal], via: dict,
                         data_actions, data_conditions: dict, delegations: Sequence[Delegation]) -> list[iam.PolicyStatement]:
    """Grants for the service's resources, data keys and DescribeKey, all only through the service (kms:ViaService).

    Without principals the use is delegated to the account's IAM policies, still only through the service
    and only for this account (kms:CallerAccount), narrowed by each delegation's condition (one set per delegation:
    conditions in one statement are ANDed, so "tagged OR provisioning" needs two)."""
    if principals:
        return _statement_set(service, sid_suffix, list(principals), via, data_actions, data_conditions, {})
    return [statement for delegation in delegations
            for statement in _statement_set(service, f"{sid_suffix}{delegation.sid_part}", [iam.AccountRootPrincipal()],
                                            via, data_actions, data_conditions, delegation.conditions)]


def _statement_set(service: str, sid_suffix: str, callers: list[iam.IPrincipal], via: dict, data_actions,
                   data_conditions: dict, narrowing: Mapping[str, Mapping[str, object]]) -> list[iam.PolicyStatement]:
    def conditions(*blocks: Mapping[str, Mapping[str, object]]) -> dict:
        merged: dict[str, dict] = {}
        for block in (*blocks, narrowing):
            for operator, values in block.items():
                merged.setdefault(operator, {}).update(values)
        return merged

    return [
        iam.PolicyStatement(sid=f"{service}CreateGrant{sid_suffix}", principals=callers, actions=["kms:CreateGrant"],
                            resources=["*"], conditions=conditions({"StringEquals": via},
                                                                   {"Bool": {"kms:GrantIsForAWSResource": "true"}})),
        iam.PolicyStatement(sid=f"{service}DataKeys{sid_suffix}", principals=callers, actions=list(data_actions),
                            resources=["*"], conditions=conditions({"StringEquals": via}, data_conditions)),
        iam.PolicyStatement(sid=f"{service}DescribeKey{sid_suffix}", principals=callers, actions=["kms:DescribeKey"],
                            resources=["*"], conditions=conditions({"StringEquals": via})),
    ]


def bedrock_service_statement(account: str) -> iam.PolicyStatement:
    """Bedrock itself (agents, flows, prompts, sessions) encrypts under its own encryption-context keys, one per
    resource type (service_key_facts.BEDROCK_TYPES: each from that type's encryption page)."""
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
