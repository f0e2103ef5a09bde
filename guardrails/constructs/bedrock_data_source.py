"""CompliantDataSource: a knowledge-base data source whose transient ingestion data uses a customer-managed key."""

from __future__ import annotations

from typing import Any, Mapping

from aws_cdk import aws_bedrock as bedrock
from constructs import Construct

from guardrails.constructs.bedrock_encryption import BedrockKey, EncryptedBedrockResource


class CompliantDataSource(EncryptedBedrockResource):
    """`props` are CfnDataSource's (knowledge_base_id, name, data_source_configuration, ...).

    AWS::Bedrock::DataSource takes no tags; `tags` are still validated and applied to what can carry them.
    """

    def __init__(self, scope: Construct, id: str, *, key: BedrockKey, tags: Mapping[str, str] | None = None,
                 **props: Any) -> None:
        super().__init__(scope, id, key=key, roles=[], tags=tags, props=props,
                         reserved=("server_side_encryption_configuration",))
        self.data_source = bedrock.CfnDataSource(
            self, "DataSource", server_side_encryption_configuration=bedrock.CfnDataSource.ServerSideEncryptionConfigurationProperty(
                kms_key_arn=self.key_arn), **props)
