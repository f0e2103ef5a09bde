"""What app teams import: keys and workspaces that cannot come out non-compliant."""

from guardrails.constructs.bedrock_agent import CompliantAgent
from guardrails.constructs.bedrock_data_source import CompliantDataSource
from guardrails.constructs.bedrock_flow import CompliantFlow
from guardrails.constructs.bedrock_guardrail import CompliantGuardrail
from guardrails.constructs.bedrock_knowledge_base import CompliantKnowledgeBase
from guardrails.constructs.bedrock_prompt import CompliantPrompt
from guardrails.constructs.compliant_workspace import CompliantWorkspace
from guardrails.constructs.validation import ConstructInputError
from guardrails.constructs.workspace_key import WorkspaceKey

__all__ = ["CompliantAgent", "CompliantDataSource", "CompliantFlow", "CompliantGuardrail", "CompliantKnowledgeBase",
           "CompliantPrompt", "CompliantWorkspace", "ConstructInputError", "WorkspaceKey"]
