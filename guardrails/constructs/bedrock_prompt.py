"""CompliantPrompt: a Bedrock prompt-management prompt encrypted with a customer-managed key."""

from __future__ import annotations

from typing import Any, Mapping

from aws_cdk import aws_bedrock as bedrock
from constructs import Construct

from guardrails.constructs.bedrock_encryption import BedrockKey, EncryptedBedrockResource
from guardrails.constructs.signature import visible_signature


@visible_signature
class CompliantPrompt(EncryptedBedrockResource):
    """A Bedrock prompt (AWS::Bedrock::Prompt) whose CustomerEncryptionKeyArn is a customer-managed key.

    Args:
        scope: the construct to add this one to.
        id: the construct id.
        key: a WorkspaceKey (granted to Bedrock here) or a customer-managed key ARN / kms.IKey whose owner has
            already granted Bedrock. Required.
        tags: Owner, CostCenter and DataClassification (and any others); default: the WorkspaceKey's tags.
        **props: CfnPrompt's other properties (name, variants, default_variant, ...).

    Attributes: `prompt` (the CfnPrompt), `key_arn`.
    """

    def __init__(self, scope: Construct, id: str, *, key: BedrockKey, tags: Mapping[str, str] | None = None,
                 **props: Any) -> None:
        super().__init__(scope, id, key=key, roles=[], tags=tags, props=props,
                         reserved={"customer_encryption_key_arn": "key="})
        self.prompt = bedrock.CfnPrompt(self, "Prompt", customer_encryption_key_arn=self.key_arn, **props)
