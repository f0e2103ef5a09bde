"""The rule's key-facts cache: the shared one (guardrails/live_key_facts.KeyFactsCache) with the rule's one
KMS client. Only ClientErrors are recorded (anything else fails the run), and a key of another account is
not asked for its tags and policy: KMS serves them only to the owner."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from guardrails.live_key_facts import KeyFactsCache

from .inventory import error_text

__all__ = ["KeyFactsCache", "rule_key_facts"]


def rule_key_facts(kms: Any, own_account: str) -> KeyFactsCache:
    return KeyFactsCache(lambda reader, region: kms, {own_account}, describe_error=error_text, catch=(ClientError,))
