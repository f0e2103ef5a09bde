"""Key creation: a key created as a workspace key carries every ownership tag from the start."""

from __future__ import annotations

from guardrails.preventive.principals import statement, unless_principal
from guardrails.settings import Settings


def statements(settings: Settings) -> list[dict]:
    tag_key, tag_value = settings.workspace_key_tag
    exempt = unless_principal([settings.break_glass_role])
    # One statement per tag: several keys under one Null operator are ANDed (denied only if all were missing).
    return [statement(f"DenyUnownedWorkspaceKey{''.join(c for c in tag if c.isalnum())}", ["kms:CreateKey"], "*", {
        "StringEquals": {f"aws:RequestTag/{tag_key}": tag_value}, "Null": {f"aws:RequestTag/{tag}": "true"}, **exempt})
        for tag in sorted(settings.required_tags)]
