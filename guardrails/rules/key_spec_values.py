"""Reading a key's KeySpec: shared by KeyRotation (which skips asymmetric and HMAC keys) and KeySpec."""

from __future__ import annotations

from guardrails.template import Resource

SYMMETRIC = "SYMMETRIC_DEFAULT"


def key_spec(resource: Resource) -> str | None:
    """The key spec (absent means SYMMETRIC_DEFAULT), or None when an intrinsic hides it."""
    spec = resource.properties.get("KeySpec", SYMMETRIC)
    return spec if isinstance(spec, str) else None


def literal(value, default):
    """A plain value, or None for an intrinsic (which cannot be proven before deployment)."""
    if value is None:
        return default
    return value if isinstance(value, (str, int, bool)) else None
