"""Least-privilege analysis of a KMS key policy, shared by the catalog rule, the Config rule handler
and `guardrails audit` (live policies are the same documents, without intrinsics).

What is judged (docs/key-policy-judgment.md says it for users):
- who a statement lets call: everyone, an organization, a whole account (its root, or `*` pinned to an
  account), or named principals, after its conditions are EVALUATED by operator and value
  (guardrails/key_policy_conditions.py): a wildcard, negated, `IfExists`, `ForAllValues` or `Null`
  condition narrows nothing;
- which KMS actions it grants: action patterns are expanded against AWS's KMS action list
  (guardrails/kms_actions.py) with IAM's `*`/`?` wildcards, never compared as names;
- intrinsics: `Fn::If` anywhere (around the document, the Statement list, a statement, a field, a
  list item) is evaluated over every branch; a principal, action or Effect that cannot be known
  before deployment (a parameter, whatever its default; an import; anything unrenderable) makes the
  statement [Unevaluable] (fail closed).

The owner of a key is its own account: `${AWS::AccountId}`, or the literal account of the stack
(or of the live key) when known. Its root may administer the key (the statement AWS documents as
"enable IAM policies"); any other account root, an organization or everyone administering it is
[ForeignAdministration]. The root statement is NOT exempt from UnscopedUsage: `kms:*` on the root lets
any identity policy in the account decrypt the data.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from guardrails.memo import BoundedMemo, exact_key

from guardrails.key_policy_conditions import ARN, OWN, Restrictions, normal_account, restrictions
from guardrails.kms_actions import KMS_ACTIONS

# Our classes of the KMS actions (tests check that together they are exactly guardrails/kms_actions.py).
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
KEY_ACTIONS = CRYPTO_ACTIONS | ADMIN_ACTIONS | READ_ACTIONS  # what `kms:*` means in a key policy
# Whoever may do these can lock the owner out, destroy the key or hand out use: a key takeover.
ADMINISTRATION = ADMIN_ACTIONS | {"kms:CreateGrant"}
assert ALL_KMS_ACTIONS == {name for name, _ in KMS_ACTIONS}, "classify every action of guardrails/kms_actions.py"
_MAX_VARIANTS = 256  # Fn::If combinations judged per statement; past it the statement is Unevaluable
_MAX_DEPTH = 32


@dataclass(frozen=True)
class PolicyProblem:
    detail: str  # one of DETAILS
    statement: str  # Sid, or "#<index>"
    message: str


DETAILS = ("NoKeyPolicy", "Unevaluable", "PublicPrincipal", "WildcardAction", "UnscopedUsage", "MixedAdminUsage",
           "ForeignAdministration")
Render = Callable[[Any], "str | None"]


def _plain_render(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# -- actions ------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4096)
def _expand_one(pattern: str) -> frozenset[str]:
    """The KMS actions one IAM action pattern matches: whole name, case-insensitive, `*` any run, `?` one
    character, every other character literal (IAM has no character classes). Memoised: policies repeat
    the same few patterns thousands of times in a scan."""
    regex = re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern.lower()))
    return frozenset(a for a in ALL_KMS_ACTIONS if regex.fullmatch(a.lower()))


def _expand(patterns: Iterable[str]) -> set[str]:
    granted: set[str] = set()
    for pattern in patterns:
        granted |= _expand_one(pattern)
    return granted


# -- Fn::If -------------------------------------------------------------------------------------
_ABSENT = object()  # AWS::NoValue: the item or property is removed


class _Unevaluable(Exception):
    pass


def _alternatives(value: Any, depth: int = 0) -> list[Any]:
    """The values an Fn::If at the top of `value` can take (AWS::NoValue -> _ABSENT)."""
    if depth > _MAX_DEPTH:
        raise _Unevaluable("intrinsic functions nested too deeply to evaluate")
    if isinstance(value, dict) and len(value) == 1:
        (fn, arg), = value.items()
        if fn == "Fn::If" and isinstance(arg, list) and len(arg) == 3:
            return _alternatives(arg[1], depth + 1) + _alternatives(arg[2], depth + 1)
        if fn == "Ref" and arg == "AWS::NoValue":
            return [_ABSENT]
    return [value]


def _variants(value: Any, depth: int = 0) -> list[Any]:
    """Every value `value` can take, one per combination of its Fn::If branches, at any depth."""
    if depth > _MAX_DEPTH:
        raise _Unevaluable("intrinsic functions nested too deeply to evaluate")
    alternatives = _alternatives(value)
    if len(alternatives) > 1 or alternatives[0] is _ABSENT:
        return [v for alt in alternatives for v in ([alt] if alt is _ABSENT else _variants(alt, depth + 1))]
    combos: list[Any]
    if isinstance(value, dict):
        combos = [{}]
        for key, item in value.items():
            combos = [{**c, **({} if v is _ABSENT else {key: v})} for c in combos for v in _variants(item, depth + 1)]
            _bound(combos)
        return combos
    if isinstance(value, list):
        combos = [[]]
        for item in value:
            combos = [c + ([] if v is _ABSENT else [v]) for c in combos for v in _variants(item, depth + 1)]
            _bound(combos)
        return combos
    return [value]


def _bound(combos: list) -> None:
    if len(combos) > _MAX_VARIANTS:
        raise _Unevaluable(f"more than {_MAX_VARIANTS} Fn::If combinations to evaluate")


# -- principals ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Grantee:
    kind: str  # "public" | "root" (a whole account) | "named" (a principal, service or resource)
    account: str | None = None  # OWN, another 12-digit account, or None (unknown / not an account's)


@dataclass(frozen=True)
class Audience:
    kind: str  # "public" | "organization" | "account" | "named"
    account: str | None = None

    def describe(self) -> str:
        account = "the key's own account" if self.account == OWN else f"account {self.account or '(unknown)'}"
        return {"public": "everyone", "organization": "every principal of an organization",
                "account": "the whole account" if self.account == OWN else f"the whole of {account}",
                "named": f"a principal in {account}"}[self.kind]


@dataclass(frozen=True)
class _Context:
    render: Render
    parameters: frozenset[str]
    own: str | None  # the key's own account when known (a literal)
    branches: bool = True  # Fn::If or AWS::NoValue occur somewhere (most policies: no, and no copying)


def _parameter_in(text: str, parameters: frozenset[str]) -> str | None:
    return next((n for n in re.findall(r"\$\{([^}]+)\}", text) if n in parameters), None)


def _grantees(statement: Mapping[str, Any], ctx: _Context, sid: str) -> list[Grantee]:
    principal = statement.get("Principal")
    if principal == "*":
        return [Grantee("public")]
    if not isinstance(principal, dict) or not principal:
        raise _Unevaluable(f"statement {sid} has no principal that can be read")
    found = []
    for kind, values in principal.items():
        for value in _as_list(values):
            text = ctx.render(value)
            if text is None:
                raise _Unevaluable(f"statement {sid} has a {kind} principal computed by intrinsic functions")
            parameter = _parameter_in(text, ctx.parameters)
            if parameter:
                raise _Unevaluable(f"statement {sid} takes its principal from parameter {parameter}, known only at "
                                   "deploy time (whatever its default)")
            found.append(_aws_grantee(text, ctx.own) if kind == "AWS" else
                         Grantee("public") if text == "*" else Grantee("named"))
    if not found:
        raise _Unevaluable(f"statement {sid} names no principal")
    return found


@functools.lru_cache(maxsize=4096)
def _aws_grantee(text: str, own: str | None) -> Grantee:
    if "*" in text or "?" in text:  # IAM allows no partial wildcard in a principal: read it as everyone
        return Grantee("public")
    if text == OWN or re.fullmatch(r"\d{12}", text):
        return Grantee("root", normal_account(text, own))
    arn = ARN.fullmatch(text)
    if arn:
        account = normal_account(arn.group("account"), own)
        if arn.group("service") == "iam" and arn.group("resource") == "root":
            return Grantee("root", account)
        return Grantee("named", account)
    # "${Role.Arn}": a principal defined in this template, so in its own account
    return Grantee("named", OWN if re.fullmatch(r"\$\{[^}]+\.[^}]+\}", text) else None)


def _audiences(grantee: Grantee, pins: Restrictions, own_known: bool) -> list[Audience]:
    """Who may call through one principal of the statement, given what its conditions pin ([] = nobody)."""

    def differ(a: str | None, b: str | None) -> bool:  # provably different accounts (OWN may be any literal)
        return None not in (a, b) and a != b and (own_known or OWN not in (a, b))

    if grantee.kind == "named":
        return [Audience("named", grantee.account)]
    if pins.nobody:
        return []
    if pins.named_arns or pins.named_other:
        found = [Audience("named", None)] if pins.named_other else []
        for account, how in pins.named_arns:
            if grantee.kind == "root" and differ(account, grantee.account):
                continue  # pinned to principals of another account than the root's: nobody
            # a name prefix (role/app-*) names principals only in our own account: another account decides
            # who bears the name there; any name (role/*) is the whole account
            named = how == "exact" or (how == "prefix" and account == OWN)
            found.append(Audience("named" if named else "account", account))
        return found
    if grantee.kind == "root":
        if pins.accounts is not None and all(differ(grantee.account, a) for a in pins.accounts):
            return []
        accounts = [grantee.account]
    elif pins.accounts is not None:
        accounts = sorted(pins.accounts)
    else:
        return [Audience("organization" if pins.organization else "public")]
    # a principal tag narrows the own account to a team: its administrators tag its principals (issue #14)
    return [Audience("named" if pins.principal_tag and a == OWN else "account", a) for a in accounts]


# -- the analysis -------------------------------------------------------------------------------
def analyze_key_policy(policy: Any, render: Render = _plain_render, *, parameters: Iterable[str] = (),
                       account: str | None = None) -> list[PolicyProblem]:
    """Every least-privilege problem in a key policy document (dict, or a JSON string).

    `render` turns template values into strings (`${Name}` for references); `parameters` are the
    template's parameter names; `account` is the key's own account when known (a live key's, or a
    stack's literal environment)."""
    if policy is None:
        return [PolicyProblem("NoKeyPolicy", "-", "the key has no key policy, so CloudFormation applies the default, which "
                              "gives the account root kms:* and lets every IAM policy in the account use the key")]
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except json.JSONDecodeError:
            return [PolicyProblem("Unevaluable", "-", "the key policy is a string that is not JSON")]
    names = frozenset(parameters)
    memo_key = _memo_key(policy, render, names, account)
    if memo_key is None:
        return list(_analysis(policy, render, names, account))
    return list(_MEMO.get_or_compute(memo_key, lambda: _analysis(policy, render, names, account)))


def _analysis(policy: Any, render: Render, names: frozenset[str], account: str | None) -> tuple[PolicyProblem, ...]:
    text = json.dumps(policy, default=str)
    ctx = _Context(render, names, account, branches="Fn::If" in text or "AWS::NoValue" in text)
    problems: dict[tuple[str, str], PolicyProblem] = {}
    for problem in _document_problems(policy, ctx):
        problems.setdefault((problem.detail, problem.statement), problem)  # one per statement, over all branches
    return tuple(problems.values())


# -- memo ---------------------------------------------------------------------------------------
# Each distinct document is judged once (guardrails/memo.py keys it exactly). The verdict is a function of
# the document, the renderer, the template's parameter names and the key's own account: the memo key holds
# all four. The memo is used only with a renderer that is a function of the value alone (_PURE_RENDERERS);
# large documents are not kept.
_MEMO_ENTRIES = 256
_MEMO = BoundedMemo(_MEMO_ENTRIES)
_MEMO_MAX_BYTES = 16_384
_PURE_RENDERERS: set[Any] = {_plain_render}


def pure_renderer(render: Any) -> Any:
    """Declare `render` a function of the value alone (no template, no state): its results may be memoised."""
    _PURE_RENDERERS.add(render)
    return render


def _memo_key(policy: Any, render: Render, parameters: frozenset[str], account: str | None) -> tuple | None:
    function = getattr(render, "__func__", render)  # a bound method: its function, whatever the instance
    if function not in _PURE_RENDERERS or not isinstance(policy, dict):
        return None
    document = exact_key(policy)
    if document is None or len(document) > _MEMO_MAX_BYTES:
        return None
    return function, document, parameters, account


def _document_problems(policy: Any, ctx: _Context) -> Iterable[PolicyProblem]:
    try:
        documents = _alternatives(policy)
    except _Unevaluable as error:
        yield PolicyProblem("Unevaluable", "-", f"the key policy cannot be evaluated: {error}")
        return
    for document in documents:
        statements = document.get("Statement") if isinstance(document, dict) else None
        if document is _ABSENT or statements is None:
            yield PolicyProblem("Unevaluable", "-", "the key policy is computed by intrinsic functions (or has no "
                                "Statement) and cannot be checked before deployment")
            continue
        for statement_list in _alternatives(statements):
            if statement_list is _ABSENT:
                continue
            for index, item in enumerate(_as_list(statement_list)):
                yield from _item_problems(item, index, ctx)


def _item_problems(item: Any, index: int, ctx: _Context) -> Iterable[PolicyProblem]:
    sid = item.get("Sid") if isinstance(item, dict) and isinstance(item.get("Sid"), str) else f"#{index}"
    try:
        variants = ([v for alt in _alternatives(item) if alt is not _ABSENT for v in _variants(alt)]
                    if ctx.branches else [item])
        for statement in variants:
            if not isinstance(statement, dict):
                raise _Unevaluable("a statement is computed by intrinsic functions")
            yield from _statement_problems(statement, sid, ctx)
    except _Unevaluable as error:
        yield PolicyProblem("Unevaluable", sid, f"statement {sid} cannot be evaluated before deployment: {error}")


def _statement_problems(statement: Mapping[str, Any], sid: str, ctx: _Context) -> list[PolicyProblem]:
    effect = statement.get("Effect")
    if effect == "Deny":
        return []
    if effect != "Allow":
        raise _Unevaluable(f"its Effect is {json.dumps(effect)}, not Allow or Deny")
    if "NotAction" in statement:
        return [PolicyProblem("WildcardAction", sid, f"statement {sid} allows with NotAction, which grants everything "
                              "not listed")]
    actions = [ctx.render(a) for a in _as_list(statement.get("Action"))]
    if not actions or any(a is None or "${" in a for a in actions):
        raise _Unevaluable("its actions computed by intrinsic functions or parameters are known only at deploy time")
    granted = _expand(a for a in actions if a is not None)
    # NotPrincipal in an Allow grants everyone not listed: judged as everyone
    grantees = [Grantee("public")] if "NotPrincipal" in statement else _grantees(statement, ctx, sid)
    pins = restrictions(statement.get("Condition"), ctx.render, ctx.parameters, ctx.own)
    audiences = [a for g in grantees for a in _audiences(g, pins, ctx.own is not None)]
    return _judge(sid, [a for a in actions if a is not None], granted, grantees, audiences, pins, ctx,
                  negated="NotPrincipal" in statement)


def _judge(sid: str, actions: list[str], granted: set[str], grantees: list[Grantee], audiences: list[Audience],
           pins: Restrictions, ctx: _Context, negated: bool = False) -> list[PolicyProblem]:
    problems = []
    root_only = all(g.kind == "root" for g in grantees)
    if any(a.kind == "public" for a in audiences):
        whom = "with NotPrincipal, which grants everything not listed," if negated else "Principal \"*\""
        problems.append(PolicyProblem("PublicPrincipal", sid, f"statement {sid} allows {whom} without a condition "
                                      "that pins the account, organization or principal"))
    wildcards = [a for a in actions if _expand_one(a) >= KEY_ACTIONS]
    if wildcards and not root_only:
        problems.append(PolicyProblem("WildcardAction", sid, f"statement {sid} grants {'/'.join(wildcards)} (every key "
                                      "action) to principals other than the account root administration statement"))
    crypto = granted & CRYPTO_ACTIONS
    unscoped = [a for a in audiences if a.kind != "named"]
    if crypto and unscoped and not pins.usage_scope:
        problems.append(PolicyProblem("UnscopedUsage", sid, f"statement {sid} grants cryptographic use "
                                      f"({_few(crypto)}) to {unscoped[0].describe()} without a kms:ViaService or "
                                      "encryption-context condition that pins a service or a data set"))
    if crypto and granted & ADMIN_ACTIONS and not root_only:
        problems.append(PolicyProblem("MixedAdminUsage", sid, f"statement {sid} mixes key administration and key use; "
                                      "give administrators and users separate statements"))
    administration = granted & ADMINISTRATION
    foreign = [a for a in audiences if a.kind in ("public", "organization") or (a.kind == "account" and a.account != OWN)
               or (a.kind == "named" and ctx.own is not None and a.account not in (None, OWN))]
    if administration and foreign:
        problems.append(PolicyProblem("ForeignAdministration", sid, f"statement {sid} lets {foreign[0].describe()} "
                                      f"administer the key ({_few(administration)}): only the key's own account may; "
                                      "anyone else can lock the owner out, grant themselves use or delete the key"))
    return problems


def _few(actions: set[str]) -> str:
    return ", ".join(sorted(actions)[:4]) + ("..." if len(actions) > 4 else "")
