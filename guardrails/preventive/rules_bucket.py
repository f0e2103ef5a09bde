"""Where the Guard Hook reads its rules: versioned, CMK-encrypted, TLS-only, access-logged, private."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from guardrails.preventive.guard_rules import render
from guardrails.preventive.principals import unless_principal
from guardrails.constructs.key_statements import deny_grants_for_non_aws_resources
from guardrails.settings import Settings

RULES_OBJECT = "rules/workspace_encryption.guard"
# Whoever rewrites the rules switches the hook off without touching it: only the deployment writes them.
RULES_CHANGES = ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"]
BUCKET_CHANGES = ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketVersioning", "s3:PutLifecycleConfiguration"]


def _private_bucket(scope: Construct, id: str, **kwargs) -> s3.Bucket:
    # Old rule versions and logs are evidence for a year, then go.
    lifecycle = s3.LifecycleRule(expiration=Duration.days(365) if id == "AccessLogs" else None,
                                 noncurrent_version_expiration=Duration.days(365))
    return s3.Bucket(scope, id, versioned=True, enforce_ssl=True, block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
                     removal_policy=RemovalPolicy.RETAIN, lifecycle_rules=[lifecycle], **kwargs)


class GuardRulesBucket(Construct):
    """Holds the rules rendered from settings; with `organization_id`, hook roles in member accounts may read them."""

    def __init__(self, scope: Construct, id: str, *, settings: Settings, organization_id: str | None = None) -> None:
        super().__init__(scope, id)
        self.key = kms.Key(self, "Key", description="Bedrock CMK Guardrails: Guard Hook rules", enable_key_rotation=True,
                           pending_window=None, removal_policy=RemovalPolicy.RETAIN)
        # Grants only for AWS services (S3 uses them); nobody widens access to the rules outside the key policy.
        self.key.add_to_resource_policy(deny_grants_for_non_aws_resources())
        # S3 server access logs cannot be delivered to a KMS-encrypted bucket: SSE-S3 is the strongest option there.
        self.access_logs = _private_bucket(self, "AccessLogs", encryption=s3.BucketEncryption.S3_MANAGED)
        self.bucket = _private_bucket(self, "Rules", encryption=s3.BucketEncryption.KMS, encryption_key=self.key,
                                      bucket_key_enabled=True, object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
                                      server_access_logs_bucket=self.access_logs,
                                      server_access_logs_prefix="rules-bucket/")
        self.deployment = s3deploy.BucketDeployment(
            self, "Upload", destination_bucket=self.bucket, destination_key_prefix="rules/", prune=False,
            sources=[s3deploy.Source.data("workspace_encryption.guard", render(settings))])
        self.object_key = RULES_OBJECT
        # A bucket policy binds administrators of this account too (the boundary may not be on them). Only the
        # BucketDeployment's own role writes the rules: CloudFormation never writes objects here, and every
        # administrator can run CloudFormation as the provisioning role (docs/deploy.md, "What the controls do not
        # stop"). CloudFormation (provisioning roles, StackSets) maintains the bucket's own configuration.
        trusted = [settings.platform_role, settings.break_glass_role]
        writers = unless_principal([self.deployment.handler_role.role_arn, *trusted])
        maintainers = unless_principal([*trusted, *settings.provisioning_roles, *settings.hook_deployer_roles])
        self.bucket.add_to_resource_policy(iam.PolicyStatement(
            sid="DenyRulesChangesOutsideDeployment", effect=iam.Effect.DENY, principals=[iam.AnyPrincipal()],
            actions=RULES_CHANGES, resources=[self.bucket.arn_for_objects("*")], conditions=writers))
        self.bucket.add_to_resource_policy(iam.PolicyStatement(
            sid="DenyRulesBucketChangesOutsideDeployment", effect=iam.Effect.DENY, principals=[iam.AnyPrincipal()],
            actions=BUCKET_CHANGES, resources=[self.bucket.bucket_arn], conditions=maintainers))
        if organization_id:
            member_roles = iam.ArnPrincipal("*").with_conditions({"StringEquals": {"aws:PrincipalOrgID": organization_id}})
            self.bucket.add_to_resource_policy(iam.PolicyStatement(
                actions=["s3:GetObject", "s3:GetObjectVersion"], principals=[member_roles],
                resources=[self.bucket.arn_for_objects(RULES_OBJECT)]))
            self.key.add_to_resource_policy(iam.PolicyStatement(
                actions=["kms:Decrypt"], principals=[member_roles], resources=["*"],
                conditions={"StringEquals": {"kms:ViaService": f"s3.{self.bucket.stack.region}.amazonaws.com"}}))

    @property
    def uri(self) -> str:
        return f"s3://{self.bucket.bucket_name}/{self.object_key}"
