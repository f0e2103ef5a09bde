"""CompliantFlow: a Bedrock flow encrypted with a customer-managed key, its execution role granted."""

from __future__ import annotations

from typing import Any, Mapping

from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from constructs import Construct

from guardrails.constructs.bedrock_encryption import BedrockKey, EncryptedBedrockResource


class CompliantFlow(EncryptedBedrockResource):
    """`props` are CfnFlow's (name, definition, ...); `execution_role` runs the flow and gets key use."""

    def __init__(self, scope: Construct, id: str, *, key: BedrockKey, execution_role: iam.IRole,
                 tags: Mapping[str, str] | None = None, **props: Any) -> None:
        super().__init__(scope, id, key=key, roles=[execution_role], tags=tags, props=props,
                         reserved=("customer_encryption_key_arn", "execution_role_arn"))
        self.flow = bedrock.CfnFlow(self, "Flow", customer_encryption_key_arn=self.key_arn,
                                    execution_role_arn=execution_role.role_arn, **props)
