"""Boundary protection (single account): a role that carries the boundary cannot remove it, rewrite it, or make a
principal without it.

AWS's delegation pattern (IAM User Guide, "Permissions boundaries for IAM entities", "Delegating responsibility to
others using permissions boundaries"): creating users and roles, and setting boundaries, only with
`iam:PermissionsBoundary` = this boundary; no deleting boundaries; no CreatePolicyVersion, DeletePolicy,
DeletePolicyVersion or SetDefaultPolicyVersion on the boundary policy. The policy has a fixed name (derived from the
preventive stack's, so the integ test's copy never collides) so the statements can name its ARN.

Exempt: the platform role, break-glass and the hook's deployers (the roles that deploy the preventive stack, which
updates this policy: a new policy version). A negated operator matches a missing key, so the Delete*PermissionsBoundary
calls, which carry no iam:PermissionsBoundary, are denied by the same statement.
"""

from __future__ import annotations

from guardrails.preventive.principals import statement, unless_principal
from guardrails.settings import Settings

PRINCIPAL_CHANGES = ["iam:CreateRole", "iam:CreateUser", "iam:DeleteRolePermissionsBoundary",
                     "iam:DeleteUserPermissionsBoundary", "iam:PutRolePermissionsBoundary", "iam:PutUserPermissionsBoundary"]
POLICY_CHANGES = ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"]


def boundary_policy_name(settings: Settings) -> str:
    return f"{settings.preventive_stack_name}-boundary"


def boundary_policy_arn(settings: Settings) -> str:
    """Any account: the boundary binds only principals of its own account, and customer managed policies are
    attached within their account."""
    return f"arn:aws:iam::*:policy/{boundary_policy_name(settings)}"


def statements(settings: Settings) -> list[dict]:
    exempt = unless_principal([settings.platform_role, settings.break_glass_role, *settings.hook_deployer_roles])
    # iam:PermissionsBoundary is an ARN-typed key (Service Authorization Reference): one ArnNotLike block holds both
    # keys, ANDed: denied when the boundary is not this one and the caller is not exempt.
    without_boundary = {"ArnNotLike": {"iam:PermissionsBoundary": boundary_policy_arn(settings), **exempt.get("ArnNotLike", {})}}
    return [
        statement("DenyPrincipalsWithoutBoundary", PRINCIPAL_CHANGES, "*", without_boundary),
        statement("DenyBoundaryPolicyChange", POLICY_CHANGES, boundary_policy_arn(settings), exempt),
    ]
