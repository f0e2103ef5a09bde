"""CompliantDataSource: a knowledge-base data source whose transient ingestion data uses a customer-managed key."""

from __future__ import annotations

from typing import Any, Mapping

from aws_cdk import aws_bedrock as bedrock
from constructs import Construct

from guardrails.constructs.bedrock_encryption import BedrockKey, EncryptedBedrockResource
from guardrails.constructs.signature import visible_signature


@visible_signature
class CompliantDataSource(EncryptedBedrockResource):
    """A knowledge-base data source (AWS::Bedrock::DataSource) with ServerSideEncryptionConfiguration.KmsKeyArn set.

    AWS::Bedrock::DataSource takes no tags; `tags` are still validated and applied to what can carry them.

    Args:
        scope: the construct to add this one to.
        id: the construct id.
        key: a WorkspaceKey (granted to Bedrock here) or a customer-managed key ARN / kms.IKey whose owner has
            already granted Bedrock. Required.
        tags: Owner, CostCenter and DataClassification (and any others); default: the WorkspaceKey's tags.
        **props: CfnDataSource's other properties (knowledge_base_id, name, data_source_configuration, ...).

    Attributes: `data_source` (the CfnDataSource), `key_arn`.
    """

    def __init__(self, scope: Construct, id: str, *, key: BedrockKey, tags: Mapping[str, str] | None = None,
                 **props: Any) -> None:
        super().__init__(scope, id, key=key, roles=[], tags=tags, props=props,
                         reserved={"server_side_encryption_configuration": "key="})
        self.data_source = bedrock.CfnDataSource(
            self, "DataSource", server_side_encryption_configuration=bedrock.CfnDataSource.ServerSideEncryptionConfigurationProperty(
                kms_key_arn=self.key_arn), **props)
