"""Ask KMS about a key: DescribeKey, GetKeyRotationStatus, ListResourceTags, GetKeyPolicy.

Each call's failure is kept as `LiveKeyFacts.errors[api]` (code: message), never swallowed: the
shared verdict (guardrails.live_verdict) then refuses COMPLIANT. KMS serves ListResourceTags and
GetKeyPolicy only to the key's own account, so for a key in another account those two are recorded
as not verifiable without calling them.
"""

from __future__ import annotations

from typing import Any, Callable

from botocore.exceptions import ClientError

from guardrails.live_verdict import LiveKeyFacts, account_of

from .inventory import error_text

CROSS_ACCOUNT = "not callable across accounts: KMS serves it only to the key's own account"


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
    errors: dict[str, str] = {}

    def call(api: str, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except ClientError as exc:
            errors[api] = error_text(exc)
            return None

    described = call("DescribeKey", lambda: kms.describe_key(KeyId=key))
    meta = described["KeyMetadata"] if described else None
    if meta is None or meta.get("KeyManager") != "CUSTOMER":
        return LiveKeyFacts(key, describe=meta, errors=errors)  # nothing more decides the verdict
    key_id = meta["Arn"]
    rotation = None
    if meta.get("KeySpec", "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT":  # only symmetric keys rotate
        rotation = call("GetKeyRotationStatus", lambda: kms.get_key_rotation_status(KeyId=key_id))
    tags = policy = None
    if account_of(key_id) not in (None, own_account):
        errors["ListResourceTags"] = errors["GetKeyPolicy"] = CROSS_ACCOUNT
    else:
        tags = call("ListResourceTags", lambda: _all_tags(kms, key_id))
        response = call("GetKeyPolicy", lambda: kms.get_key_policy(KeyId=key_id, PolicyName="default"))
        policy = response["Policy"] if response else None
    return LiveKeyFacts(key, describe=meta, rotation=rotation, tags=tags, policy=policy, errors=errors)


def _all_tags(kms: Any, key_id: str) -> list[dict[str, str]]:
    tags: list[dict[str, str]] = []
    for page in kms.get_paginator("list_resource_tags").paginate(KeyId=key_id):
        tags.extend(page.get("Tags", []))
    return tags
