"""What AWS services need from a key policy or a role trust, as AWS documents it: one row per fact, with its source.

No tool can simulate these (which principal a service calls KMS as, which encryption-context key it sends,
which condition keys its request carries), so they are kept here, cited, and the synthesized templates are
tested against them (tests/constructs/test_service_key_facts.py). The statement builders read their
actions and context keys from here, so a corrected fact changes the policy in one place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceKeyUse:
    """A service's documented use of a customer-managed key."""

    what: str
    principal: str  # the service principal, or "caller" when the calling role uses the key through the service
    actions: tuple[str, ...]
    context_key: str | None  # the encryption-context key the service sends (None: none documented)
    source_conditions_supported: bool  # may the statement carry aws:SourceAccount / aws:SourceArn?
    source: str


@dataclass(frozen=True)
class RoleTrust:
    """A service role's documented trust policy: one statement, these actions and conditions."""

    role: str
    actions: tuple[str, ...]
    tag_keys: str | None  # ForAllValues:StringLike aws:TagKeys
    source: str


_SNS_EVENT_SOURCES = "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services"

# The alerts key (detective/notifications.py).
EVENTBRIDGE_TO_ENCRYPTED_TOPIC = ServiceKeyUse(
    "EventBridge rule target: a KMS-encrypted SNS topic", "events.amazonaws.com", ("kms:Decrypt", "kms:GenerateDataKey*"),
    None, False,
    f"Amazon SNS Developer Guide, 'Enable compatibility between event sources from AWS services and encrypted topics' "
    f"({_SNS_EVENT_SOURCES}): 'Adding the aws:SourceAccount and aws:SourceArn to a AWS KMS policy is not supported for "
    "EventBridge-to-encrypted topics.' (quoted in awslabs/landing-zone-accelerator-on-aws issue #407, where such a "
    "condition left every rule in FailedInvocations)")
CLOUDWATCH_ALARMS_TO_ENCRYPTED_TOPIC = ServiceKeyUse(
    "CloudWatch alarm action: a KMS-encrypted SNS topic", "cloudwatch.amazonaws.com", ("kms:Decrypt", "kms:GenerateDataKey*"),
    None, True,
    f"Amazon SNS Developer Guide, same section ({_SNS_EVENT_SOURCES}), for the actions. No AWS page excludes source "
    "conditions for CloudWatch; AWS's own aws/modern-data-architecture-accelerator (grantCloudWatchAlarmsTopicAccess) "
    "scopes this grant by aws:SourceAccount and aws:SourceArn and contrasts it with the EventBridge case")

# Workspace keys: DataZone (V1) and SageMaker Unified Studio (V2).
DATAZONE_DOMAIN = ServiceKeyUse(
    "DataZone domain (V1) data at rest, through the creating role", "caller",
    ("kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"), "aws:datazone:domainId", True,
    "Amazon DataZone User Guide, 'Data encryption at rest' (https://docs.aws.amazon.com/datazone/latest/userguide/"
    "encryption-rest-datazone.html)")
_SMUS_KEY_ACTIONS = ("kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*",
                     "kms:ListGrants", "kms:ReEncrypt*", "kms:RevokeGrant")
_SMUS_KEY_SOURCE = ("Amazon SageMaker Unified Studio Administrator Guide, the key policy for a domain's customer managed "
                    "key (https://docs.aws.amazon.com/sagemaker-unified-studio/latest/adminguide/; the page is not in this "
                    "project's search corpus, the actions are as issue #10 item 11 quotes it): Encrypt, ReEncrypt*, "
                    "GenerateDataKey*, CreateGrant, ListGrants, RevokeGrant, with Decrypt and DescribeKey, for the domain "
                    "execution role and datazone.amazonaws.com")
SMUS_DOMAIN_SERVICE = ServiceKeyUse("Unified Studio (V2) domain, the DataZone service itself", "datazone.amazonaws.com",
                                    _SMUS_KEY_ACTIONS, None, True, _SMUS_KEY_SOURCE)
SMUS_DOMAIN_EXECUTION_ROLE = ServiceKeyUse("Unified Studio (V2) domain execution role", "execution role",
                                           _SMUS_KEY_ACTIONS, None, True, _SMUS_KEY_SOURCE)

# Bedrock resource types the constructs support, each from its own encryption page.
_BEDROCK_GUIDE = "https://docs.aws.amazon.com/bedrock/latest/userguide/"
BEDROCK_AGENT = ServiceKeyUse(
    "Bedrock agent", "bedrock.amazonaws.com", ("kms:Decrypt", "kms:GenerateDataKey"), "aws:bedrock:arn", True,
    f"Amazon Bedrock User Guide, 'Encryption of agent resources' ({_BEDROCK_GUIDE}encryption-agents.html, "
    f"{_BEDROCK_GUIDE}encryption-agents-new.html)")
