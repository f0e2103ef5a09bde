"""KillSwitch: the platform's break-glass path to disable (and re-enable) workspace keys.

- A role, assumable only by the named principals with MFA (IAM User Guide, "Configuring MFA-protected API
  access": `aws:MultiFactorAuthPresent` in the trust policy, `aws:MultiFactorAuthAge` to bound the session),
  and by SSM Automation for this account (Systems Manager User Guide, "Use IAM to configure roles for
  Automation": `aws:SourceAccount` and `aws:SourceArn` `automation-execution/*` against the confused deputy).
  It may DisableKey, EnableKey and tag only keys carrying the workspace-key tag; the SCP and permission
  boundary exempt exactly this role for exactly those actions.
- An SSM Automation runbook with an approval step (guardrails.kill_switch.runbook).
- An EventBridge rule that sends every DisableKey/EnableKey CloudTrail records to the alerts topic.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, Duration, Stack, Validations
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from guardrails.kill_switch.runbook import automation_document, key_state_change_pattern
from guardrails.settings import Settings

MFA_MAX_AGE_SECONDS = 3600
# What the kill-switch CLI calls on the key (guardrails/kill_switch/{target,switch}.py).
SWITCH_ACTIONS = ("kms:DisableKey", "kms:EnableKey", "kms:TagResource")
READ_ACTIONS = ("kms:DescribeKey", "kms:ListResourceTags")


class KillSwitch(Construct):
    def __init__(self, scope: Construct, id: str, *, settings: Settings, alerts: sns.ITopic) -> None:
        super().__init__(scope, id)
        if not settings.kill_switch_principals:
            raise ValueError("setting 'kill_switch_principals' is empty: name the IAM users or roles who may "
                             "assume the kill-switch role and approve its runbook")
        stack = Stack.of(self)
        tag_key, tag_value = settings.workspace_key_tag
        mfa = {"Bool": {"aws:MultiFactorAuthPresent": "true"},
               "NumericLessThan": {"aws:MultiFactorAuthAge": str(MFA_MAX_AGE_SECONDS)}}
        people = [iam.PrincipalWithConditions(iam.ArnPrincipal(arn), mfa) for arn in settings.kill_switch_principals]
        automation = iam.ServicePrincipal("ssm.amazonaws.com").with_conditions({
            "StringEquals": {"aws:SourceAccount": stack.account},
            "ArnLike": {"aws:SourceArn": f"arn:{stack.partition}:ssm:*:{stack.account}:automation-execution/*"}})
        self.role = iam.Role(self, "Role", role_name=settings.kill_switch_role_name,
                             assumed_by=iam.CompositePrincipal(*people, automation),
                             max_session_duration=Duration.hours(1),
                             description="Bedrock CMK Guardrails kill switch: disable/enable workspace keys")
        keys = f"arn:{stack.partition}:kms:*:{stack.account}:key/*"
        # A managed policy, not an inline one (NIST 800-53 R5 IAMNoInlinePolicy).
        self.policy = iam.ManagedPolicy(self, "Policy", roles=[self.role], statements=[
            iam.PolicyStatement(sid="SwitchWorkspaceKeys", actions=list(SWITCH_ACTIONS), resources=[keys],
                                conditions={"StringEquals": {f"aws:ResourceTag/{tag_key}": tag_value}}),
            iam.PolicyStatement(sid="ReadKeys", actions=list(READ_ACTIONS), resources=[keys]),
        ])
        Validations.of(self.policy).acknowledge(Acknowledgment(
            id="AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:*:<AWS::AccountId>:key/*]",
            reason="The workspace keys the switch acts on are created by app teams at any time, so no key ARN is known "
                   "here: the policy names this account's keys and the switch actions need the workspace-key tag "
                   "(aws:ResourceTag); DescribeKey and ListResourceTags only read."))
        document = automation_document(self.role.role_arn, list(settings.kill_switch_principals))
        self.runbook = ssm.CfnDocument(self, "Runbook", document_type="Automation", document_format="JSON",
                                       content=document, update_method="NewVersion")
        self.rule = events.CfnRule(self, "KeyStateChanges", description="A KMS key was disabled or enabled",
                                   state="ENABLED", event_pattern=key_state_change_pattern(),
                                   targets=[events.CfnRule.TargetProperty(id="SecurityTopic", arn=alerts.topic_arn)])

