"""Hook protection: only the platform role, break-glass and the hook's own deployers may switch off, reconfigure
or remove the Guard Hook.

The type-level actions (DeactivateType, DeregisterType, SetTypeConfiguration, SetTypeDefaultVersion) have no
resource type in the Service Authorization Reference ("Actions, resources, and condition keys for AWS
CloudFormation"): AWS evaluates them against Resource "*", so a statement naming the hook's type ARN never applies.
They are denied on "*" and scoped by who may call them; this also stops anyone else from reconfiguring other
extensions of the account, the price of protecting the hook. CloudFormation's GuardHook handlers call
SetTypeConfiguration (create, update) and DeactivateType (delete) with the deploying role's credentials (the
resource schema's handler permissions), so the roles that deploy the hook stack are exempt as well.
"""

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


def hook_stack_arns(settings: Settings, organization: bool = True) -> list[str]:
    """The single-account stack, and (in an organization) the stack instances the hook StackSet creates, which
    CloudFormation names StackSet-<stack set name>-<id>."""
    single = f"arn:aws:cloudformation:*:*:stack/{settings.preventive_stack_name}/*"
    return [single, f"arn:aws:cloudformation:*:*:stack/StackSet-{settings.hook_stack_name}-*"] if organization else [single]


def statements(settings: Settings, organization: bool = True) -> list[dict]:
    """`organization=False` (the single-account boundary) leaves out the StackSet, which only the organization
    path deploys."""
    exempt = unless_principal([settings.platform_role, settings.break_glass_role, *settings.hook_deployer_roles])
    denies = [statement("DenyHookChanges", HOOK_CHANGES, "*", exempt),
              statement("DenyHookStackChanges", STACK_CHANGES, hook_stack_arns(settings, organization), exempt)]
    if organization:
        denies.append(statement("DenyHookStackSetChanges", STACKSET_CHANGES,
                                f"arn:aws:cloudformation:*:*:stackset/{settings.hook_stack_name}:*", exempt))
    return denies
