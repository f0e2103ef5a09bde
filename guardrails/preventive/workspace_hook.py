"""WorkspaceEncryptionHook: a Guard Hook that fails any governed resource not on a customer-managed key."""

from __future__ import annotations

from aws_cdk import aws_cloudformation as cloudformation
from aws_cdk import aws_iam as iam
from constructs import Construct

from guardrails.rules.governed_types import GOVERNED_TYPES
from guardrails.settings import Settings

# The key rules judge keys too: rotation, deletion window and ownership of workspace keys (and replicas).
TARGET_TYPES = sorted({*GOVERNED_TYPES, "AWS::KMS::Key", "AWS::KMS::ReplicaKey"})


class WorkspaceEncryptionHook(Construct):
    """`rules_uri` is s3://bucket/key; the execution role may read only that object (and decrypt via S3)."""

    def __init__(self, scope: Construct, id: str, *, settings: Settings, rules_bucket_arn: str, rules_object_key: str,
                 rules_uri: str, rules_key_arn: str) -> None:
        super().__init__(scope, id)
        self.role = iam.Role(self, "ExecutionRole", assumed_by=iam.ServicePrincipal("hooks.cloudformation.amazonaws.com"),
                             description="Reads the Guard Hook's rules, nothing else")
        self.role.add_to_policy(iam.PolicyStatement(actions=["s3:GetObject", "s3:GetObjectVersion"],
                                                    resources=[f"{rules_bucket_arn}/{rules_object_key}"]))
        # "Prepare to create a Guard Hook" (hooks user guide) lists s3:ListBucket on the rules bucket too.
        self.role.add_to_policy(iam.PolicyStatement(actions=["s3:ListBucket"], resources=[rules_bucket_arn]))
        self.role.add_to_policy(iam.PolicyStatement(actions=["kms:Decrypt"], resources=[rules_key_arn],
                                                    conditions={"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}}))
        self.hook = cloudformation.CfnGuardHook(
            self, "Hook", alias=settings.hook_alias, execution_role=self.role.role_arn,
            failure_mode="FAIL", hook_status="ENABLED", rule_location=cloudformation.CfnGuardHook.S3LocationProperty(uri=rules_uri),
            target_operations=["RESOURCE", "CLOUD_CONTROL"],
            target_filters=cloudformation.CfnGuardHook.TargetFiltersProperty(
                targets=[cloudformation.CfnGuardHook.HookTargetProperty(action=action, invocation_point="PRE_PROVISION", target_name=name)
                         for name in TARGET_TYPES for action in ("CREATE", "UPDATE")]))
        self.hook.node.add_dependency(self.role)
