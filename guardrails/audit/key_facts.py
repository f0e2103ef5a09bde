"""The audit's key-facts cache: the shared one (guardrails/live_key_facts.KeyFactsCache) with the audit's
per-account KMS clients. Any failure is recorded: the audit goes on and the verdict fails closed on that fact."""

from __future__ import annotations

from typing import Any, Callable

from guardrails.audit.errors import describe_error
from guardrails.live_key_facts import KeyFactsCache as _Shared


def KeyFactsCache(kms_for: Callable[[str, str], Any], readable_accounts: set[str]) -> _Shared:  # noqa: N802 - a factory
    return _Shared(kms_for, readable_accounts, describe_error=describe_error, catch=(Exception,))
