"""CompliantGuardrail: a Bedrock guardrail encrypted with a customer-managed key."""

from __future__ import annotations

from typing import Any, Mapping

from aws_cdk import aws_bedrock as bedrock
from constructs import Construct

from guardrails.constructs.bedrock_encryption import BedrockKey, EncryptedBedrockResource


class CompliantGuardrail(EncryptedBedrockResource):
    """`props` are CfnGuardrail's (name, blocked_input_messaging, content_policy_config, ...)."""

    def __init__(self, scope: Construct, id: str, *, key: BedrockKey, tags: Mapping[str, str] | None = None,
                 **props: Any) -> None:
        super().__init__(scope, id, key=key, roles=[], tags=tags, props=props, reserved=("kms_key_arn",))
        self.guardrail = bedrock.CfnGuardrail(self, "Guardrail", kms_key_arn=self.key_arn, **props)
