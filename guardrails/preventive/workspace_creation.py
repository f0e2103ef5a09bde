"""Workspace creation guardrail: only provisioning roles (and break-glass) may create governed resources.

No condition key exposes the KMS key of these calls, so the SCP narrows *who* may call them to roles
whose deployments the Guard Hook checks.
"""

from __future__ import annotations

from guardrails.preventive.governed_actions import governed_actions
from guardrails.preventive.principals import statement, unless_principal
from guardrails.settings import Settings


def statements(settings: Settings) -> list[dict]:
    exempt = unless_principal([*settings.provisioning_roles, *settings.service_provisioning_roles, settings.break_glass_role])
    return [statement("DenyGovernedCreateOutsideProvisioning", governed_actions(), "*", exempt)]
