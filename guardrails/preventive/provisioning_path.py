"""Provisioning-path protection: nobody rewires the allow-listed roles (trust or permissions).

Without this, anyone with IAM rights could let themselves assume a provisioning role, or give it a
path around the Guard Hook, and walk around the creation guardrail.
"""

from __future__ import annotations

from guardrails.preventive.principals import statement, unless_principal
from guardrails.settings import Settings

ROLE_CHANGES = [
    "iam:AttachRolePolicy", "iam:DeleteRole", "iam:DeleteRolePermissionsBoundary", "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
]


def statements(settings: Settings) -> list[dict]:
    exempt = unless_principal([settings.platform_role, settings.break_glass_role])
    return [statement("DenyProvisioningRoleChanges", ROLE_CHANGES, sorted(settings.provisioning_roles), exempt)]
