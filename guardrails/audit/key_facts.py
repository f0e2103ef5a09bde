"""Gather what KMS says about a key into live_verdict.LiveKeyFacts, once per key per audit.

Each of the four calls is tried on its own and its error recorded, because live_verdict fails closed
per fact (a denied GetKeyPolicy is a policy finding, not a crash). ListResourceTags and GetKeyPolicy
do not work across accounts, so a key owned by another audited account is read with that account's
credentials.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from guardrails.audit.errors import describe_error
from guardrails.live_key_facts import gather_key_facts as gather
from guardrails.live_verdict import LiveKeyFacts, account_of

KmsClientFor = Callable[[str | None, str], Any]  # (account or None, region) -> kms client


def gather_key_facts(kms: Any, identifier: str) -> LiveKeyFacts:
    # Any failure is recorded: the audit goes on and the verdict fails closed on that fact.
    return gather(kms, identifier, describe_error=describe_error, catch=(Exception,))


class KeyFactsCache:
    """Facts per key, shared by every resource (and thread) that uses the key."""

    def __init__(self, kms_for: KmsClientFor, readable_accounts: set[str]):
        self._kms_for = kms_for
        self._readable = readable_accounts
        self._lock = threading.Lock()
        self._facts: dict[tuple[str, str], LiveKeyFacts] = {}
        self._pending: dict[tuple[str, str], threading.Event] = {}

    def facts(self, identifier: str, account: str, region: str) -> LiveKeyFacts:
        owner = account_of(identifier)
        reader = owner if owner in self._readable else account
        is_arn = identifier.startswith("arn:")  # key or alias ARN: it names its own region
        key_region = identifier.split(":")[3] if is_arn else region
        cache_key = (reader, identifier if is_arn else f"{region}:{identifier}")
        with self._lock:
            if cache_key in self._facts:
                return self._facts[cache_key]
            event = self._pending.get(cache_key)
            leader = event is None
            if leader:
                event = self._pending[cache_key] = threading.Event()
        if not leader:
            event.wait()
            return self._facts[cache_key]
        try:
            facts = gather_key_facts(self._kms_for(reader, key_region), identifier)
        except Exception as exc:  # noqa: BLE001 - no credentials for the reader account
            facts = LiveKeyFacts(identifier, errors={"DescribeKey": describe_error(exc)})
        with self._lock:
            self._facts[cache_key] = facts
            del self._pending[cache_key]
        event.set()
        return facts
