"""BedrockGuardrails-KeyDeletionWindow: a scheduled deletion leaves time to notice and cancel."""

from guardrails.rules.base import PREFIX, Rule
from guardrails.rules.governed_types import KEY_TYPES
from guardrails.rules.guard_rendering import guard_key_rules
from guardrails.rules.key_spec_values import literal


def _guard_clauses(settings, props: str) -> str:
    from guardrails.settings import PENDING_MAX_DAYS

    minimum = settings.min_pending_window_days
    window = "|".join(str(d) for d in range(minimum, PENDING_MAX_DAYS + 1))
    return (f"    {props}.PendingWindowInDays not exists or {props}.PendingWindowInDays >= {minimum} or "
            f"{props}.PendingWindowInDays == /^0*({window})$/")


def _check(resource, ctx):
    minimum = ctx.settings.min_pending_window_days
    value = literal(resource.properties.get("PendingWindowInDays"), 30)
    try:
        days = int(value) if value is not None and not isinstance(value, bool) else None
    except ValueError:
        days = None
    if days is not None and days >= minimum:
        return []
    shown = "is computed and cannot be proven" if days is None else f"is {days} days"
    return [RULE.finding(resource, "PendingWindowInDays",
                         f"key {resource.logical_id}: PendingWindowInDays {shown}; at least {minimum} days is required")]


RULE = Rule(
    id=PREFIX + "KeyDeletionWindow",
    title="Key deletion window at least the minimum",
    explanation="Deleting a key makes every workspace and Bedrock resource it protects unreadable for ever; the "
                "pending window is the only time to cancel.",
    remediation="Set PendingWindowInDays to at least the configured minimum (default 30), or leave it unset (30).",
    resource_types=KEY_TYPES,
    check=_check,
    scope="key",
    guard=lambda settings: guard_key_rules(RULE, settings, lambda props: _guard_clauses(settings, props)),
    exempt={point: "KMS keeps no deletion-window setting on a key: the window is chosen by each ScheduleKeyDeletion "
                   "call. Live, a key pending deletion is [KeyNotEnabled] with its date; the key-protection SCP denies "
                   "windows below the minimum (kms:ScheduleKeyDeletionPendingWindowInDays) and the managed rule "
                   "KMS_CMK_NOT_SCHEDULED_FOR_DELETION watches scheduled deletions"
            for point in ("config", "audit")},
)
