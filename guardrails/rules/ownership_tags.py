"""Ownership-tag judgment shared by KeyOwnershipTags and WorkspaceOwnershipTags."""

from __future__ import annotations

import re
from typing import Any

from guardrails.key_reference import PSEUDO_SAMPLES, KeyResolver
from guardrails.memo import exact_key
from guardrails.settings import Settings


def tag_values(tags: Any) -> dict[str, Any]:
    """Tags as name -> value, from the list-of-{Key, Value} or the map form."""
    if isinstance(tags, dict) and not any(str(k).startswith("Fn::") or k == "Ref" for k in tags):
        return dict(tags)
    values: dict[str, Any] = {}
    for tag in tags if isinstance(tags, list) else []:
        if isinstance(tag, dict) and isinstance(tag.get("Key"), str):
            values[tag["Key"]] = tag.get("Value")
    return values


def _provably_non_empty(rendered: str) -> bool:
    """Text outside `${...}` placeholders, or a pseudo parameter (never empty). A parameter, a resource
    attribute or AWS::NoValue may be empty, so a value made only of those cannot be proven non-empty."""
    if "${" not in rendered:
        return True
    return bool(re.sub(r"\$\{([^}]*)\}", lambda m: "x" if m.group(1) in PSEUDO_SAMPLES else "", rendered).strip())


def tag_problems(tags: Any, settings: Settings, resolver: KeyResolver) -> list[str]:
    """One sentence per required tag that is missing, empty, unprovable or does not match its pattern."""
    if tags is not None and not isinstance(tags, (list, dict)) or (
            isinstance(tags, dict) and any(str(k).startswith("Fn::") for k in tags)):
        return ["the Tags are computed by intrinsic functions, so the ownership tags cannot be proven"]
    values = tag_values(tags)
    problems = []
    for name in settings.required_tags:
        if name not in values:
            problems.append(f"tag {name} is missing")
            continue
        rendered = resolver.render(values[name])
        if rendered is None or not _provably_non_empty(rendered):
            problems.append(f"tag {name} is computed by intrinsic functions and cannot be proven non-empty")
        elif not rendered.strip():
            problems.append(f"tag {name} is empty")
        else:
            pattern = settings.tag_pattern(name)
            if pattern is not None and ("${" in rendered or not pattern.fullmatch(rendered)):
                problems.append(f"tag {name} value {rendered!r} does not match the required pattern {pattern.pattern!r}")
    return problems


def _memoised_problems(tags: Any, ctx) -> list[str]:
    """tag_problems, once per distinct Tags value in a scan (stacks tag every resource alike). The verdict depends
    on the tags, the settings (one per scan, as the memo is) and the renderer, which reads the value alone; the
    tags are keyed exactly (guardrails/memo.py), or not at all."""
    key = exact_key(tags)
    if key is None:  # a type marshal does not take (cfn-lint's YAML nodes): judged each time
        return tag_problems(tags, ctx.settings, ctx.resolver)
    return list(ctx.memoised(("tag_problems", key), lambda: tuple(tag_problems(tags, ctx.settings, ctx.resolver))))


def tag_check(rule_of, noun: str):
    """The check both ownership-tag rules run: one finding listing every tag problem of the resource.

    `rule_of` returns the rule (it is defined after its check), `noun` names the resource in the message."""
    def check(resource, ctx):
        problems = _memoised_problems(resource.properties.get("Tags"), ctx)
        if not problems:
            return []
        return [rule_of().finding(resource, "Tags", f"{noun} {resource.logical_id}: " + "; ".join(problems))]
    return check
