"""What a key-policy statement's Condition block actually restricts, judged by operator and value.

A condition counts only when, for the caller to match, it REQUIRES the key to be present and equal to
(or match) a value that pins something. IAM's rules this follows (IAM User Guide, "IAM JSON policy
elements: Condition operators", reference_policies_elements_condition_operators.html; "Single-valued
vs. multivalued context keys", reference_policies_condition-single-vs-multi-valued-context-keys.html):
- a key absent from the request makes a positive operator false, but a negated one (StringNotEquals,
  ArnNotLike...) TRUE: a negative match is never a scope;
- `...IfExists` is true when the key is absent: never a scope (an anonymous or direct call lacks it);
- `Null` only tests presence: never a scope;
- `ForAllValues:` is true when the key is absent or empty: never a scope; `ForAnyValue:` is false
  then, so it scopes like the plain operator;
- values of one key are OR'd, so one unpinned value (a wildcard) unpins the whole entry; keys and
  operators are AND'd, so any one pinning entry restricts the statement;
- `*` and `?` are wildcards in StringLike and in both Arn operators (ArnEquals behaves as ArnLike),
  literal characters in StringEquals.
A value computed from a template parameter, or that cannot be rendered, pins nothing (fail closed).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

OWN = "${AWS::AccountId}"  # the key's own account, as templates spell it
_POSITIVE = {"stringequals": False, "stringequalsignorecase": False, "stringlike": True, "arnequals": True,
             "arnlike": True}  # base operator -> whether * and ? are wildcards
_ACCOUNT = re.compile(r"\d{12}")
_ORG = re.compile(r"o-[a-z0-9]{10,32}")  # Organizations API reference, Organization.Id
_ORG_PATH = re.compile(r"o-[a-z0-9]{10,32}/r-[0-9a-z]{4,32}/(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}/)*")  # aws:PrincipalOrgPaths
_WILDCARD = re.compile(r"[*?]")
# aws:PrincipalArn / aws:SourceArn: arn:partition:service:region:account:resource
# (pseudo parameters hold colons, so each field may be one whole)
_PSEUDO = r"\$\{AWS::[A-Za-z]+\}"
ARN = re.compile(rf"arn:(?P<partition>{_PSEUDO}|[^:]*):(?P<service>[^:]*):(?P<region>{_PSEUDO}|[^:]*)"
                 rf":(?P<account>{_PSEUDO}|[^:]*):(?P<resource>.+)")


@dataclass
class Restrictions:
    """What the conditions of one statement pin. None means "not pinned"."""

    accounts: set[str] | None = None  # the caller's account must be one of these (an empty set: nobody)
    organization: bool = False  # pinned to an organization (or an org path), any account in it
    nobody: bool = False  # pinned to a value no caller has (StringEquals "o-*"): the statement grants nothing
    named_arns: list[tuple[str | None, str]] = field(default_factory=list)  # (account, exact/prefix/any)
    named_other: bool = False  # pinned to a unique principal id (aws:userid)
    principal_tag: bool = False  # pinned to principals carrying a tag value (who tags them: their account)
    usage_scope: list[str] = field(default_factory=list)  # kms:ViaService / encryption-context pins, described

    def pin_accounts(self, values: Iterable[str]) -> None:
        found = set(values)
        self.accounts = found if self.accounts is None else self.accounts & found


@dataclass(frozen=True)
class Operator:
    base: str  # lower case, without set prefix and IfExists
    set_operator: str | None  # "foranyvalue" | "forallvalues" | None
    if_exists: bool

    @property
    def wildcards(self) -> bool:
        return _POSITIVE.get(self.base, False)

    @property
    def pins(self) -> bool:
        """Can this operator pin a value at all (before looking at the values)?"""
        return self.base in _POSITIVE and not self.if_exists and self.set_operator != "forallvalues"


@functools.lru_cache(maxsize=512)
def parse_operator(name: str) -> Operator:
    lowered = name.lower()
    set_operator, _, base = lowered.rpartition(":")
    if_exists = base.endswith("ifexists")
    return Operator(base.removesuffix("ifexists"), set_operator or None, if_exists)


def _literal(value: str, operator: Operator) -> bool:
    return not (operator.wildcards and _WILDCARD.search(value))


def _arn_pin(value: str, operator: Operator, own: str | None) -> tuple[str | None, str] | None:
    """(account, "exact" | "prefix" | "any") when an ARN value pins a principal, resource or account, else None.

    A pattern pins only when everything up to and including its account field is literal (`*` in
    StringLike crosses colons) and the account is a real account; then its name is a prefix
    (`role/app-*`: principals that account names so) or any name (`role/*`: the whole account).
    """
    match = ARN.fullmatch(value)
    if _literal(value, operator):
        account = match.group("account") if match else None
        return (normal_account(account, own) if account else None), "exact"
    if not match or _WILDCARD.search(value[: match.end("account")]):
        return None
    account = normal_account(match.group("account"), own)
    if account is None:
        return None
    return account, "any" if _WILDCARD.match(match.group("resource").rpartition("/")[2]) else "prefix"


def normal_account(text: str | None, own: str | None) -> str | None:
    """OWN for the key's own account, the 12 digits of another, None when it is not an account."""
    if text is None:
        return None
    if text == OWN or (own is not None and text == own):
        return OWN
    return text if _ACCOUNT.fullmatch(text) else None


