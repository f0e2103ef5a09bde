"""CompliantPrompt: a Bedrock prompt-management prompt encrypted with a customer-managed key."""

from __future__ import annotations

from typing import Any, Mapping

from aws_cdk import aws_bedrock as bedrock
from constructs import Construct

from guardrails.constructs.bedrock_encryption import BedrockKey, EncryptedBedrockResource


class CompliantPrompt(EncryptedBedrockResource):
    """`props` are CfnPrompt's (name, variants, default_variant, ...)."""

    def __init__(self, scope: Construct, id: str, *, key: BedrockKey, tags: Mapping[str, str] | None = None,
                 **props: Any) -> None:
        super().__init__(scope, id, key=key, roles=[], tags=tags, props=props, reserved=("customer_encryption_key_arn",))
        self.prompt = bedrock.CfnPrompt(self, "Prompt", customer_encryption_key_arn=self.key_arn, **props)
