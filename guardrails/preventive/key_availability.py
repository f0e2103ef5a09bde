"""Key availability: nobody but key admins (and break-glass) can make a workspace key unusable or unprotected.

Kept apart from key_protection's statements so each deny has its own Sid and reason:

- `DenyWorkspaceKeyLoss`: ScheduleKeyDeletion with any window puts the key in Pending Deletion, where "all calls to
  use the key for cryptographic operations will fail" (KMS Cryptographic Details, "Deleting keys"); revoking or
  retiring DataZone's or Bedrock's grants cuts the service off ("If you do, Amazon DataZone won't be able to access
  any data encrypted by the customer managed key", DataZone User Guide, "Data encryption at rest for Amazon
  DataZone"). Same effect as DisableKey, so the same people. The services' own RetireGrant/RevokeGrant calls are made
  by their service principals, which SCPs do not govern ("SCPs affect only IAM users and roles that are managed by
  accounts that are part of the organization"; nor service-linked roles: Organizations User Guide, "SCP effects on
  permissions"); a role the service assumes is governed (docs/deploy.md, "What the controls do not stop", for the
  Unified Studio execution role).
- `DenyPurposeTagRemoval`, `DenyPurposeTagChange`: every other key deny is conditioned on the purpose tag, so
  removing or changing it switches them all off. No provisioning-role exemption: any administrator can run CloudFormation as the bootstrap's execution
  role. Re-applying the same value (a CloudFormation tag update that re-sends all tags) stays allowed; UntagResource
  carries no aws:RequestTag (Service Authorization Reference), hence two statements.
- `DenyKeyPolicyLockoutBypass`: a key policy that skips the lockout safety check can make a key
  unmanageable for good (KMS Developer Guide, "AWS KMS condition keys": kms:BypassPolicyLockoutSafetyCheck).

The last three are SCP-only: their point is the provisioning role, which never carries the permissions boundary
(docs/deploy.md, "Single account"); for the roles that do, key_protection's DenyOwnershipTagChange and
DenyWorkspaceKeyPolicyChange already deny every tag and key-policy change. Leaving them out keeps the boundary
under IAM's 6,144 characters.
"""

from __future__ import annotations

from guardrails.preventive.key_protection import KEY_ARNS, tag_condition
from guardrails.preventive.principals import statement, unless_principal
from guardrails.settings import Settings

LOSS_ACTIONS = ["kms:RetireGrant", "kms:RevokeGrant", "kms:ScheduleKeyDeletion"]


def statements(settings: Settings, organization: bool = True) -> list[dict]:
    tag_key, tag_value = settings.workspace_key_tag
    admins = unless_principal([*settings.key_admin_roles, settings.break_glass_role])
    loss = statement("DenyWorkspaceKeyLoss", LOSS_ACTIONS, KEY_ARNS, {**tag_condition(settings), **admins})
    if not organization:
        return [loss]
    purpose_key = {**tag_condition(settings), "ForAnyValue:StringEquals": {"aws:TagKeys": tag_key}}
    return [
        loss,
        statement("DenyPurposeTagRemoval", ["kms:UntagResource"], KEY_ARNS, {**purpose_key, **admins}),
        statement("DenyPurposeTagChange", ["kms:TagResource"], KEY_ARNS, {
            **purpose_key, "StringNotEquals": {f"aws:RequestTag/{tag_key}": tag_value}, **admins}),
        statement("DenyKeyPolicyLockoutBypass", ["kms:CreateKey", "kms:PutKeyPolicy"], "*", {
            "Bool": {"kms:BypassPolicyLockoutSafetyCheck": "true"}, **unless_principal([settings.break_glass_role])}),
    ]
