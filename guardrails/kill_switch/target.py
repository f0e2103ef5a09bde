"""Which key the kill switch acts on, and what KMS says about it (DescribeKey)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from guardrails import kms_identifiers
from guardrails.audit.errors import describe_error
from guardrails.errors import GuardrailsInputError
from guardrails.kms_identifiers import KmsArn

KeyRef = KmsArn  # the key the switch acts on: always a key ARN (parse_key_arn below refuses anything else)


@dataclass(frozen=True)
class KeyState:
    ref: KeyRef
    state: str  # KeyState: Enabled, Disabled, PendingDeletion, ...
    manager: str  # KeyManager: CUSTOMER or AWS
    tags: dict[str, str]


def parse_key_arn(text: str) -> KeyRef:
    """A full key ARN; key ids, aliases and alias ARNs are refused (they name no account and region, or can be
    repointed between the plan and the switch)."""
    parsed = kms_identifiers.parse_key_arn(text)
    if parsed is None:
        raise GuardrailsInputError("--key", f"not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID): {text!r}")
    return parsed


def key_of_domain(datazone: Any, domain_id: str) -> str:
    """The key a domain is encrypted with (GetDomain.kmsKeyIdentifier); an AWS-owned key cannot be switched off."""
    try:
        domain = datazone.get_domain(identifier=domain_id)
    except (ClientError, BotoCoreError) as exc:
        raise GuardrailsInputError("--domain-id", f"cannot read domain {domain_id}: {describe_error(exc)}") from None
    key = domain.get("kmsKeyIdentifier")
    if not key:
        raise GuardrailsInputError("--domain-id", f"domain {domain_id} is encrypted with an AWS-owned key: there is no "
                                   "key of yours to disable (move it to a customer-managed key: guardrails migrate-plan)")
    return key


def describe(kms: Any, ref: KeyRef) -> KeyState:
    try:
        meta = kms.describe_key(KeyId=ref.arn)["KeyMetadata"]
        tags = {t["TagKey"]: t["TagValue"] for page in kms.get_paginator("list_resource_tags").paginate(KeyId=ref.arn)
                for t in page.get("Tags", [])}
    except (ClientError, BotoCoreError) as exc:
        raise GuardrailsInputError("--key", f"cannot read key {ref.arn}: {describe_error(exc)}") from None
    return KeyState(ref, meta["KeyState"], meta.get("KeyManager", "CUSTOMER"), tags)
