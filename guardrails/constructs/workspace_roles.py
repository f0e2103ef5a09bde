"""The roles a DataZone domain runs as, trusted only by DataZone acting for this account's domains."""

from __future__ import annotations

from aws_cdk import Acknowledgment, Stack, Validations
from aws_cdk import aws_iam as iam
from constructs import Construct

from guardrails.constructs import defaults as d


MANAGED_POLICY_REASON = (
    "DataZone domain roles use the AWS-managed policy DataZone documents for them: AWS scopes it to the "
    "datazone/sagemaker actions the portal needs and updates it as the service adds APIs; a copy would drift "
    "and break the domain. Key use is not in it: the key policy grants this role by name.")


def _trust_conditions(scope: Construct) -> dict:
    """Confused-deputy protection: DataZone may assume the role only for a domain of this account and region."""
    stack = Stack.of(scope)
    domains = stack.format_arn(service="datazone", resource="domain", resource_name="*")
    return {"StringEquals": {"aws:SourceAccount": stack.account}, "ArnLike": {"aws:SourceArn": domains}}


def _datazone_role(scope: Construct, id: str, description: str, session_actions: list[str],
                   managed_policy: str) -> iam.Role:
    conditions = _trust_conditions(scope)
    role = iam.Role(scope, id, description=description,
                    assumed_by=iam.ServicePrincipal(d.DATAZONE_PRINCIPAL, conditions=conditions),
                    managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(managed_policy)])
    Validations.of(role).acknowledge(Acknowledgment(
        id=f"AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/{managed_policy}]",
        reason=MANAGED_POLICY_REASON))
    if session_actions:
        # DataZone tags its sessions (and V2 sets context); allow only its own datazone* session tags.
        role.assume_role_policy.add_statements(iam.PolicyStatement(
            principals=[iam.ServicePrincipal(d.DATAZONE_PRINCIPAL)], actions=session_actions,
            conditions={**conditions, "ForAllValues:StringLike": {"aws:TagKeys": "datazone*"}}))
    return role


def domain_execution_role(scope: Construct, id: str, version: str) -> iam.Role:
    actions = ["sts:TagSession", "sts:SetContext"] if version == "V2" else ["sts:TagSession"]
    return _datazone_role(scope, id, f"DataZone {version} domain execution role (data portal calls for users)",
                          actions, d.EXECUTION_ROLE_MANAGED_POLICY[version])


def domain_service_role(scope: Construct, id: str) -> iam.Role:
    return _datazone_role(scope, id, "DataZone V2 domain service role (SageMaker Unified Studio)", [],
                          d.SERVICE_ROLE_MANAGED_POLICY)
