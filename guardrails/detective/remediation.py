"""Opt-in automatic remediation with AWS Config and AWS's own runbooks (setting `auto_remediation`, off by default).

Two things can be fixed in place without a person deciding anything, and AWS publishes a Systems Manager
Automation runbook for each (AWS Systems Manager Automation runbook reference, "AWS KMS"):

- AWSConfigRemediation-EnableKeyRotation: turns automatic rotation on;
- AWSConfigRemediation-CancelKeyDeletion: cancels a scheduled deletion (parameters AutomationAssumeRole and
  KeyId; the page lists ssm:StartAutomationExecution, ssm:GetAutomationExecution, kms:CancelKeyDeletion and
  kms:DescribeKey for the role).

Both take `AutomationAssumeRole` (the role below) and `KeyId` (Config's resource id of an AWS::KMS::Key is
its key id, passed as RESOURCE_ID). Remediation is attached to the detective stack's managed rules
CMK_BACKING_KEY_ROTATION_ENABLED and KMS_CMK_NOT_SCHEDULED_FOR_DELETION. The automation role may act only on
keys carrying the workspace-key tag (settings.workspace_key_tag, an aws:ResourceTag condition): a key this
project does not govern is never changed; its remediation fails AccessDenied and Config shows it as failed.
Retries are bounded (MAXIMUM_ATTEMPTS within RETRY_SECONDS); Systems Manager runs few executions at once.
`guardrails audit --fix` makes the same two changes from a workstation (guardrails/audit/fix.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Stack, Tags
from aws_cdk import aws_config as config
from aws_cdk import aws_iam as iam
from constructs import Construct

from guardrails.detective.names import DeploymentNames
from guardrails.settings import Settings

MAXIMUM_ATTEMPTS = 3  # Config's MaximumAutomaticAttempts (1-25)
RETRY_SECONDS = 3600  # ... within this many seconds (RetryAttemptSeconds)
CONCURRENCY_PERCENT, ERROR_PERCENT = 10, 10  # SSM execution controls: at most 10 % at once, stop at 10 % errors
OWNER_TAGS = {"ManagedBy": "bedrock-cmk-guardrails", "GuardrailsComponent": "detective-remediation"}


@dataclass(frozen=True)
class Runbook:
    rule_identifier: str  # the Config managed rule whose NON_COMPLIANT keys the runbook fixes
    document: str  # AWS-owned SSM Automation document
    actions: tuple[str, ...]  # what the runbook's steps call, for the automation role
    why: str


RUNBOOKS: tuple[Runbook, ...] = (
    Runbook("CMK_BACKING_KEY_ROTATION_ENABLED", "AWSConfigRemediation-EnableKeyRotation",
            ("kms:EnableKeyRotation", "kms:GetKeyRotationStatus", "kms:DescribeKey"), "turn automatic key rotation on"),
    Runbook("KMS_CMK_NOT_SCHEDULED_FOR_DELETION", "AWSConfigRemediation-CancelKeyDeletion",
            ("kms:CancelKeyDeletion", "kms:DescribeKey"), "cancel a workspace key's scheduled deletion"),
)

_RUNBOOK_VERSIONS = ("The runbook's version (AWS-owned document, updated by AWS) and the execution id are chosen at run time; "
                     "the document name is fixed.")
ROLE_ACKNOWLEDGMENTS = {
    "AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]":
        "Any workspace key of this account and region that Config finds non-compliant: key ids are known only at run "
        "time, and the aws:ResourceTag condition limits the role to keys carrying the workspace-key tag.",
    **{f"AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>::automation-definition/{r.document}:*]":
       _RUNBOOK_VERSIONS for r in RUNBOOKS},
    "AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:automation-execution/*]":
        _RUNBOOK_VERSIONS,
}


class KeyRemediation(Construct):
    """An automatic remediation (AWS's runbook) on each of the two key rules of `managed_rules`."""

    def __init__(self, scope: Construct, id: str, *, settings: Settings, names: DeploymentNames,
                 managed_rules: Construct) -> None:
        super().__init__(scope, id)
        stack = Stack.of(self)
        tag_key, tag_value = settings.workspace_key_tag
        # Systems Manager Automation assumes the role; the conditions stop another account's automation using it.
        self.role = iam.Role(self, "AutomationRole", assumed_by=iam.ServicePrincipal("ssm.amazonaws.com", conditions={
            "StringEquals": {"aws:SourceAccount": stack.account},
            "ArnLike": {"aws:SourceArn": f"arn:{stack.partition}:ssm:{stack.region}:{stack.account}:automation-execution/*"}}),
            description="Bedrock CMK Guardrails: AWS Config remediation of workspace keys (rotation, scheduled deletion)")
        actions = sorted({action for runbook in RUNBOOKS for action in runbook.actions})
        ssm = f"arn:{stack.partition}:ssm:{stack.region}"
        iam.ManagedPolicy(self, "AutomationPolicy", roles=[self.role], statements=[
            iam.PolicyStatement(sid="WorkspaceKeysOnly", actions=actions,
                                resources=[f"arn:{stack.partition}:kms:{stack.region}:{stack.account}:key/*"],
                                conditions={"StringEquals": {f"aws:ResourceTag/{tag_key}": tag_value}}),
            # The runbook pages list these for AutomationAssumeRole too; only our two AWS-owned runbooks.
            iam.PolicyStatement(sid="RunTheRunbooks", actions=["ssm:StartAutomationExecution"],
                                resources=[f"{ssm}::automation-definition/{r.document}:*" for r in RUNBOOKS]),
            iam.PolicyStatement(sid="FollowTheRunbooks", actions=["ssm:GetAutomationExecution"],
                                resources=[f"{ssm}:{stack.account}:automation-execution/*"])])
        for name, value in OWNER_TAGS.items():
            Tags.of(self).add(name, value)
        for runbook in RUNBOOKS:
            remediation = config.CfnRemediationConfiguration(
                self, runbook.rule_identifier, config_rule_name=names.managed_rule(runbook.rule_identifier),
                target_type="SSM_DOCUMENT", target_id=runbook.document, resource_type="AWS::KMS::Key",
                automatic=True, maximum_automatic_attempts=MAXIMUM_ATTEMPTS, retry_attempt_seconds=RETRY_SECONDS,
                execution_controls=config.CfnRemediationConfiguration.ExecutionControlsProperty(
                    ssm_controls=config.CfnRemediationConfiguration.SsmControlsProperty(
                        concurrent_execution_rate_percentage=CONCURRENCY_PERCENT, error_percentage=ERROR_PERCENT)),
                parameters={"AutomationAssumeRole": {"StaticValue": {"Values": [self.role.role_arn]}},
                            "KeyId": {"ResourceValue": {"Value": "RESOURCE_ID"}}})
            remediation.node.add_dependency(managed_rules)  # the rule must exist before its remediation
