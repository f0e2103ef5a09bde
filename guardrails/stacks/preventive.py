"""Preventive controls as stacks.

- PreventiveAccountStack (one account, no Organizations): permissions boundary, rules bucket, Guard Hook.
- PreventiveOrgStack (management or delegated-admin account): the SCPs on the settings' targets, the rules
  bucket readable by the organization, and a service-managed StackSet with auto-deployment that puts the
  Guard Hook in every target account and governed region (the member template has no assets).
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, App, Aws, CfnParameter, Environment, Stack, Token, Validations
from cdk_stacksets import Capability, DeploymentType, StackSet, StackSetStack, StackSetTarget, StackSetTemplate
from constructs import Construct

from guardrails.preventive.guardrail_boundary import GuardrailBoundary
from guardrails.preventive.organization_guardrails import OrganizationGuardrails
from guardrails.preventive.rules_bucket import GuardRulesBucket
from guardrails.preventive.workspace_hook import WorkspaceEncryptionHook
from guardrails.settings import Settings

# cdk-nag findings acknowledged, each with its reason (listed in the README too).
ACKNOWLEDGMENTS = {
    "AwsSolutions::AwsSolutions-IAM5[Action::*]": "A permissions boundary caps permissions: it must allow every action "
    "identity policies grant, and subtract the guardrail denies; it grants nothing by itself.",
    "AwsSolutions::AwsSolutions-IAM5[Resource::*]": "The boundary's allow-all caps, it does not grant; the rules key's "
    "policy statement uses '*' as key policies do (the key itself).",
}
UPLOAD_ACKNOWLEDGMENTS = {
    "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]":
        "CDK's BucketDeployment brings its own function role for the rules upload; we do not own that construct.",
    "AwsSolutions::AwsSolutions-L1": "CDK's BucketDeployment pins its own Lambda runtime.",
    **{f"AwsSolutions::AwsSolutions-IAM5[{finding}]": "CDK's BucketDeployment copies the rules from the CDK asset bucket "
       "into the rules bucket; object keys are only known at deploy time." for finding in (
           "Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*", "Action::s3:DeleteObject*", "Action::s3:Abort*",
           "Action::kms:GenerateDataKey*", "Action::kms:ReEncrypt*",
           "Resource::<RulesBucketRulesA0EECF1E.Arn>/*")},
}

NIST_ACKNOWLEDGMENTS = {
    "NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy": "The hook execution role's policy reads one object and decrypts "
    "through S3 only; inline keeps it bound to the role. BucketDeployment's role is CDK's own.",
    "NIST.800.53.R5::NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess": "The permissions boundary's allow-all caps "
    "permissions and grants nothing; its denies are the guardrail.",
    "NIST.800.53.R5::NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess": "The permissions boundary's allow-all caps "
    "permissions and grants nothing; its denies are the guardrail.",
    **{f"NIST.800.53.R5::NIST.800.53.R5-{rule}": "CDK's BucketDeployment function runs once per deployment to copy the "
       "rules file; it has no network needs beyond S3 and nothing to retry asynchronously."
       for rule in ("LambdaConcurrency", "LambdaDLQ", "LambdaInsideVPC")},
    "NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled": "The rules are rendered from source control on every "
    "deployment and the access logs are evidence kept in place: replication adds no recovery.",
    "NIST.800.53.R5::NIST.800.53.R5-S3DefaultEncryptionKMS": "S3 server access logs cannot be delivered to an SSE-KMS "
    "bucket; the access-log bucket uses SSE-S3. The rules bucket uses the CMK.",
}

_CT = "cdk-validator-cfnguard::"
CONTROL_TOWER_ACKNOWLEDGMENTS = {
    _CT + "iam_managed_policy_no_statements_with_admin_access_check": "The permissions boundary's allow-all caps "
    "permissions and grants nothing; its denies are the guardrail.",
    _CT + "iam_managed_policy_no_statements_with_full_access_check": "The permissions boundary's allow-all caps "
    "permissions and grants nothing; its denies are the guardrail.",
    _CT + "lambda_inside_vpc_check": "CDK's BucketDeployment function runs once per deployment to copy the rules file to S3.",
    _CT + "s3_bucket_acl_prohibited_check": "The access-log bucket receives S3 server access logs, which CDK grants with "
    "the log-delivery ACL unless the app sets the serverAccessLogsUseBucketPolicy feature flag.",
    _CT + "s3_bucket_default_encryption_kms_check": "S3 server access logs cannot be delivered to an SSE-KMS bucket; "
    "the access-log bucket uses SSE-S3. The rules bucket uses the CMK.",
    _CT + "s3_bucket_logging_enabled_check": "The access-log bucket is the log destination; logging it to itself "
    "would loop, and CloudTrail records its management events.",
    _CT + "s3_bucket_object_lock_enabled_check": "The rules are replaced on every deployment and versioning keeps the "
    "history; object lock would block the documented rollback by deleting a bad version.",
    _CT + "s3_event_notifications_enabled_check": "Writes to the rules bucket come only from the deployment; CloudTrail "
    "and the hook-protection SCP cover changes, so notifications add no consumer.",
}


def cdk_asset_objects(stack: Stack) -> str:
    """How cdk-nag names the CDK bootstrap asset bucket's objects in this stack's findings (env-agnostic or not)."""
    account = "<AWS::AccountId>" if Token.is_unresolved(stack.account) else stack.account
    region = "<AWS::Region>" if Token.is_unresolved(stack.region) else stack.region
    return f"Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-{account}-{region}/*"


def _upload_acknowledgments(stack: Stack) -> dict[str, str]:
    return {**UPLOAD_ACKNOWLEDGMENTS, f"AwsSolutions::AwsSolutions-IAM5[{cdk_asset_objects(stack)}]":
            "CDK's BucketDeployment copies the rules from the CDK asset bucket into the rules bucket; object keys are "
            "only known at deploy time."}


def _acknowledge(scope: Construct, acknowledgments: dict[str, str]) -> None:
    for rule, reason in acknowledgments.items():
        Validations.of(scope).acknowledge(Acknowledgment(id=rule, reason=reason))


class PreventiveAccountStack(Stack):
    def __init__(self, scope: Construct, id: str, *, settings: Settings, **kwargs) -> None:
        super().__init__(scope, id, description="Bedrock CMK Guardrails: preventive controls for one account", **kwargs)
        self.boundary = GuardrailBoundary(self, "Boundary", settings=settings)
        rules = GuardRulesBucket(self, "RulesBucket", settings=settings)
        self.hook = WorkspaceEncryptionHook(self, "Hook", settings=settings, rules_bucket_arn=rules.bucket.bucket_arn,
                                            rules_object_key=rules.object_key, rules_uri=rules.uri, rules_key_arn=rules.key.key_arn)
        self.hook.hook.node.add_dependency(rules.deployment)  # the hook reads the rules as soon as it is enabled
        _acknowledge(self, {**ACKNOWLEDGMENTS, **_upload_acknowledgments(self), **NIST_ACKNOWLEDGMENTS,
                                 **CONTROL_TOWER_ACKNOWLEDGMENTS})


class _HookMemberStack(StackSetStack):
    """Member accounts cannot import the management account's exports: the rules location arrives as parameters."""

    PARAMETERS = ("RulesBucketName", "RulesKeyArn")

    def __init__(self, scope: Construct, id: str, *, settings: Settings, object_key: str) -> None:
        super().__init__(scope, id)
        bucket, key = (CfnParameter(self, name, type="String").value_as_string for name in self.PARAMETERS)
        WorkspaceEncryptionHook(self, "Hook", settings=settings, rules_bucket_arn=f"arn:{Aws.PARTITION}:s3:::{bucket}",
                                rules_object_key=object_key, rules_uri=f"s3://{bucket}/{object_key}", rules_key_arn=key)