BEDROCK_FLOW = ServiceKeyUse(
    "Bedrock flow", "bedrock.amazonaws.com", ("kms:Decrypt", "kms:GenerateDataKey"), "aws:bedrock-flows:arn", True,
    f"Amazon Bedrock User Guide, 'Encryption of Amazon Bedrock Flows resources' ({_BEDROCK_GUIDE}encryption-flows.html)")
BEDROCK_PROMPT = ServiceKeyUse(
    "Bedrock prompt (prompt management)", "bedrock.amazonaws.com", ("kms:Decrypt", "kms:GenerateDataKey"),
    "aws:bedrock-prompts:arn", True,
    f"Amazon Bedrock User Guide, 'Prerequisites for prompt management', step 2 ({_BEDROCK_GUIDE}prompt-management-prereq.html)")
BEDROCK_SESSION = ServiceKeyUse(
    "Bedrock session", "caller", ("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"),
    "aws:bedrock:session:arn", True,
    f"Amazon Bedrock User Guide, 'Session encryption' ({_BEDROCK_GUIDE}sessions-encryption.html)")
BEDROCK_GUARDRAIL = ServiceKeyUse(
    "Bedrock guardrail, through the creating role", "caller",
    ("kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"), None, True,
    f"Amazon Bedrock User Guide, '(Optional) Create a customer managed key for your guardrail' "
    f"({_BEDROCK_GUIDE}guardrails-permissions-kms.html)")
BEDROCK_DATA_SOURCE = ServiceKeyUse(
    "Bedrock knowledge-base data source (transient ingestion data), through the knowledge base's role", "caller",
    ("kms:Decrypt", "kms:GenerateDataKey"), None, True,
    f"Amazon Bedrock User Guide, 'Encryption of transient data storage during data ingestion' "
    f"({_BEDROCK_GUIDE}encryption-kb.html)")
BEDROCK_KNOWLEDGE_BASE = ServiceKeyUse(
    "Bedrock managed knowledge base (the data Bedrock stores for it), through the knowledge base's role", "caller",
    ("kms:Decrypt", "kms:GenerateDataKey"), None, True,
    f"Amazon Bedrock User Guide, 'Encryption of knowledge base resources' ({_BEDROCK_GUIDE}encryption-kb.html): the "
    "page names the role's kms:GenerateDataKey and kms:Decrypt and no encryption-context key")
BEDROCK_TYPES = (BEDROCK_AGENT, BEDROCK_FLOW, BEDROCK_PROMPT, BEDROCK_SESSION, BEDROCK_GUARDRAIL, BEDROCK_DATA_SOURCE,
                 BEDROCK_KNOWLEDGE_BASE)
BEDROCK_SERVICE_CONTEXT_KEYS = tuple(sorted({fact.context_key for fact in BEDROCK_TYPES if fact.context_key}))

# The custom Config rule reads CMK-encrypted Bedrock resources: Bedrock decrypts them with the caller's permission.
BEDROCK_READ_AS_CALLER = ServiceKeyUse(
    "Get* of a CMK-encrypted Bedrock agent, flow, prompt or guardrail", "caller", ("kms:Decrypt",), None, True,
    f"Amazon Bedrock User Guide: the identity policies of {_BEDROCK_GUIDE}encryption-agents.html, encryption-flows.html, "
    "prompt-management-prereq.html and guardrails-permissions-kms.html ('PermissionsForGuardrailsUsers': kms:Decrypt) give "
    "the calling role kms:Decrypt through Bedrock")

# Role trust (workspace_roles.py): exactly the documented statement, nothing DataZone might not send.
V1_EXECUTION_ROLE_TRUST = RoleTrust(
    "DataZone (V1) domain execution role", ("sts:AssumeRole", "sts:TagSession"), "datazone*",
    "Amazon DataZone User Guide, 'AmazonDataZoneDomainExecutionRole' "
    "(https://docs.aws.amazon.com/datazone/latest/userguide/AmazonDataZoneDomainExecutionRole.html)")
V2_EXECUTION_ROLE_TRUST = RoleTrust(
    "Unified Studio (V2) domain execution role", ("sts:AssumeRole", "sts:TagSession", "sts:SetContext"), "datazone*",
    "Amazon SageMaker Unified Studio Administrator Guide, 'AmazonSageMakerDomainExecution role' "
    "(https://docs.aws.amazon.com/sagemaker-unified-studio/latest/adminguide/AmazonSageMakerDomainExecution.html)")
V2_SERVICE_ROLE_TRUST = RoleTrust(
    "Unified Studio (V2) domain service role", ("sts:AssumeRole",), None,
    "Amazon SageMaker Unified Studio Administrator Guide, 'AmazonSageMakerDomainService role' "
    "(https://docs.aws.amazon.com/sagemaker-unified-studio/latest/adminguide/AmazonSageMakerDomainService.html)")
