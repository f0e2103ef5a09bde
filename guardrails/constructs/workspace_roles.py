"""The roles a DataZone domain runs as, trusted by DataZone acting for this account, exactly as AWS documents it."""

from __future__ import annotations

from aws_cdk import Acknowledgment, Stack, Validations
from aws_cdk import aws_iam as iam
from constructs import Construct

from guardrails.constructs import defaults as d
from guardrails.constructs import service_key_facts as facts


MANAGED_POLICY_REASON = (
    "DataZone domain roles use the AWS-managed policy DataZone documents for them: AWS scopes it to the "
    "datazone/sagemaker actions the portal needs and updates it as the service adds APIs; a copy would drift "
    "and break the domain. Key use is not in it: the key policy grants this role by name.")


def _documented_trust(scope: Construct, trust: facts.RoleTrust) -> dict:
    """The role's trust policy exactly as DataZone / Unified Studio documents it (service_key_facts): one statement,
    aws:SourceAccount, and the datazone* session-tag limit where the page has one. No aws:SourceArn: the pages show
    none, and a condition on a key DataZone does not send would make every AssumeRole fail."""
    conditions: dict = {"StringEquals": {"aws:SourceAccount": Stack.of(scope).account}}
    if trust.tag_keys:
        conditions["ForAllValues:StringLike"] = {"aws:TagKeys": trust.tag_keys}
    return {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": d.DATAZONE_PRINCIPAL}, "Action": list(trust.actions),
        "Condition": conditions}]}


def _datazone_role(scope: Construct, id: str, description: str, trust: facts.RoleTrust,
                   managed_policy: str) -> iam.Role:
    role = iam.Role(scope, id, description=description, assumed_by=iam.ServicePrincipal(d.DATAZONE_PRINCIPAL),
                    managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(managed_policy)])
    # The L2 writes a bare sts:AssumeRole statement; the documented one replaces it whole.
    role.node.default_child.assume_role_policy_document = _documented_trust(role, trust)
    Validations.of(role).acknowledge(Acknowledgment(
        id=f"AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/{managed_policy}]",
        reason=MANAGED_POLICY_REASON))
    return role


_EXECUTION_TRUST = {"V1": facts.V1_EXECUTION_ROLE_TRUST, "V2": facts.V2_EXECUTION_ROLE_TRUST}


def domain_execution_role(scope: Construct, id: str, version: str) -> iam.Role:
    return _datazone_role(scope, id, f"DataZone {version} domain execution role (data portal calls for users)",
                          _EXECUTION_TRUST[version], d.EXECUTION_ROLE_MANAGED_POLICY[version])


def domain_service_role(scope: Construct, id: str) -> iam.Role:
    return _datazone_role(scope, id, "DataZone V2 domain service role (SageMaker Unified Studio)",
                          facts.V2_SERVICE_ROLE_TRUST, d.SERVICE_ROLE_MANAGED_POLICY)