def check_delegated_admin_deployer(settings: Settings, account: str) -> None:
    """From a delegated administrator, the hook StackSet is updated by a role of that (member) account, which the
    SCPs govern: DenyHookStackSetChanges would block every later update unless hook_deployer_roles names it.
    The management account is never governed by SCPs (Organizations User Guide, "Service control policies")."""
    if settings.stackset_call_as != "DELEGATED_ADMIN":
        return
    if Token.is_unresolved(account):
        raise ValueError("stackset_call_as DELEGATED_ADMIN needs the organization stack's account (deploy it with an env)")
    if not any(role.split(":")[4] == account for role in settings.hook_deployer_roles):
        raise ValueError(f"stackset_call_as is DELEGATED_ADMIN: the SCPs govern the delegated administrator account {account}; "
                         f"add the role that deploys this stack there (for CDK: arn:aws:iam::{account}:role/"
                         f"cdk-hnb659fds-cfn-exec-role-{account}-<region>) to the setting hook_deployer_roles")


class PreventiveOrgStack(Stack):
    def __init__(self, scope: Construct, id: str, *, settings: Settings, organization_id: str, **kwargs) -> None:
        super().__init__(scope, id, description="Bedrock CMK Guardrails: SCPs and the organization-wide Guard Hook", **kwargs)
        check_delegated_admin_deployer(settings, self.account)
        self.guardrails = OrganizationGuardrails(self, "Scps", settings=settings)
        rules = GuardRulesBucket(self, "RulesBucket", settings=settings, organization_id=organization_id)
        member = _HookMemberStack(self, "HookMember", settings=settings, object_key=rules.object_key)
        self.stack_set = StackSet(
            self, "HookStackSet", stack_set_name=settings.hook_stack_name, template=StackSetTemplate.from_stack_set_stack(member),
            deployment_type=DeploymentType.service_managed(auto_deploy_enabled=True, auto_deploy_retain_stacks=False,
                                                           delegated_admin=settings.stackset_call_as == "DELEGATED_ADMIN"),
            target=StackSetTarget.from_organizational_units(organizational_units=list(settings.org_target_ids),
                                                            regions=list(settings.governed_regions)),
            capabilities=[Capability.IAM],
            parameters=dict(zip(_HookMemberStack.PARAMETERS, (rules.bucket.bucket_name, rules.key.key_arn))))
        _acknowledge(self, {**ACKNOWLEDGMENTS, **_upload_acknowledgments(self), **NIST_ACKNOWLEDGMENTS,
                                 **CONTROL_TOWER_ACKNOWLEDGMENTS})


def add_preventive_stacks(app: App, settings: Settings, organization_id: str | None = None,
                          env: Environment | None = None) -> list[Stack]:
    """The single-account stack always; the organization stack (in `env`: the management or delegated-admin
    account) when org targets and an organization id are given."""
    # The stack name is what hook protection names (DenyHookStackChanges): both come from the one setting.
    stacks: list[Stack] = [PreventiveAccountStack(app, "BedrockGuardrailsPreventive", settings=settings,
                                                  stack_name=settings.preventive_stack_name)]
    if settings.org_target_ids and organization_id:
        stacks.append(PreventiveOrgStack(app, "BedrockGuardrailsPreventiveOrg", settings=settings, organization_id=organization_id,
                                         env=env))
    return stacks
