"""Engage (DisableKey) and release (EnableKey) a key, refusing what the switch must not touch.

Refused: AWS-managed keys (KMS refuses to disable them anyway); keys pending deletion (disabling does not
apply; cancel the deletion first); for engage, keys that protect no workspace or Bedrock resource and do
not carry the workspace-key tag, unless forced; for release, keys the kill switch did not disable, unless
forced. Never ScheduleKeyDeletion: deletion cannot be undone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from guardrails.audit.errors import describe_error
from guardrails.errors import GuardrailsInputError
from guardrails.kill_switch.blast_radius import BlastRadius
from guardrails.kill_switch.record import STATE_TAG, key_tags
from guardrails.kill_switch.target import KeyState
from guardrails.settings import Settings


class SwitchRefused(GuardrailsInputError):
    """The switch will not act on this key (exit 2, nothing changed)."""


@dataclass(frozen=True)
class Outcome:
    action: str
    state_before: str
    state_after: str
    tagged: bool
    tag_error: str | None = None


def check_engage(key: KeyState, radius: BlastRadius, settings: Settings, force: bool) -> None:
    _check_any(key)
    tag, value = settings.workspace_key_tag
    if not force and key.tags.get(tag) != value and not radius.dependents:
        raise SwitchRefused("--key", f"{key.ref.arn} protects no workspace or Bedrock resource in the scanned "
                            f"account-regions and is not tagged {tag}={value}: not a workspace key (--force to "
                            "disable it anyway)")


def check_release(key: KeyState, force: bool) -> None:
    _check_any(key)
    if not force and key.tags.get(STATE_TAG) != "engaged":
        raise SwitchRefused("--key", f"{key.ref.arn} was not disabled by the kill switch (no {STATE_TAG}=engaged tag): "
                            "--force to enable it anyway")


def _check_any(key: KeyState) -> None:
    if key.manager != "CUSTOMER":
        raise SwitchRefused("--key", f"{key.ref.arn} is managed by AWS ({key.manager}): only customer-managed keys "
                            "can be disabled")
    if key.state == "PendingDeletion":
        raise SwitchRefused("--key", f"{key.ref.arn} is pending deletion: cancel the deletion (CancelKeyDeletion) "
                            "first; the kill switch never deletes keys")


def flip(kms: Any, key: KeyState, action: str, who: str, when: str, reason: str) -> Outcome:
    """DisableKey or EnableKey, then tag the key; the new state is read back from KMS, not assumed."""
    wanted = "Disabled" if action == "engage" else "Enabled"
    # `kms` is a client of the key's own account and region, where the key id names the key (KMS API
    # reference: DisableKey/EnableKey/TagResource take a key id or ARN; moto 5.2's DisableKey takes only the id).
    key_id = key.ref.key_id
    try:
        if key.state != wanted:
            (kms.disable_key if action == "engage" else kms.enable_key)(KeyId=key_id)
        state_after = kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"]
    except (ClientError, BotoCoreError) as exc:
        api = "DisableKey" if action == "engage" else "EnableKey"
        raise GuardrailsInputError("--key", f"{api} on {key.ref.arn} failed: {describe_error(exc)}") from None
    try:
        kms.tag_resource(KeyId=key_id, Tags=key_tags(action, who, when, reason))
    except (ClientError, BotoCoreError) as exc:  # the key state is what matters; say the tag is missing
        return Outcome(action, key.state, state_after, False, describe_error(exc))
    return Outcome(action, key.state, state_after, True)
