"""CompliantKnowledgeBase: a Bedrock knowledge base on a customer-managed key, managed or on your vector store.

What the key protects (cfn-lint's AWS::Bedrock::KnowledgeBase schema; Bedrock user guide, "Encryption of
knowledge base resources", https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-kb.html):
- MANAGED: Bedrock stores the vectors; ManagedKnowledgeBaseConfiguration.ServerSideEncryptionConfiguration.
  KmsKeyArn is the knowledge base's only key property, and it is set here.
- VECTOR: the vectors live in your store (OpenSearch Serverless, Aurora, S3 Vectors...), encrypted by that
  service's own key settings; the knowledge base resource has no key property. The key then protects the
  transient ingestion data of its data sources (use CompliantDataSource with the same key).
In both cases the service role reads and writes that data with kms:GenerateDataKey / kms:Decrypt (the
user guide's policy for the knowledge-base service role), which `grant_bedrock(role)` gives on a WorkspaceKey.
"""

from __future__ import annotations

from typing import Any, Mapping

from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from constructs import Construct

from guardrails.constructs import validation
from guardrails.constructs.bedrock_encryption import BedrockKey, EncryptedBedrockResource
from guardrails.constructs.signature import visible_signature

_Cfn = bedrock.CfnKnowledgeBase


@visible_signature
class CompliantKnowledgeBase(EncryptedBedrockResource):
    """A Bedrock knowledge base (AWS::Bedrock::KnowledgeBase) whose data is under a customer-managed key.

    Args:
        scope: the construct to add this one to.
        id: the construct id.
        key: a WorkspaceKey (granted to Bedrock and to `role` here) or a customer-managed key ARN / kms.IKey
            whose owner has already granted Bedrock. Required.
        role: the knowledge base's service role (RoleArn); on a WorkspaceKey it is granted key use by name.
        name: the knowledge base's name.
        knowledge_base_type: "MANAGED" (Bedrock stores the vectors, encrypted with `key`) or "VECTOR" (your
            vector store, given in `storage_configuration`).
        embedding_model_arn: the embedding model; required for VECTOR, optional for MANAGED (Bedrock's
            managed embedding model when unset).
        storage_configuration: the vector store (CfnKnowledgeBase.StorageConfigurationProperty); VECTOR only.
        tags: Owner, CostCenter and DataClassification (and any others); default: the WorkspaceKey's tags.
        **props: CfnKnowledgeBase's other properties (description, ...).

    Attributes: `knowledge_base` (the CfnKnowledgeBase), `key_arn`.
    """

    def __init__(self, scope: Construct, id: str, *, key: BedrockKey, role: iam.IRole, name: str,
                 knowledge_base_type: str = "MANAGED", embedding_model_arn: str | None = None,
                 storage_configuration: _Cfn.StorageConfigurationProperty | Mapping[str, Any] | None = None,
                 tags: Mapping[str, str] | None = None, **props: Any) -> None:
        kind = validation.knowledge_base_type(knowledge_base_type, storage_configuration=storage_configuration,
                                              embedding_model_arn=embedding_model_arn)
        super().__init__(scope, id, key=key, roles=[role], tags=tags, props=props,
                         reserved={"knowledge_base_configuration": "knowledge_base_type= and embedding_model_arn=",
                                   "role_arn": "role="})
        if kind == "MANAGED":
            configuration = _Cfn.KnowledgeBaseConfigurationProperty(
                type="MANAGED", managed_knowledge_base_configuration=_Cfn.ManagedKnowledgeBaseConfigurationProperty(
                    embedding_model_arn=embedding_model_arn,
                    server_side_encryption_configuration=_Cfn.ManagedKnowledgeBaseServerSideEncryptionConfigurationProperty(
                        kms_key_arn=self.key_arn)))
        else:
            configuration = _Cfn.KnowledgeBaseConfigurationProperty(
                type="VECTOR", vector_knowledge_base_configuration=_Cfn.VectorKnowledgeBaseConfigurationProperty(
                    embedding_model_arn=embedding_model_arn))  # type: ignore[arg-type]
        self.knowledge_base = _Cfn(self, "KnowledgeBase", name=name, role_arn=role.role_arn,
                                   knowledge_base_configuration=configuration,
                                   storage_configuration=storage_configuration, **props)
