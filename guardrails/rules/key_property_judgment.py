"""Judge one key property of a governed resource: shared by WorkspaceCMK and ResourceCMK."""

from __future__ import annotations

from typing import Any, Iterator

from guardrails.key_reference import NO_VALUE, KeyKind, KeyTarget
from guardrails.rules.base import Finding, Rule, RuleContext, Severity
from guardrails.rules.governed_types import KeyProperty
from guardrails.template import Resource

EXTERNAL_KEY = "ExternalKey"


def _intrinsic(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and any(isinstance(k, str) and (k.startswith("Fn::") or k == "Ref")
                                                               for k in value)


def _slots(value: Any, path: tuple[str, ...], prefix: str) -> Iterator[tuple[str, Any, tuple[str, ...]]]:
    """(property path for the report, container, remaining path), expanding "[]" list steps.

    Where an intrinsic (Fn::If, ...) stands on the way to a list, the whole value is one slot, so
    that the resolver expands or fails it: a list hidden behind an intrinsic is never skipped.
    """
    if "[]" not in path:
        yield prefix + ".".join(path), value, path
        return
    cut = path.index("[]")
    container: Any = value
    for step in path[:cut]:
        if container is None or container == NO_VALUE:
            return
        if _intrinsic(container) or not isinstance(container, dict):
            yield prefix + ".".join(path).replace(".[]", "[]"), value, path
            return
        container = container.get(step)
    if container is None or container == NO_VALUE:
        return
    if isinstance(container, list):
        for index, item in enumerate(container):
            yield from _slots(item, path[cut + 1:], f"{prefix}{'.'.join(path[:cut])}[{index}].")
    else:
        yield prefix + ".".join(path).replace(".[]", "[]"), value, path


def _present(properties: Any, path: tuple[str, ...]) -> bool:
    """Whether the object `path` names may be present: an intrinsic on the way counts as present."""
    value = properties
    for step in path:
        if _intrinsic(value) and value != NO_VALUE:
            return True
        if not isinstance(value, dict) or value.get(step) is None:
            return False
        value = value[step]
    return True


def _selected(properties: Any, required_when: tuple[tuple[str, ...], str] | None) -> bool:
    """Whether the value at the path is the given string, or may be (an intrinsic on the way)."""
    if required_when is None:
        return False
    value = properties
    for step in required_when[0]:
        if _intrinsic(value):
            return value != NO_VALUE
        if not isinstance(value, dict):
            return False
        value = value.get(step)
    return value == required_when[1] or (_intrinsic(value) and value != NO_VALUE)


def judge(rule: Rule, resource: Resource, ctx: RuleContext, key_property: KeyProperty, *, workspace: bool) -> list[Finding]:
    if key_property.applies_when and not _present(resource.properties, key_property.applies_when) \
            and not _selected(resource.properties, key_property.required_when):
        return []
    findings = []
    for prop, container, path in _slots(resource.properties, key_property.path, ""):
        targets = ctx.resolver.resolve_property(container, path, arn_required=key_property.arn_required)
        for target in targets:
            ctx.note_protection(target, workspace)
        failing = [t for t in targets if not t.passes]
        if failing:
            findings.append(rule.finding(resource, prop, _message(resource, prop, failing, len(targets))))
        external = [t for t in targets if t.passes and t.kind is KeyKind.KEY_ARN]
        if external and not failing:
            findings.append(rule.finding(
                resource, prop, f"{prop} is {external[0].reason}, a key outside the scanned templates: the key rules "
                "(rotation, deletion window, retention, policy, tags) cannot check it here",
                detail=EXTERNAL_KEY, severity=Severity.INFO,
                remediation="Check that key with `guardrails audit`, or define it in a scanned template (WorkspaceKey)."))
    return findings


def _message(resource: Resource, prop: str, failing: list[KeyTarget], total: int) -> str:
    what = "workspace (DataZone domain)" if resource.type == "AWS::DataZone::Domain" else resource.type
    reasons = "; ".join(dict.fromkeys(t.form_error or t.reason for t in failing))
    branch = f" ({len(failing)} of {total} possible values fail)" if total > 1 else ""
    return f"{what} {resource.logical_id}: {prop} is not provably a customer-managed key{branch}: {reasons}"
