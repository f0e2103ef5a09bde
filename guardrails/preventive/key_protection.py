"""Key protection: workspace keys (aws:ResourceTag purpose tag) stay enabled, rotating, owned and narrow.

With a kill switch configured (`kill_switch_principals`), switching a workspace key off and on (kms:DisableKey,
kms:EnableKey) is the kill-switch role's alone: nobody else may disable a key, and nobody else may enable one, so
an engaged switch cannot be undone around the audited path. Without one, key administrators and break-glass
may disable a key, as before.
"""

from __future__ import annotations

from guardrails.preventive.principals import kill_switch_role, statement, unless_principal
from guardrails.settings import Settings

KEY_ARNS = "arn:aws:kms:*:*:key/*"


def tag_condition(settings: Settings) -> dict:
    """The condition that selects workspace keys: every key deny hangs on it."""
    tag_key, tag_value = settings.workspace_key_tag
    return {"StringEquals": {f"aws:ResourceTag/{tag_key}": tag_value}}


def ownership_tag_keys(settings: Settings) -> list[str]:
    return sorted({*settings.required_tags, settings.workspace_key_tag[0]})


def statements(settings: Settings) -> list[dict]:
    admins = unless_principal([*settings.key_admin_roles, settings.break_glass_role])
    # CloudFormation (the provisioning roles) updates key policies and tags from reviewed templates.
    admins_or_pipeline = unless_principal([*settings.key_admin_roles, *settings.provisioning_roles, settings.break_glass_role])
    tagged = tag_condition(settings)
    switch = kill_switch_role(settings)
    weakening = ["kms:DisableKeyRotation"] if switch else ["kms:DisableKey", "kms:DisableKeyRotation"]
    state_change = [statement("DenyWorkspaceKeyStateChange", ["kms:DisableKey", "kms:EnableKey"], KEY_ARNS,
                              {**tagged, **unless_principal([switch])})] if switch else []
    return [
        # Applies to key admins too: they may delete a key, never on a short fuse.
        statement("DenyShortKeyDeletionWindow", ["kms:ScheduleKeyDeletion"], KEY_ARNS, {
            **tagged, "NumericLessThan": {"kms:ScheduleKeyDeletionPendingWindowInDays": str(settings.min_pending_window_days)},
            **unless_principal([settings.break_glass_role])}),
        statement("DenyWorkspaceKeyWeakening", weakening, KEY_ARNS, {**tagged, **admins}),
        *state_change,
        statement("DenyWorkspaceKeyPolicyChange", ["kms:PutKeyPolicy"], KEY_ARNS, {**tagged, **admins_or_pipeline}),
        statement("DenyOwnershipTagChange", ["kms:TagResource", "kms:UntagResource"], KEY_ARNS, {
            **tagged, "ForAnyValue:StringEquals": {"aws:TagKeys": ownership_tag_keys(settings)}, **admins_or_pipeline}),
        # Grants are how Bedrock and DataZone use the key; any other grant widens access outside the key policy.
        statement("DenyNonServiceGrants", ["kms:CreateGrant"], KEY_ARNS, {
            **tagged, "BoolIfExists": {"kms:GrantIsForAWSResource": "false"}, **admins}),
    ]
