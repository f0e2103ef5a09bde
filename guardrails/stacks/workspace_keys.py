"""WorkspaceKeys: the platform's shared keys, for teams that bring their own workspace or Bedrock resources."""

from __future__ import annotations

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from guardrails.constructs import WorkspaceKey
from guardrails.stacks.suite_config import SuiteConfig


class WorkspaceKeysStack(Stack):
    """A shared workspace key (DataZone domains of this account) and a shared Bedrock key.

    Their policies delegate use to IAM only through DataZone or Bedrock in this account, so a team's
    execution role still needs an identity policy: CompliantWorkspace adds it when given one of these keys.
    """

    def __init__(self, scope: Construct, id: str, *, config: SuiteConfig, **kwargs) -> None:
        super().__init__(scope, id, env=config.env,
                         description="Bedrock CMK Guardrails: shared customer-managed keys for workspaces and Bedrock", **kwargs)
        ownership = dict(owner=config.platform_owner, cost_center=config.platform_cost_center,
                         data_classification=config.platform_data_classification)
        self.workspace_key = WorkspaceKey(self, "SharedWorkspaceKey", alias="alias/guardrails/shared-workspace", **ownership)
        self.workspace_key.grant_datazone_domain(domain_version="V2")
        self.bedrock_key = WorkspaceKey(self, "SharedBedrockKey", alias="alias/guardrails/shared-bedrock", **ownership)
        self.bedrock_key.grant_bedrock()
        CfnOutput(self, "SharedWorkspaceKeyArn", value=self.workspace_key.key_arn,
                  export_name="guardrails-shared-workspace-key-arn")
        CfnOutput(self, "SharedBedrockKeyArn", value=self.bedrock_key.key_arn,
                  export_name="guardrails-shared-bedrock-key-arn")
