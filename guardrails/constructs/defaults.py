"""Secure defaults for the constructs: one place, so every construct agrees with the catalog rules."""

from __future__ import annotations

from aws_cdk import Duration

from guardrails.constructs import service_key_facts as facts

DEFAULT_ROTATION_PERIOD = Duration.days(365)
DEFAULT_PENDING_WINDOW = Duration.days(30)
DEFAULT_DOMAIN_VERSION = "V2"

# Management without use: administrators can repair and retire the key but never read the data it protects.
# Every action is named (no `kms:*`, no `Create*` that would also grant kms:CreateGrant).
KEY_ADMIN_ACTIONS = (
    "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey", "kms:DisableKey",
    "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus",
    "kms:ListAliases", "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListKeyRotations", "kms:ListResourceTags",
    "kms:PutKeyPolicy", "kms:RetireGrant", "kms:RevokeGrant", "kms:RotateKeyOnDemand", "kms:ScheduleKeyDeletion",
    "kms:TagResource", "kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription",
)
# The administrator actions that make a key unusable for its services: named key administrators only, when there are any.
KEY_LOSS_ACTIONS = ("kms:RetireGrant", "kms:RevokeGrant", "kms:ScheduleKeyDeletion")

# DataZone (user guide, encryption-rest-datazone.html).
DATAZONE_SERVICE = "datazone"
DATAZONE_PRINCIPAL = "datazone.amazonaws.com"
DATAZONE_CONTEXT_KEY = "aws:datazone:domainId"
DATAZONE_DATA_ACTIONS = ("kms:Decrypt", "kms:GenerateDataKey")

# Bedrock: the encryption-context keys its resources use, each from its own encryption page (service_key_facts.py).
BEDROCK_SERVICE = "bedrock"
BEDROCK_PRINCIPAL = "bedrock.amazonaws.com"
BEDROCK_CONTEXT_KEYS = facts.BEDROCK_SERVICE_CONTEXT_KEYS
BEDROCK_DATA_ACTIONS = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey")

# AWS-managed policies DataZone documents for its generated roles (V1 Bedrock Studio, V2 Unified Studio).
EXECUTION_ROLE_MANAGED_POLICY = {
    "V1": "service-role/AmazonDataZoneDomainExecutionRolePolicy",
    "V2": "service-role/SageMakerStudioDomainExecutionRolePolicy",
}
SERVICE_ROLE_MANAGED_POLICY = "service-role/SageMakerStudioDomainServiceRolePolicy"


def via_service(service: str, region: str) -> str:
    return f"{service}.{region}.amazonaws.com"
