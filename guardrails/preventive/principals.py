"""Who is exempt from a deny: aws:PrincipalArn allow-lists (no other condition key can name the caller)."""

from __future__ import annotations

from typing import Any, Iterable


def unless_principal(roles: Iterable[str | None]) -> dict[str, Any]:
    """A Condition fragment exempting these role ARNs; empty when nobody is exempt (the deny is absolute)."""
    arns = sorted({r for r in roles if r})
    if not arns:
        return {}
    return {"ArnNotLike": {"aws:PrincipalArn": arns if len(arns) > 1 else arns[0]}}


def statement(sid: str, actions: list[str], resources: list[str] | str, condition: dict[str, Any]) -> dict[str, Any]:
    stmt: dict[str, Any] = {"Sid": sid, "Effect": "Deny", "Action": actions if len(actions) > 1 else actions[0],
                            "Resource": resources}
    if condition:
        stmt["Condition"] = condition
    return stmt
