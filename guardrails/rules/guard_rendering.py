"""How a rule renders itself as Guard rules for the Guard hook (guardrails/preventive/guard_rules.py
assembles the file from the catalog; it names no rule).

Every block is rendered for both input shapes AWS's page "Write Guard rules to evaluate resources for
Guard Hooks" shows: `Type`/`Properties` (a template, what `cfn-guard validate` sees) and
`ResourceType`/`ResourceProperties` (the hook's resource input: one resource, values resolved). Guard
rule names start with the catalog rule's short name, which is how a Guard failure maps back to the
catalog id. Pure text: nothing here runs Guard.
"""

from __future__ import annotations

import re
from typing import Callable

from guardrails.rules.governed_types import BEDROCK_KEY_PROPERTIES, KEY_TYPES, WORKSPACE_KEY, KeyProperty

SHAPES = (("Type", "Properties"), ("ResourceType", "ResourceProperties"))


def guard_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def _ident(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", text)


def query(path: tuple[str, ...]) -> str:
    return ".".join("'" + step + "'" if ":" in step else step for step in path)


def _key_check(props: str, prop: KeyProperty) -> str:
    """Clauses, inside a per-resource block, that judge one key property (lists become nested blocks)."""
    call = "bg_cmk_arn" if prop.arn_required else "bg_cmk_any"
    if "[]" not in prop.path:
        return f"    {call}({props}.{query(prop.path)})"
    cut = prop.path.index("[]")
    outer, inner = query(prop.path[:cut]), prop.path[cut + 1:]
    if "[]" in inner:
        raise ValueError(f"{prop.resource_type}.{prop.dotted}: nested lists are not rendered")
    return (f"    when {props}.{outer} !empty {{\n      {props}.{outer}[*] {{\n"
            f"        {call}({query(inner)})\n      }}\n    }}")


def guard_cmk_rules(rule, props_list: list[KeyProperty]) -> list[str]:
    """One Guard rule per key property and shape: the property holds a customer-managed key."""
    out = []
    seen: dict[str, int] = {}
    for prop in props_list:
        # Stable names (the cfn-guard test files use them): type, plus a counter for its second key property on.
        count = seen[prop.resource_type] = seen.get(prop.resource_type, 0) + 1
        name = f"{rule.short_name}_{_ident(prop.resource_type.split('::', 1)[1])}" + (f"_{count}" if count > 1 else "")
        for type_key, props in SHAPES:
            var = f"bg_{_ident(name)}_{type_key}"
            selector = f"Resources.*[ {type_key} == '{prop.resource_type}' ]"
            if prop.applies_when:
                selector = f"Resources.*[ {type_key} == '{prop.resource_type}'\n    {props}.{query(prop.applies_when)} exists ]"
            out.append(f"let {var} = {selector}\nrule {name}_{type_key} when %{var} !empty {{\n"
                       f"  %{var} {{\n{_key_check(props, prop)}\n  }}\n}}\n")
    return out


def int_at_most(maximum: int) -> str:
    """A regex for a decimal string (leading zeros allowed) whose value is 0..maximum."""
    digits = str(maximum)
    parts = [f"[0-9]{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for i, d in enumerate(digits):
        if d != "0":
            parts.append(digits[:i] + (f"[0-{int(d) - 1}]" if i < len(digits) else "") + "[0-9]" * (len(digits) - i - 1))
    parts.append(digits)
    return "^0*(" + "|".join(parts) + ")$"


def tag_clauses(props: str, settings) -> str:
    lines = [f"    {props}.Tags is_list"]
    for tag, pattern in settings.required_tags.items():
        entry = f"{props}.Tags[ Key == '{tag}' ]"
        # `some` below passes on a missing tag; this clause names the Tags path when it fails
        lines.append(f"    some {props}.Tags[*].Key == '{tag}'")
        # Only a literal value proves a tag: intrinsic values fail closed, as in the catalog.
        value = f"/^(?:{pattern})$/" if pattern else "/\\S/"
        lines.append(f"    some {entry}.Value == {value}")
    return "\n".join(lines)


def guard_tag_rules(rule, settings) -> list[str]:
    """The resource's Tags carry every required tag with a literal value matching its pattern."""
    out = []
    for resource_type in rule.resource_types:
        for type_key, props in SHAPES:
            var = f"bg_{rule.short_name}_{type_key}"
            selector = f"Resources.*[ {type_key} == '{resource_type}' ]"
            out.append(f"let {var} = {selector}\nrule {rule.short_name}_{type_key} when %{var} !empty {{\n"
                       f"  %{var} {{\n{tag_clauses(props, settings)}\n  }}\n}}\n")
    return out


# -- keys ------------------------------------------------------------------------------------------
# Which keys the key rules judge, per shape. In a template, the keys a governed resource points at (as
# the catalog does) and the keys carrying the workspace-key purpose tag (the catalog governs those
# wherever they are used). A hook's resource input holds one resource and no references, so there only
# the purpose tag can say a key is governed: the tagged collections serve both hook shapes.

def _key_references(prop: KeyProperty) -> list[str]:
    """Template queries for the logical ids a governed key property points at (Ref / GetAtt, in Fn::If too)."""
    if "[]" in prop.path:
        cut = prop.path.index("[]")
        base = f"{query(prop.path[:cut])}[*].{query(prop.path[cut + 1:])}"
    else:
        base = query(prop.path)
    where = f"Properties.{base}"
    queries = []
    for value in (where, f"{where}.'Fn::If'[1]", f"{where}.'Fn::If'[2]"):
        queries.append(f"Resources.*[ Type == '{prop.resource_type}'\n    {value}.'Fn::GetAtt'[1] in ['Arn', 'KeyId'] ]"
                       f".{value}.'Fn::GetAtt'[0]")
        # Fn::GetAtt in its string form ("Key.Arn", what YAML's !GetAtt Key.Arn gives)
        queries.append(f"Resources.*[ Type == '{prop.resource_type}'\n    {value}.'Fn::GetAtt' == /^[A-Za-z0-9]+[.](Arn|KeyId)$/ ]"
                       f".{value}.'Fn::GetAtt'")
        queries.append(f"Resources.*[ Type == '{prop.resource_type}'\n    {value}.Ref is_string ].{value}.Ref")
    return queries


_REFERENCES = [q for prop in (WORKSPACE_KEY, *BEDROCK_KEY_PROPERTIES) for q in _key_references(prop)]


def key_collections(settings) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The `let` lines defining the key collections, and (variable, type key, properties key) per collection."""
    tag_key, tag_value = settings.workspace_key_tag
    lets = [f"let bg_ref_{i} = {q}" for i, q in enumerate(_REFERENCES)]
    lets += [f"let bg_refname_{i} = regex_replace(%bg_ref_{i}, \"^([A-Za-z0-9]+)[.](Arn|KeyId)$\", \"$1\")"
             for i, q in enumerate(_REFERENCES) if "'Fn::GetAtt' ==" in q]
    collections: list[tuple[str, str, str]] = []
    for i, q in enumerate(_REFERENCES):
        names = f"%bg_refname_{i}" if "'Fn::GetAtt' ==" in q else f"%bg_ref_{i}"
        lets.append(f"let bg_keys_{i} = Resources[ keys in {names} ]")
        collections.append((f"bg_keys_{i}", "Type", "Properties"))
    for suffix, type_key, props in (("tagged", "Type", "Properties"), ("hook", "ResourceType", "ResourceProperties")):
        lets.append(f"let bg_keys_{suffix} = Resources.*[ {type_key} in {guard_list(KEY_TYPES)}\n    some {props}.Tags[*] "
                    f"{{ Key == '{tag_key}' Value == '{tag_value}' }} ]")
        collections.append((f"bg_keys_{suffix}", type_key, props))
    return lets, collections


def guard_key_rules(rule, settings, clauses: Callable[[str], str]) -> list[str]:
    """A key rule over every key collection: `clauses(props)` judges one key."""
    _, collections = key_collections(settings)
    check = f"bg_key_{_ident(rule.short_name)}"
    out = [f"rule {check}_{props}(keys) {{\n  %keys {{\n{clauses(props)}\n  }}\n}}\n" for props in ("Properties", "ResourceProperties")]
    for var, type_key, props in collections:
        out.append(f"rule {rule.short_name}_{var.removeprefix('bg_keys_')} when %{var} !empty {{ "
                   f"{check}_{props}(%{var}[ {type_key} in {guard_list(rule.resource_types)} ]) }}")
    return out


def guard_purpose_kept_rules(rule, settings) -> list[str]:
    """An UPDATE may not take the purpose tag off a workspace key: every SCP key protection hangs on that tag.

    The hook's resource input for an UPDATE carries the previous properties under
    `Previous.<LogicalId>.ResourceType / ResourceProperties` (CloudFormation Hooks User Guide, "Write Guard rules
    to evaluate resources for Guard Hooks", "Guard resource input syntax"). A template (no `Previous`) skips."""
    tag_key, tag_value = settings.workspace_key_tag
    name = _ident(rule.short_name)
    tagged = f"{{ Key == '{tag_key}' Value == '{tag_value}' }}"
    return [
        f"let bg_keys_previously_tagged = Previous.*[ ResourceType in {guard_list(KEY_TYPES)}\n"
        f"    some ResourceProperties.Tags[*] {tagged} ]",
        *[f"rule bg_{name}_purpose_{props}(r) {{\n  some %r.{props}.Tags[*] {tagged}\n}}" for _, props in SHAPES],
        f"rule {rule.short_name}_purpose_kept when %bg_keys_previously_tagged !empty {{\n"
        f"  let now = Resources.*[ ResourceType in {guard_list(KEY_TYPES)} or Type in {guard_list(KEY_TYPES)} ]\n"
        f"  %now !empty\n"
        f"  %now {{\n"
        f"    bg_{name}_purpose_ResourceProperties(this) or bg_{name}_purpose_Properties(this)\n"
        f"  }}\n}}\n",
    ]
