"""Which CloudFormation types hold data under a KMS key, and where the key property sits.

Derived from the CloudFormation resource schemas bundled with the pinned cfn-lint
(`tests/rules/test_governed_types.py` re-derives it and fails when a new Bedrock, BedrockAgentCore
or DataZone type with a key property appears that is neither here nor in EXEMPT).
"""

from __future__ import annotations

from dataclasses import dataclass

from guardrails.key_reference import KEY_TYPES  # noqa: F401 - re-exported: rules and generators read it here


@dataclass(frozen=True)
class KeyProperty:
    resource_type: str
    path: tuple[str, ...]  # "[]" steps into every item of a list
    arn_required: bool  # the schema pattern only accepts a full key ARN
    applies_when: tuple[str, ...] = ()  # the key is only meaningful when this object is present
    # ... or when the value at this path is this string (an intrinsic there counts as a match: fail closed)
    required_when: tuple[tuple[str, ...], str] | None = None

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


WORKSPACE_TYPE = "AWS::DataZone::Domain"
# Resources that take a customer key through their API but have no CloudFormation type (botocore's
# bedrock model: GetCustomModel.modelKmsKeyArn, GetImportedModel.modelKmsKeyArn,
# GetModelInvocationJob.outputDataConfig.s3OutputDataConfig.s3EncryptionKeyId): only the live side sees them.
LIVE_ONLY_TYPES = ("Bedrock::CustomModel", "Bedrock::ImportedModel", "Bedrock::ModelInvocationJob")
WORKSPACE_KEY = KeyProperty(WORKSPACE_TYPE, ("KmsKeyIdentifier",), True)

_ARN = True
BEDROCK_KEY_PROPERTIES: tuple[KeyProperty, ...] = (
    KeyProperty("AWS::Bedrock::Agent", ("CustomerEncryptionKeyArn",), _ARN),
    KeyProperty("AWS::Bedrock::Guardrail", ("KmsKeyArn",), _ARN),
    KeyProperty("AWS::Bedrock::Flow", ("CustomerEncryptionKeyArn",), _ARN),
    KeyProperty("AWS::Bedrock::Prompt", ("CustomerEncryptionKeyArn",), _ARN),
    KeyProperty("AWS::Bedrock::RetrievalInstruction", ("CustomerEncryptionKeyArn",), _ARN),
    KeyProperty("AWS::Bedrock::Session", ("EncryptionKeyArn",), _ARN),
    KeyProperty("AWS::Bedrock::DataSource", ("ServerSideEncryptionConfiguration", "KmsKeyArn"), _ARN),
    KeyProperty("AWS::Bedrock::KnowledgeBase",
                ("KnowledgeBaseConfiguration", "ManagedKnowledgeBaseConfiguration", "ServerSideEncryptionConfiguration", "KmsKeyArn"),
                _ARN, applies_when=("KnowledgeBaseConfiguration", "ManagedKnowledgeBaseConfiguration"),
                # a MANAGED knowledge base stores its vectors with Bedrock: without the configuration it has no key
                # (KnowledgeBaseType enum and ManagedKnowledgeBaseServerSideEncryptionConfiguration in cfn-lint's schema)
                required_when=(("KnowledgeBaseConfiguration", "Type"), "MANAGED")),
    KeyProperty("AWS::Bedrock::DataAutomationProject", ("KmsKeyId",), False),
    KeyProperty("AWS::Bedrock::Blueprint", ("KmsKeyId",), False),
    KeyProperty("AWS::Bedrock::DataAutomationLibrary", ("EncryptionConfiguration", "KmsKeyId"), False),
    KeyProperty("AWS::Bedrock::AutomatedReasoningPolicy", ("KmsKeyId",), False),
    KeyProperty("AWS::BedrockAgentCore::Memory", ("EncryptionKeyArn",), _ARN),
    KeyProperty("AWS::BedrockAgentCore::PolicyEngine", ("EncryptionKeyArn",), _ARN),
    KeyProperty("AWS::BedrockAgentCore::Gateway", ("KmsKeyArn",), _ARN),
    KeyProperty("AWS::BedrockAgentCore::Evaluator", ("KmsKeyArn",), _ARN),
    KeyProperty("AWS::BedrockAgentCore::Dataset", ("KmsKeyArn",), _ARN),
    KeyProperty("AWS::BedrockAgentCore::ConfigurationBundle", ("KmsKeyArn",), _ARN),
    KeyProperty("AWS::BedrockAgentCore::Harness", ("Memory", "ManagedMemoryConfiguration", "EncryptionKeyArn"), False,
                applies_when=("Memory", "ManagedMemoryConfiguration")),
    KeyProperty("AWS::BedrockAgentCore::CapacityProvider",
                ("ComputeConfiguration", "Ec2Configuration", "RootVolume", "KmsKeyId"), _ARN,
                applies_when=("ComputeConfiguration", "Ec2Configuration")),
    KeyProperty("AWS::BedrockAgentCore::CapacityProvider",
                ("ComputeConfiguration", "Ec2Configuration", "Volumes", "[]", "EbsConfiguration", "KmsKeyId"), _ARN),
    KeyProperty("AWS::BedrockAgentCore::CapacityProvider",
                ("ComputeConfiguration", "Ec2Configuration", "LaunchTemplateSource", "LaunchParameters", "EphemeralVolumes", "[]",
                 "Ebs", "KmsKeyId"), _ARN),
)

# Key-like properties in the schemas that do not hold data at rest, each with the reason.
EXEMPT: dict[str, str] = {
    "AWS::Bedrock::AutomatedReasoningPolicy.KmsKeyArn": "read-only output attribute, not an input",
    "AWS::Bedrock::FlowVersion.CustomerEncryptionKeyArn": "read-only: a version takes its flow's key, judged on the Flow",
    "AWS::Bedrock::PromptVersion.CustomerEncryptionKeyArn": "read-only: a version takes its prompt's key, judged on the Prompt",
    "AWS::BedrockAgentCore::OAuth2CredentialProvider.*": "the KMS key signs private-key JWTs for an OAuth client; "
    "it encrypts no data (KmsKeySource is a signing key reference)",
    "AWS::BedrockAgentCore::PaymentCredentialProvider.*": "ApiKeyId / AuthorizationPrivateKeyArn name payment "
    "provider credentials, not KMS keys",
    "AWS::BedrockAgentCore::Harness.Model.*.ApiKeyArn": "token-vault API key credential ARNs, not KMS keys",
    "AWS::Bedrock::Blueprint.KmsEncryptionContext": "encryption context for KmsKeyId, judged with it",
    "AWS::Bedrock::DataAutomationProject.KmsEncryptionContext": "encryption context for KmsKeyId, judged with it",
    "AWS::Bedrock::DataAutomationLibrary.EncryptionConfiguration.KmsEncryptionContext": "encryption context, judged with the key",
}

GOVERNED_TYPES: frozenset[str] = frozenset({WORKSPACE_TYPE, *(p.resource_type for p in BEDROCK_KEY_PROPERTIES)})


def key_properties_for(resource_type: str) -> tuple[KeyProperty, ...]:
    if resource_type == WORKSPACE_TYPE:
        return (WORKSPACE_KEY,)
    return tuple(p for p in BEDROCK_KEY_PROPERTIES if p.resource_type == resource_type)
