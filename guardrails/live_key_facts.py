"""Ask KMS about one key: DescribeKey, GetKeyRotationStatus, ListResourceTags, GetKeyPolicy; and one
cache of those facts per key.

Shared by `guardrails audit` and the Config rule's Lambda, which both hand the result to
live_verdict.judge. Each call's failure is kept as `LiveKeyFacts.errors[api]`, never swallowed,
so the verdict refuses COMPLIANT. Plain boto3 client in, pure data out: no aws_cdk, bundled into the
Lambda as it is.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from guardrails.live_verdict import LiveKeyFacts, account_of

CROSS_ACCOUNT = "not callable across accounts: KMS serves it only to the key's own account"


def gather_key_facts(kms: Any, identifier: str, *, describe_error: Callable[[BaseException], str],
                     catch: tuple[type[BaseException], ...], own_account: str | None = None) -> LiveKeyFacts:
    """The facts about `identifier`. Exceptions of the `catch` types are recorded with `describe_error`.

    With `own_account`, a key of another account is not asked for its tags and policy (KMS serves them
    only to the owner): both are recorded as CROSS_ACCOUNT instead.
    """
    errors: dict[str, str] = {}

    def attempt(api: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except catch as exc:
            errors[api] = describe_error(exc)
            return None

    described = attempt("DescribeKey", lambda: kms.describe_key(KeyId=identifier))
    meta = described["KeyMetadata"] if described else None
    if meta is None or meta.get("KeyManager") != "CUSTOMER":
        return LiveKeyFacts(identifier, describe=meta, errors=errors)  # nothing more decides the verdict
    key_id = meta.get("Arn") or meta["KeyId"]  # aliases are not accepted by the other calls
    rotation = tags = policy = None
    if meta.get("KeySpec", meta.get("CustomerMasterKeySpec")) in (None, "SYMMETRIC_DEFAULT"):  # only these rotate
        rotation = attempt("GetKeyRotationStatus", lambda: kms.get_key_rotation_status(KeyId=key_id))
    if own_account is not None and account_of(key_id) not in (None, own_account):
        errors["ListResourceTags"] = errors["GetKeyPolicy"] = CROSS_ACCOUNT
    else:
        tags = attempt("ListResourceTags", lambda: _all_tags(kms, key_id))
        response = attempt("GetKeyPolicy", lambda: kms.get_key_policy(KeyId=key_id, PolicyName="default"))
        policy = response["Policy"] if response else None
    return LiveKeyFacts(identifier, describe=meta, rotation=rotation, tags=tags, policy=policy, errors=errors)


def _all_tags(kms: Any, key_id: str) -> list[dict[str, str]]:
    return [tag for page in kms.get_paginator("list_resource_tags").paginate(KeyId=key_id) for tag in page.get("Tags", [])]


KmsClientFor = Callable[[str, str], Any]  # (reader account, region) -> kms client


class KeyFactsCache:
    """Facts per key, gathered once however many resources (and threads) share it.

    A key owned by a readable account (the Lambda's own; every account an audit reaches) is read with
    that account's client; any other key is described from the resource's account, and its tags and
    policy are recorded as CROSS_ACCOUNT (KMS serves them only to the owner). The audit keeps its
    concurrency (one gathering per key, other threads wait) and credentials (kms_for per account).
    """

    def __init__(self, kms_for: KmsClientFor, readable_accounts: set[str], *, describe_error: Callable[[BaseException], str],
                 catch: tuple[type[BaseException], ...]):
        self._kms_for = kms_for
        self._readable = readable_accounts
        self._describe_error = describe_error
        self._catch = catch
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
            facts = gather_key_facts(self._kms_for(reader, key_region), identifier, describe_error=self._describe_error,
                                     catch=self._catch, own_account=reader)
        except Exception as exc:  # noqa: BLE001 - no credentials for the reader account: fail closed on this key
            facts = LiveKeyFacts(identifier, errors={"DescribeKey": self._describe_error(exc)})
        with self._lock:
            self._facts[cache_key] = facts
            del self._pending[cache_key]
        event.set()
        return facts
