"""ExampleWorkspace: what an app team writes. A workspace on its own key, and Bedrock resources on the same key."""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from constructs import Construct

from guardrails.constructs import CompliantAgent, CompliantGuardrail, CompliantPrompt, CompliantWorkspace
from guardrails.stacks.suite_config import SuiteConfig

FOUNDATION_MODEL = "anthropic.claude-3-haiku-20240307-v1:0"


class ExampleWorkspaceStack(Stack):
    def __init__(self, scope: Construct, id: str, *, config: SuiteConfig, **kwargs) -> None:
        super().__init__(scope, id, env=config.env,
                         description="Bedrock CMK Guardrails: example app-team workspace", **kwargs)
        self.workspace = CompliantWorkspace(self, "Research", name="research", owner="ml-team@example.com",
                                            cost_center="CC-1234", data_classification="confidential")
        key = self.workspace.workspace_key
        CompliantGuardrail(self, "Guardrail", key=key, name="research-guardrail",
                           blocked_input_messaging="This request is not allowed.",
                           blocked_outputs_messaging="This answer is not allowed.",
                           content_policy_config={"filtersConfig": [
                               {"type": "HATE", "inputStrength": "HIGH", "outputStrength": "HIGH"}]})
        CompliantPrompt(self, "Prompt", key=key, name="research-summary",
                        description="Summarize a research note")
        CompliantAgent(self, "Agent", key=key, role=self._agent_role(), agent_name="research-assistant",
                       foundation_model=FOUNDATION_MODEL, instruction="Answer questions about the team's research notes.")

    def _agent_role(self) -> iam.Role:
        """The agent's service role: assumable only by Bedrock for this account's agents, invoking one model."""
        stack = Stack.of(self)
        role = iam.Role(self, "AgentRole", assumed_by=iam.ServicePrincipal("bedrock.amazonaws.com", conditions={
            "StringEquals": {"aws:SourceAccount": stack.account},
            "ArnLike": {"aws:SourceArn": stack.format_arn(service="bedrock", resource="agent", resource_name="*")}}))
        role.add_managed_policy(iam.ManagedPolicy(self, "AgentModelAccess", statements=[iam.PolicyStatement(
            actions=["bedrock:InvokeModel"],
            resources=[stack.format_arn(service="bedrock", account="", resource="foundation-model",
                                        resource_name=FOUNDATION_MODEL)])]))
        return role
