"""The AWS Config managed rules the detective stack turns on.

Identifiers as listed in the AWS Config developer guide (managed-rules-by-aws-config.html); the
test checks each against the machine-readable list of managed rules that moto ships (built from
that guide) and against moto's PutConfigRule, which rejects unknown AWS-owned identifiers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ManagedRule:
    identifier: str
    resource_type: str
    why: str

    @property
    def doc_url(self) -> str:
        return f"https://docs.aws.amazon.com/config/latest/developerguide/{self.identifier.lower().replace('_', '-')}.html"


MANAGED_RULES: tuple[ManagedRule, ...] = (
    ManagedRule("CMK_BACKING_KEY_ROTATION_ENABLED", "AWS::KMS::Key", "automatic rotation on every customer-managed key"),
    ManagedRule("KMS_CMK_NOT_SCHEDULED_FOR_DELETION", "AWS::KMS::Key", "no customer-managed key scheduled for deletion"),
    ManagedRule("BEDROCK_DATA_SOURCE_ENCRYPTION_ENABLED", "AWS::Bedrock::DataSource",
                "knowledge-base data sources encrypted with a customer-managed key (Security Hub Bedrock.1)"),
    ManagedRule("BEDROCK_AGENTCORE_MEMORY_ENCRYPTION_ENABLED", "AWS::BedrockAgentCore::Memory",
                "AgentCore memories encrypted with a customer-managed key"),
)
