"""The policy documents for the current settings: SCPs for an organization, a boundary for one account."""

from __future__ import annotations

import re

from guardrails.preventive import (boundary_protection, detective_protection, hook_protection, isolation_tag_protection,
                                   key_availability, key_creation, key_protection, provisioning_path, region_limit,
                                   workspace_creation)
from guardrails.preventive.key_protection import KEY_ARNS
from guardrails.preventive.scp_size import VERSION, minified, pack
from guardrails.settings import STACKSETS_EXEC_ROLE, Settings

MAX_MANAGED_POLICY_CHARS = 6144  # IAM managed policy size limit, whitespace excluded


def deny_statements(settings: Settings, organization: bool = True) -> list[dict]:
    return [*workspace_creation.statements(settings), *provisioning_path.statements(settings, organization),
            *key_protection.statements(settings), *key_creation.statements(settings),
            *key_availability.statements(settings, organization), *hook_protection.statements(settings, organization),
            # SCPs only: IAM's 6,144 characters cannot hold it in the boundary (docs/preventive.md says who protects
            # the tag on the single-account path).
            *(isolation_tag_protection.statements(settings) if organization else [])]


def merged_alike(statements: list[dict]) -> list[dict]:
    """Statements that differ only in their actions become one: a deny applies to each of its
    actions under the same Resource and Condition, so the union denies exactly what the parts did, in fewer
    characters. Used where one document must hold everything (the boundary's 6,144 characters)."""
    merged: list[dict] = []
    for stmt in statements:
        same = next((m for m in merged if (m["Effect"], m["Resource"], m.get("Condition")) ==
                     (stmt["Effect"], stmt["Resource"], stmt.get("Condition"))), None)
        if same is None:
            merged.append(dict(stmt))
        else:
            same["Action"] = sorted({*_as_list(same["Action"]), *_as_list(stmt["Action"])})
    return merged


def _account_free(stmt: dict) -> dict:
    """The boundary binds only principals of the account it is attached in, so an exempted role's account id in
    aws:PrincipalArn says nothing: arn:aws:iam::*:role/X matches exactly the same callers, in fewer characters."""
    exempt = stmt.get("Condition", {}).get("ArnNotLike", {}).get("aws:PrincipalArn")
    if exempt is None:
        return stmt
    arns = [re.sub(r"^(arn:[^:]+:iam::)\d{12}:", r"\1*:", arn) for arn in _as_list(exempt)]
    exempt_arns = sorted(set(arns)) if len(arns) > 1 else arns[0]
    condition = {**stmt["Condition"], "ArnNotLike": {**stmt["Condition"]["ArnNotLike"], "aws:PrincipalArn": exempt_arns}}
    return {**stmt, "Condition": condition}


def _no_stackset_exemption(stmt: dict) -> dict:
    """Service-managed StackSets' `stacksets-exec-*` roles exist only in an organization's member accounts, where the
    SCPs govern; the single-account path deploys the hook with CloudFormation, and those roles never carry this
    boundary. Exempting them here changes nothing, so the boundary leaves them out (its 6,144 characters are short)."""
    exempt = stmt.get("Condition", {}).get("ArnNotLike", {}).get("aws:PrincipalArn")
    if exempt is None or STACKSETS_EXEC_ROLE not in _as_list(exempt):
        return stmt
    kept = [arn for arn in _as_list(exempt) if arn != STACKSETS_EXEC_ROLE]
    arn_not_like = {k: v for k, v in stmt["Condition"]["ArnNotLike"].items() if k != "aws:PrincipalArn"}
    if kept:
        arn_not_like["aws:PrincipalArn"] = kept if len(kept) > 1 else kept[0]
    condition = {k: v for k, v in stmt["Condition"].items() if k != "ArnNotLike"}
    if arn_not_like:
        condition["ArnNotLike"] = arn_not_like
    return {k: v for k, v in {**stmt, "Condition": condition}.items() if k != "Condition" or condition}


def _any_key(stmt: dict) -> dict:
    """Every KMS action these denies name acts on a key and nothing else (Service Authorization Reference: resource
    type `key` only), so Resource "*" matches exactly the requests `arn:aws:kms:*:*:key/*` does, in fewer characters."""
    if stmt.get("Resource") == KEY_ARNS and all(a.startswith("kms:") for a in _as_list(stmt["Action"])):
        return {**stmt, "Resource": "*"}
    return stmt


def _as_list(actions: str | list[str]) -> list[str]:
    return [actions] if isinstance(actions, str) else list(actions)


def scp_documents(settings: Settings) -> list[dict]:
    """SCPs (deny-list style: FullAWSAccess stays attached), split to fit AWS's size and count limits."""
    return pack([*deny_statements(settings, organization=True), *region_limit.statements(settings),
                 *detective_protection.statements(settings)])


def boundary_document(settings: Settings) -> dict:
    """A permissions boundary: allows what identity policies allow, minus the same denies as the SCPs."""
    # A boundary caps permissions: allow everything identity policies grant, then subtract the denies.
    allow = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    denies = [*deny_statements(settings, organization=False), *boundary_protection.statements(settings)]
    # Sids are labels only; the boundary leaves them out to fit its 6,144 characters (`guardrails policy scp` shows
    # the same statements with theirs).
    compact = [{k: v for k, v in s.items() if k != "Sid"}
               for s in merged_alike([_any_key(_account_free(_no_stackset_exemption(s))) for s in denies])]
    document = {"Version": VERSION, "Statement": [allow, *compact]}
    size = len(minified(document))
    if size > MAX_MANAGED_POLICY_CHARS:
        raise ValueError(f"the boundary is {size} characters, over IAM's {MAX_MANAGED_POLICY_CHARS}: use fewer role patterns")
    return document
