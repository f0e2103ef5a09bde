"""Who is exempt from a deny: aws:PrincipalArn allow-lists (no other condition key can name the caller)."""

from __future__ import annotations

from typing import Any, Iterable

from guardrails.settings import Settings


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


def kill_switch_role(settings: Settings) -> str | None:
    """The kill-switch role in any governed account (guardrails.preventive.kill_switch names it from settings), or
    None when no kill switch is configured (no `kill_switch_principals`)."""
    if not settings.kill_switch_principals:
        return None
    return f"arn:aws:iam::*:role/{settings.kill_switch_role_name}"
