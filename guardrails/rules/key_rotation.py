"""BedrockGuardrails-KeyRotation: symmetric keys rotate, at least as often as settings demand."""

from guardrails.rules.base import PREFIX, Rule
from guardrails.rules.key_spec_values import SYMMETRIC, key_spec, literal


def _check(resource, ctx):
    spec = key_spec(resource)
    if spec is not None and spec != SYMMETRIC:
        return []  # KMS cannot rotate asymmetric or HMAC keys automatically
    props, maximum = resource.properties, ctx.settings.max_rotation_days
    findings = []
    enabled = literal(props.get("EnableKeyRotation"), False)
    if enabled not in (True, "true", "True"):
        why = "is computed and cannot be proven true" if enabled is None else "is not true"
        findings.append(RULE.finding(resource, "EnableKeyRotation", f"key {resource.logical_id}: EnableKeyRotation {why}",
                                     detail="RotationDisabled"))
    period = literal(props.get("RotationPeriodInDays"), 365)
    try:
        days = int(period) if period is not None and not isinstance(period, bool) else None
    except ValueError:
        days = None
    if days is None or days > maximum:
        shown = "is computed" if days is None else f"is {days} days"
        findings.append(RULE.finding(resource, "RotationPeriodInDays",
                                     f"key {resource.logical_id}: RotationPeriodInDays {shown}; at most {maximum} days is required",
                                     detail="RotationPeriod"))
    return findings


RULE = Rule(
    id=PREFIX + "KeyRotation",
    title="Key rotation on, within the maximum period",
    explanation="Automatic rotation limits how much data one key version protects. Asymmetric and HMAC keys cannot "
                "rotate automatically and are never findings here.",
    remediation="Set EnableKeyRotation: true and RotationPeriodInDays to at most the configured maximum (default 365).",
    resource_types=("AWS::KMS::Key",),  # a replica key rotates and is specified with its primary
    check=_check,
    scope="key",
    details=("RotationDisabled", "RotationPeriod"),
)