Render = Callable[[Any], "str | None"]


def restrictions(condition: Any, render: Render, parameters: frozenset[str], own: str | None) -> Restrictions:
    """What the Condition block pins; anything unreadable pins nothing (fail closed)."""
    found = Restrictions()
    if not isinstance(condition, dict):
        return found
    for operator_name, block in condition.items():
        if not (isinstance(operator_name, str) and isinstance(block, dict)):
            continue
        operator = parse_operator(operator_name)
        if not operator.pins:
            continue
        for key, raw in block.items():
            values = _rendered_values(raw, render, parameters)
            if values and isinstance(key, str):
                _pin(found, key.lower(), values, operator, own)
    return found


def _rendered_values(raw: Any, render: Render, parameters: frozenset[str]) -> list[str] | None:
    items = raw if isinstance(raw, list) else [raw]
    values = []
    for item in items:
        text = render(item) if not isinstance(item, bool) else str(item).lower()
        if text is None or any(name in parameters for name in re.findall(r"\$\{([^}]+)\}", text)):
            return None
        values.append(text)
    return values or None


def _pin(found: Restrictions, key: str, values: list[str], operator: Operator, own: str | None) -> None:
    literal = all(_literal(v, operator) for v in values)
    if key in ("aws:principalaccount", "aws:sourceaccount", "kms:calleraccount"):
        if literal:  # a literal that is no account (StringEquals "*") matches nobody
            found.pin_accounts(a for a in (normal_account(v, own) for v in values) if a is not None)
    elif key in ("aws:principalorgid", "aws:sourceorgid"):
        if literal:  # a literal that is no organization id matches nobody
            found.organization = True
            found.nobody |= not any(_ORG.fullmatch(v) for v in values)
    elif key in ("aws:principalorgpaths", "aws:sourceorgpaths"):  # o-xxx/r-xxx/ou-xxx/: the org must be literal
        if literal:
            found.organization = True
            found.nobody |= not any(_ORG_PATH.fullmatch(v) for v in values)
        else:
            found.organization |= all(_literal(v.split("/", 1)[0], operator) and "/" in v for v in values)
    elif key in ("aws:principalarn", "aws:sourcearn"):
        pins = [_arn_pin(v, operator, own) for v in values]
        if all(p is not None for p in pins):
            found.named_arns.extend(p for p in pins if p is not None)
    elif key == "aws:userid":  # "AROA...:session": the unique id before the colon must be literal
        found.named_other |= all(v and _literal(v.split(":", 1)[0], operator) for v in values)
    elif key.startswith("aws:principaltag/"):
        found.principal_tag |= literal
    elif key == "kms:viaservice":  # <service>.<region>.amazonaws.com: the service name must be literal
        if all(v.split(".", 1)[0] and _literal(v.split(".", 1)[0], operator) for v in values):
            found.usage_scope.append(f"kms:ViaService {', '.join(values)}")
    elif key.startswith("kms:encryptioncontext:"):  # ForAnyValue on this single-valued key: false when absent
        if literal:  # a data set pinned by its context value; a key name alone (EncryptionContextKeys) pins no data
            found.usage_scope.append(f"{key} {', '.join(values)}")
