"""The rule's KMS facts, once per key per run, through the gathering it shares with the audit
(guardrails.live_key_facts). Only ClientErrors are recorded (anything else fails the run, as before),
and a key of another account is not asked for its tags and policy: KMS serves them only to the owner.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from guardrails.live_key_facts import CROSS_ACCOUNT, gather_key_facts as gather
from guardrails.live_verdict import LiveKeyFacts

from .inventory import error_text

__all__ = ["CROSS_ACCOUNT", "KeyFactsCache", "gather_key_facts"]


class KeyFactsCache:
    """One set of KMS calls per key per run, however many resources share the key."""

    def __init__(self, kms: Any, own_account: str):
        self._kms = kms
        self._own_account = own_account
        self._facts: dict[str, LiveKeyFacts] = {}

    def facts(self, key: str) -> LiveKeyFacts:
        if key not in self._facts:
            self._facts[key] = gather_key_facts(self._kms, key, self._own_account)
        return self._facts[key]


def gather_key_facts(kms: Any, key: str, own_account: str) -> LiveKeyFacts:
    return gather(kms, key, describe_error=error_text, catch=(ClientError,), own_account=own_account)
