"""CompliantFlow: a Bedrock flow encrypted with a customer-managed key, its execution role granted."""

from __future__ import annotations

from typing import Any, Mapping

from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from constructs import Construct

from guardrails.constructs.bedrock_encryption import BedrockKey, EncryptedBedrockResource
from guardrails.constructs.signature import visible_signature


@visible_signature
class CompliantFlow(EncryptedBedrockResource):
    """A Bedrock flow (AWS::Bedrock::Flow) whose CustomerEncryptionKeyArn is a customer-managed key.

    Args:
        scope: the construct to add this one to.
        id: the construct id.
        key: a WorkspaceKey (granted to Bedrock and to `execution_role` here) or a customer-managed key ARN /
            kms.IKey whose owner has already granted Bedrock. Required.
        execution_role: the role the flow runs as (ExecutionRoleArn); on a WorkspaceKey it is granted key use.
        tags: Owner, CostCenter and DataClassification (and any others); default: the WorkspaceKey's tags.
        **props: CfnFlow's other properties (name, definition, ...).

    Attributes: `flow` (the CfnFlow), `key_arn`.
    """

    def __init__(self, scope: Construct, id: str, *, key: BedrockKey, execution_role: iam.IRole,
                 tags: Mapping[str, str] | None = None, **props: Any) -> None:
        super().__init__(scope, id, key=key, roles=[execution_role], tags=tags, props=props,
                         reserved={"customer_encryption_key_arn": "key=", "execution_role_arn": "execution_role="})
        self.flow = bedrock.CfnFlow(self, "Flow", customer_encryption_key_arn=self.key_arn,
                                    execution_role_arn=execution_role.role_arn, **props)
