"""Ask KMS about one key: DescribeKey, GetKeyRotationStatus, ListResourceTags, GetKeyPolicy.

Shared by `guardrails audit` and the Config rule's Lambda, which both hand the result to
live_verdict.judge_key. Each call's failure is kept as `LiveKeyFacts.errors[api]`, never swallowed,
so the verdict refuses COMPLIANT. Plain boto3 client in, pure data out: no aws_cdk, bundled into the
Lambda as it is.
"""

from __future__ import annotations

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
