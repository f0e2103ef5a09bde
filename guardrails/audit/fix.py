"""`guardrails audit --fix`: repair in place what can be repaired in place, the same two things the opt-in
Config remediation does (guardrails/detective/remediation.py), with the same AWS calls as AWS's runbooks:

- rotation off -> kms:EnableKeyRotation (AWSConfigRemediation-EnableKeyRotation);
- key scheduled for deletion -> kms:CancelKeyDeletion (AWSConfigRemediation-CancelKeyDeletion). KMS leaves
  a key whose deletion was cancelled Disabled (KMS developer guide, "Cancel key deletion",
  deleting-keys-cancelling-key-deletion.html); enabling it again is its owner's decision, so --fix says so.
Neither call works across accounts (KMS API reference), so each key is changed with its own account's client.

Each key is read again (DescribeKey) right before it is changed: only an enabled-or-pending customer-managed
key is touched, and only when its state still calls for the change. Accepted exceptions are left alone.
A workspace without a customer-managed key cannot be fixed in place: the plan points at migrate-plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from guardrails.audit.errors import describe_error
from guardrails.audit.reports.fixes import migrate_plan_command
from guardrails.kms_identifiers import parse_kms_arn
from guardrails.rules import key_rotation, resource_cmk, workspace_cmk

ENABLE_ROTATION, CANCEL_DELETION = "EnableKeyRotation", "CancelKeyDeletion"
_ROTATION_OFF = f"{key_rotation.RULE.id}[RotationDisabled]"
_NOT_ENABLED = {f"{workspace_cmk.RULE.id}[KeyNotEnabled]", f"{resource_cmk.RULE.id}[KeyNotEnabled]"}

KmsFor = Callable[[str, str], Any]  # (account, region) -> a botocore kms client


@dataclass(frozen=True)
class Action:
    operation: str
    key: str  # the identifier the resource names (ARN, id or alias)
    account: str
    region: str
    resources: tuple[str, ...]


@dataclass(frozen=True)
class Change:
    action: Action
    done: bool
    detail: str

    def __str__(self) -> str:
        return f"{'CHANGED' if self.done else 'NOT CHANGED'} {self.action.operation} {self.action.key}: {self.detail}"


def plan(findings) -> tuple[list[Action], list[str]]:
    """The changes the open findings call for (one per key and operation), and what needs a migration instead."""
    wanted: dict[tuple[str, str], list] = {}
    migrations = []
    for finding in findings:
        if finding.exception or not finding.key:
            if finding.rule == workspace_cmk.RULE.id and not finding.exception and migrate_plan_command(finding.resource):
                migrations.append(f"{finding.name}: no customer-managed key, cannot be fixed in place: "
                                  f"`{migrate_plan_command(finding.resource)}`")
            continue
        operation = ENABLE_ROTATION if finding.rule == _ROTATION_OFF else CANCEL_DELETION if finding.rule in _NOT_ENABLED else None
        if operation:
            wanted.setdefault((operation, finding.key), []).append(finding)
    actions = []
    for (operation, key), found in sorted(wanted.items()):
        # A key or alias ARN names the key's own account and region (KMS calls do not cross accounts); a key id,
        # an alias name or a malformed ARN is looked up where the resource is, and DescribeKey says if it is not there.
        arn = parse_kms_arn(key)
        actions.append(Action(operation, key, arn.account if arn else found[0].account,
                              arn.region if arn else found[0].region, tuple(sorted({f.resource for f in found}))))
    return actions, migrations


def apply(actions: list[Action], kms_for: KmsFor) -> list[Change]:
    return [_apply(action, kms_for) for action in actions]


def _apply(action: Action, kms_for: KmsFor) -> Change:
    try:
        kms = kms_for(action.account, action.region)
        meta = kms.describe_key(KeyId=action.key)["KeyMetadata"]
        if meta.get("KeyManager") != "CUSTOMER":
            return Change(action, False, f"{meta.get('KeyManager')}-managed key: not ours to change")
        state = meta.get("KeyState")
        if action.operation == CANCEL_DELETION:
            if state != "PendingDeletion":
                return Change(action, False, f"key is {state}, not pending deletion: enabling it is its owner's decision "
                                             f"(`aws kms enable-key --key-id {meta['KeyId']}`)")
            kms.cancel_key_deletion(KeyId=meta["KeyId"])
            return Change(action, True, "deletion cancelled; KMS leaves the key Disabled until its owner enables it")
        if state != "Enabled":
            return Change(action, False, f"key is {state}: KMS rotates only enabled keys")
        if kms.get_key_rotation_status(KeyId=meta["KeyId"]).get("KeyRotationEnabled"):
            return Change(action, False, "rotation is already on")
        kms.enable_key_rotation(KeyId=meta["KeyId"])
        return Change(action, True, "automatic rotation enabled")
    except Exception as exc:  # noqa: BLE001 - reported; the other keys are still fixed
        return Change(action, False, describe_error(exc))
