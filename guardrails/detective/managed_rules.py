"""The AWS Config managed rules the detective stack turns on, and the regions each exists in.

Identifiers and regions as listed in the AWS Config developer guide (one page per rule, see `doc_url`,
"AWS Region:"); the tests check both against the machine-readable list of managed rules that moto ships
(built from that guide, region names mapped to codes through botocore's endpoint data), against the
guide's pages vendored in tests/detective/data/ where moto's list lacks a rule or is older (a rule is
deployed only where every source says it exists), and against moto's PutConfigRule, which rejects
AWS-owned identifiers it does not know. A managed rule put in a region where
it does not exist fails the stack (and every StackSet instance there), so a rule with a region limit is
deployed only where it exists (config_rules.ManagedConfigRules adds the CloudFormation condition).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ManagedRule:
    identifier: str
    resource_type: str
    why: str
    only_in: frozenset[str] | None = None  # the rule exists only in these regions (None: no such limit)
    not_in: frozenset[str] = frozenset()  # the rule exists everywhere but these regions

    @property
    def doc_url(self) -> str:
        return f"https://docs.aws.amazon.com/config/latest/developerguide/{self.identifier.lower().replace('_', '-')}.html"

    @property
    def region_limited(self) -> bool:
        return self.only_in is not None or bool(self.not_in)

    def available_in(self, region: str) -> bool:
        return (self.only_in is None or region in self.only_in) and region not in self.not_in


MANAGED_RULES: tuple[ManagedRule, ...] = (
    ManagedRule("CMK_BACKING_KEY_ROTATION_ENABLED", "AWS::KMS::Key", "automatic rotation on every customer-managed key"),
    ManagedRule("KMS_CMK_NOT_SCHEDULED_FOR_DELETION", "AWS::KMS::Key", "no customer-managed key scheduled for deletion",
                not_in=frozenset({"ap-southeast-6", "eu-south-1", "ap-east-2"})),
    ManagedRule("BEDROCK_DATA_SOURCE_ENCRYPTION_ENABLED", "AWS::Bedrock::DataSource",
                "knowledge-base data sources encrypted with a customer-managed key (Security Hub Bedrock.1)",
                not_in=frozenset({"ap-southeast-6", "me-south-1", "cn-north-1", "ap-southeast-7", "ap-southeast-3",
                                  "af-south-1", "me-central-1", "ap-east-1", "ap-southeast-5", "ap-southeast-4",
                                  "us-gov-east-1", "us-gov-west-1", "mx-central-1", "us-west-1", "il-central-1",
                                  "ap-east-2", "ca-west-1", "cn-northwest-1"})),
    ManagedRule("BEDROCK_AGENTCORE_MEMORY_ENCRYPTION_ENABLED", "AWS::BedrockAgentCore::Memory",
                "AgentCore memories encrypted with a customer-managed key",
                only_in=frozenset({"ap-south-1", "us-east-2", "eu-west-1", "eu-central-1", "us-east-1", "ap-northeast-1",
                                   "ap-southeast-1", "ap-southeast-2"})),
    # Not in moto 5.2.5's list: checked against the guide's page (tests/detective/data/config_managed_rule_pages.json).
    ManagedRule("BEDROCKAGENTCORE_GATEWAY_ENCRYPTION_ENABLED", "AWS::BedrockAgentCore::Gateway",
                "AgentCore gateways encrypted with a customer-managed key",
                only_in=frozenset({"eu-north-1", "ap-south-1", "eu-west-3", "us-east-2", "eu-west-1", "eu-central-1", "us-east-1",
                                   "ap-northeast-2", "eu-west-2", "ap-northeast-1", "us-west-2", "ap-southeast-1",
                                   "ap-southeast-2", "ca-central-1"})),
    # Newer pages of the guide exclude more regions than moto's list: every exclusion is kept.
    ManagedRule("KMS_KEY_POLICY_NO_PUBLIC_ACCESS", "AWS::KMS::Key", "no KMS key policy that allows public access",
                not_in=frozenset({"ap-southeast-6", "ap-southeast-7", "ap-southeast-5", "us-gov-east-1", "us-gov-west-1",
                                  "mx-central-1", "ap-east-2", "ca-west-1"})),
)
