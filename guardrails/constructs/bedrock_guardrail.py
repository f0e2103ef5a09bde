"""CompliantGuardrail: a Bedrock guardrail encrypted with a customer-managed key."""

from __future__ import annotations

from typing import Any, Mapping

from aws_cdk import aws_bedrock as bedrock
from constructs import Construct

from guardrails.constructs.bedrock_encryption import BedrockKey, EncryptedBedrockResource
from guardrails.constructs.signature import visible_signature


@visible_signature
class CompliantGuardrail(EncryptedBedrockResource):
    """A Bedrock guardrail (AWS::Bedrock::Guardrail) whose KmsKeyArn is a customer-managed key.

    Args:
        scope: the construct to add this one to.
        id: the construct id.
        key: a WorkspaceKey (granted to Bedrock here) or a customer-managed key ARN / kms.IKey whose owner has
            already granted Bedrock. Required.
        tags: Owner, CostCenter and DataClassification (and any others); default: the WorkspaceKey's tags.
        **props: CfnGuardrail's other properties (name, blocked_input_messaging, blocked_outputs_messaging,
            content_policy_config, ...).

    Attributes: `guardrail` (the CfnGuardrail), `key_arn`.
    """

    def __init__(self, scope: Construct, id: str, *, key: BedrockKey, tags: Mapping[str, str] | None = None,
                 **props: Any) -> None:
        super().__init__(scope, id, key=key, roles=[], tags=tags, props=props, reserved={"kms_key_arn": "key="})
        self.guardrail = bedrock.CfnGuardrail(self, "Guardrail", kms_key_arn=self.key_arn, **props)
