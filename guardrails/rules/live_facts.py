"""Helpers the rules' live checks share: reading what the KMS APIs said about a key.

The facts (live_verdict.LiveKeyFacts) keep each API's response or its error; a live check that needs
an answer that failed reports the failure (fail closed) instead of judging nothing.
"""

from __future__ import annotations

from typing import Any, Mapping

from guardrails.rules.base import Problem
from guardrails.rules.key_spec_values import SYMMETRIC


def unreadable(facts: Any, api: str, rule_id: str, what: str) -> list[Problem]:
    """A problem when `api` failed, so `what` cannot be verified; [] when it answered."""
    error = facts.errors.get(api)
    return [Problem(rule_id, f"cannot verify {what}: {api} failed ({error})")] if error else []


def key_spec(meta: Mapping[str, Any]) -> str | None:
    """DescribeKey's key spec (older responses only carry CustomerMasterKeySpec)."""
    return meta.get("KeySpec", meta.get("CustomerMasterKeySpec"))


def is_symmetric(meta: Mapping[str, Any]) -> bool:
    return key_spec(meta) in (None, SYMMETRIC)


class LiteralRender:
    """Live values are plain strings: render them as they are (the template checks resolve intrinsics)."""

    @staticmethod
    def render(value: Any) -> str | None:
        return value if isinstance(value, str) else None


def key_account(meta: Mapping[str, Any], identifier: str | None) -> str | None:
    """The key's own account, whose root owns it: DescribeKey's AWSAccountId, else the account field of its ARN."""
    account = meta.get("AWSAccountId")
    if isinstance(account, str):
        return account
    parts = str(meta.get("Arn") or identifier or "").split(":")
    return parts[4] if len(parts) > 5 and parts[2] == "kms" and parts[4].isdigit() else None
