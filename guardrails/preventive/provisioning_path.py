"""Provisioning-path protection: nobody rewires the allow-listed roles (trust or permissions).

Without this, anyone with IAM rights could let themselves assume a provisioning role, or give it a
path around the Guard Hook, and walk around the creation guardrail. Exemptions name roles by pattern
(aws:PrincipalArn), so creating a role whose name matches a pattern is denied too: otherwise a new role named
cdk-x-cfn-exec-role-y or stacksets-exec-y would carry the exemption. SCPs do not govern service-linked roles
(Organizations User Guide, "SCP effects on permissions"), so StackSets still creates its stacksets-exec roles.

The kill-switch role is exempt from the key state denies by name, so it is protected the same way. In the SCPs only
the provisioning roles (CloudFormation deploying the detective stack, which SCPs govern) may create it or change its
trust and policies: a statement of its own. In the single-account boundary it joins DenyProvisioningRoleChanges:
the boundary binds the roles it is attached to, not CDK's CloudFormation execution role that deploys the kill
switch, and IAM's 6,144-character limit leaves no room for a second statement.
"""

from __future__ import annotations

from guardrails.preventive.principals import kill_switch_role, statement, unless_principal
from guardrails.settings import Settings

ROLE_CHANGES = [
    "iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePermissionsBoundary", "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
]


def statements(settings: Settings, organization: bool = True) -> list[dict]:
    # The hook's deployers (StackSets) may bootstrap accounts, which creates the CDK provisioning roles.
    exempt = unless_principal([settings.platform_role, settings.break_glass_role, *settings.hook_deployer_roles])
    exempted_roles = {*settings.provisioning_roles, *settings.service_provisioning_roles, *settings.hook_deployer_roles}
    switch = kill_switch_role(settings)
    if switch and not organization:
        exempted_roles.add(switch)
    denies = [statement("DenyProvisioningRoleChanges", ROLE_CHANGES, sorted(exempted_roles), exempt)]
    if switch and organization:
        denies.append(statement("DenyKillSwitchRoleChanges", ROLE_CHANGES, switch,
                                unless_principal(settings.provisioning_roles)))
    return denies
