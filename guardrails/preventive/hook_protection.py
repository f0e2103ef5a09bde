"""Hook protection: only the platform role may switch off, reconfigure or remove the Guard Hook."""

from __future__ import annotations

from guardrails.preventive.principals import statement, unless_principal
from guardrails.settings import Settings

HOOK_CHANGES = ["cloudformation:DeactivateType", "cloudformation:DeregisterType", "cloudformation:SetTypeConfiguration",
                "cloudformation:SetTypeDefaultVersion"]
STACK_CHANGES = ["cloudformation:DeleteStack", "cloudformation:UpdateStack", "cloudformation:CreateChangeSet",
                 "cloudformation:ExecuteChangeSet"]
STACKSET_CHANGES = ["cloudformation:DeleteStackInstances", "cloudformation:DeleteStackSet", "cloudformation:UpdateStackInstances",
                    "cloudformation:UpdateStackSet"]


def hook_type_name(settings: Settings) -> str:
    """Registry type names use '-' where the hook alias has '::'."""
    return settings.hook_alias.replace("::", "-")


def statements(settings: Settings) -> list[dict]:
    exempt = unless_principal([settings.platform_role, settings.break_glass_role])
    name = settings.hook_stack_name
    return [
        statement("DenyHookChanges", HOOK_CHANGES, f"arn:aws:cloudformation:*:*:type/hook/{hook_type_name(settings)}*", exempt),
        # The single-account stack, and the stacks a StackSet creates (named StackSet-<name>-<id>).
        statement("DenyHookStackChanges", STACK_CHANGES, [f"arn:aws:cloudformation:*:*:stack/{name}/*",
                                                          f"arn:aws:cloudformation:*:*:stack/StackSet-{name}-*"], exempt),
        statement("DenyHookStackSetChanges", STACKSET_CHANGES, f"arn:aws:cloudformation:*:*:stackset/{name}:*", exempt),
    ]
