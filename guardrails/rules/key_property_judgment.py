"""Judge one key property of a governed resource: shared by WorkspaceCMK and ResourceCMK.

`judge` is the template check (the key reference as written); `judge_live` the live check (the key
identifier the resource's API reports, and what KMS said about that key).
"""

from __future__ import annotations

from typing import Any, Iterator

from guardrails.key_reference import NO_VALUE, KeyKind, KeyTarget
from guardrails.kms_identifiers import ALIAS, KEY_ARN, KEY_ID
from guardrails.rules.base import Finding, Problem, Rule, RuleContext, Severity
from guardrails.rules.governed_types import KeyProperty
from guardrails.template import Resource

EXTERNAL_KEY = "ExternalKey"
UNVERIFIABLE = "Unverifiable"  # live only: a call failed, so the key cannot be proven customer-managed
KEY_NOT_ENABLED = "KeyNotEnabled"  # live only: the key is disabled or pending deletion
LIVE_DETAILS = (UNVERIFIABLE, KEY_NOT_ENABLED)


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


def judge(rule: Rule, resource: Resource, ctx: RuleContext, key_property: KeyProperty) -> list[Finding]:
    if key_property.applies_when and not _present(resource.properties, key_property.applies_when) \
            and not _selected(resource.properties, key_property.required_when):
        return []
    findings = []
    for prop, container, path in _slots(resource.properties, key_property.path, ""):
        targets = ctx.resolver.resolve_property(container, path, arn_required=key_property.arn_required)
        for target in targets:
            ctx.note_protection(target, prop)
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


def reference_problem(identifier: str | None) -> str | None:
    """Why the identifier alone proves the resource is not on a customer-managed key (None: ask KMS)."""
    if not identifier:
        return "no customer-managed key: encrypted with an AWS-owned key"
    alias = ALIAS.match(identifier)
    if alias and alias.group("name").startswith("aws/"):
        return f"uses the AWS-managed key {identifier}"
    if not (KEY_ARN.match(identifier) or KEY_ID.match(identifier) or alias):
        return f"{identifier!r} is not a KMS key identifier"
    return None


def proves_customer_key(subject: Any) -> bool:
    """DescribeKey answered for the named key and KMS says the customer manages it: the key rules apply."""
    facts = subject.facts
    return (reference_problem(subject.key) is None and facts is not None and not facts.errors.get("DescribeKey")
            and facts.describe is not None and facts.describe.get("KeyManager") == "CUSTOMER")


def judge_live(rule: Rule, subject: Any, *, workspace: bool) -> list[Problem]:
    """The live check of a key property: the identifier, then DescribeKey (fails closed on any error)."""
    if subject.error:
        return [Problem(f"{rule.id}[{UNVERIFIABLE}]", f"cannot read the key: {subject.error}")]
    reference = reference_problem(subject.key)
    if reference is not None:
        fixed = " (fixed at creation: create a new workspace on a CMK and migrate)" if workspace and not subject.key else ""
        return [Problem(rule.id, reference + fixed)]
    facts = subject.facts
    describe_error = facts.errors.get("DescribeKey") if facts is not None else "no facts gathered"
    if describe_error or facts.describe is None:
        return [Problem(f"{rule.id}[{UNVERIFIABLE}]", f"cannot prove {subject.key} is customer-managed: "
                                                     f"DescribeKey failed ({describe_error or 'no response'})")]
    meta = facts.describe
    if meta.get("KeyManager") != "CUSTOMER":
        return [Problem(rule.id, f"key {meta.get('KeyId', subject.key)} is {meta.get('KeyManager', 'not')} managed, "
                                 "not customer-managed")]
    state = meta.get("KeyState")
    if state != "Enabled":
        when = f" (deletion on {meta['DeletionDate']})" if meta.get("DeletionDate") else ""
        return [Problem(f"{rule.id}[{KEY_NOT_ENABLED}]", f"key is {state}{when}: the data it protects is unreadable or about to be")]
    return []
