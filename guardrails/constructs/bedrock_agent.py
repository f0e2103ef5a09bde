"""CompliantAgent: a Bedrock agent encrypted with a customer-managed key."""

from __future__ import annotations

from typing import Any, Mapping

from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from constructs import Construct

from guardrails.constructs.bedrock_encryption import BedrockKey, EncryptedBedrockResource


class CompliantAgent(EncryptedBedrockResource):
    """`props` are CfnAgent's (agent_name, foundation_model, instruction, ...); the key and role are wired here."""

    def __init__(self, scope: Construct, id: str, *, key: BedrockKey, role: iam.IRole | None = None,
                 tags: Mapping[str, str] | None = None, **props: Any) -> None:
        super().__init__(scope, id, key=key, roles=[role] if role else [], tags=tags, props=props,
                         reserved=("customer_encryption_key_arn", "agent_resource_role_arn"))
        self.agent = bedrock.CfnAgent(self, "Agent", customer_encryption_key_arn=self.key_arn,
                                      agent_resource_role_arn=role.role_arn if role else None, **props)
