"""CompliantAgent: a Bedrock agent encrypted with a customer-managed key."""

from __future__ import annotations

from typing import Any, Mapping

from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from constructs import Construct

from guardrails.constructs.bedrock_encryption import BedrockKey, EncryptedBedrockResource
from guardrails.constructs.signature import visible_signature


@visible_signature
class CompliantAgent(EncryptedBedrockResource):
    """A Bedrock agent (AWS::Bedrock::Agent) whose CustomerEncryptionKeyArn is a customer-managed key.

    Args:
        scope: the construct to add this one to.
        id: the construct id.
        key: a WorkspaceKey (granted to Bedrock and to `role` here) or a customer-managed key ARN / kms.IKey
            whose owner has already granted Bedrock. Required: aliases, AWS-managed keys and keys in other
            regions are refused.
        role: the agent's service role (AgentResourceRoleArn); on a WorkspaceKey it is granted key use by name.
        tags: Owner, CostCenter and DataClassification (and any others); default: the WorkspaceKey's tags.
        **props: CfnAgent's other properties (agent_name, foundation_model, instruction, ...).

    Attributes: `agent` (the CfnAgent), `key_arn`.
    """

    def __init__(self, scope: Construct, id: str, *, key: BedrockKey, role: iam.IRole | None = None,
                 tags: Mapping[str, str] | None = None, **props: Any) -> None:
        super().__init__(scope, id, key=key, roles=[role] if role else [], tags=tags, props=props,
                         reserved={"customer_encryption_key_arn": "key=", "agent_resource_role_arn": "role="})
        self.agent = bedrock.CfnAgent(self, "Agent", customer_encryption_key_arn=self.key_arn,
                                      agent_resource_role_arn=role.role_arn if role else None, **props)
