"""BedrockGuardrails-WorkspaceCMK: every DataZone domain (Bedrock Studio / Unified Studio workspace) on a CMK."""

from guardrails.rules.base import MIGRATION_NOTE, PREFIX, Rule
from guardrails.rules.governed_types import WORKSPACE_KEY, WORKSPACE_TYPE
from guardrails.rules.guard_rendering import guard_cmk_rules
from guardrails.rules.key_property_judgment import EXTERNAL_KEY, LIVE_DETAILS, judge, judge_live

RULE = Rule(
    id=PREFIX + "WorkspaceCMK",
    title="Workspace encrypted with a customer-managed KMS key",
    explanation="A Bedrock Studio / SageMaker Unified Studio workspace is a DataZone domain (V1 or V2). Without "
                "KmsKeyIdentifier it is encrypted with an AWS-owned key that you cannot rotate, restrict, audit or revoke, "
                "and the key can never be changed after creation.",
    remediation="Set KmsKeyIdentifier to the ARN of a customer-managed key defined with the workspace (use "
                "CompliantWorkspace / WorkspaceKey, or Fn::GetAtt <Key>.Arn). " + MIGRATION_NOTE,
    resource_types=(WORKSPACE_TYPE,),
    check=lambda resource, ctx: judge(RULE, resource, ctx, WORKSPACE_KEY),
    details=(EXTERNAL_KEY,),
    live=lambda subject, settings: judge_live(RULE, subject, workspace=True),
    live_details=LIVE_DETAILS,
    guard=lambda settings: guard_cmk_rules(RULE, [WORKSPACE_KEY]),
    coverage=True,
)
