"""BedrockGuardrails-KeyRotation: symmetric keys rotate, at least as often as settings demand."""

from guardrails.rules.base import PREFIX, Problem, Rule
from guardrails.rules.guard_rendering import guard_key_rules, int_at_most
from guardrails.rules.key_spec_values import SYMMETRIC, key_spec, literal
from guardrails.rules.live_facts import is_symmetric, unreadable


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


def _live(subject, settings):
    facts = subject.facts
    if not is_symmetric(facts.describe):
        return []  # KMS cannot rotate asymmetric or HMAC keys automatically
    denied = unreadable(facts, "GetKeyRotationStatus", f"{RULE.id}[Unverifiable]", "rotation")
    if denied or facts.rotation is None:
        return denied or [Problem(f"{RULE.id}[Unverifiable]", "cannot verify rotation: no rotation status")]
    if not facts.rotation.get("KeyRotationEnabled"):
        return [Problem(f"{RULE.id}[RotationDisabled]", "automatic key rotation is off")]
    period = facts.rotation.get("RotationPeriodInDays", 365)
    if period > settings.max_rotation_days:
        return [Problem(f"{RULE.id}[RotationPeriod]", f"rotation period {period} days exceeds {settings.max_rotation_days}")]
    return []


def _guard_clauses(settings, props: str) -> str:
    maximum = settings.max_rotation_days
    default_ok = f"{props}.RotationPeriodInDays not exists or " if maximum >= 365 else ""
    # Asymmetric and HMAC keys cannot rotate; an intrinsic KeySpec is judged like a symmetric key.
    symmetric = f"{props}.KeySpec not exists or {props}.KeySpec == '{SYMMETRIC}' or {props}.KeySpec is_struct"
    return (f"    when {symmetric} {{\n"
            f"      {props}.EnableKeyRotation == true or {props}.EnableKeyRotation in ['true', 'True']\n"
            f"      {default_ok}{props}.RotationPeriodInDays <= {maximum} or "
            f"{props}.RotationPeriodInDays == /{int_at_most(maximum)}/\n    }}")


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
    live=_live,
    live_details=("Unverifiable",),
    guard=lambda settings: guard_key_rules(RULE, settings, lambda props: _guard_clauses(settings, props)),
)
