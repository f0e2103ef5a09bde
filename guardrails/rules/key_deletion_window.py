"""BedrockGuardrails-KeyDeletionWindow: a scheduled deletion leaves time to notice and cancel."""

from guardrails.rules.base import PREFIX, Rule
from guardrails.rules.key_spec_values import literal


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
    resource_types=("AWS::KMS::Key", "AWS::KMS::ReplicaKey"),  # a replica has its own policy, window and tags
    check=_check,
    scope="key",
)
