"""Acknowledgments (accepted exceptions), read the same way wherever they are written.

Sources: CDK's `Validations.of(c).acknowledge(...)` (cloud assembly metadata, on a construct path and
every scope above it), template Metadata (`cdk_nag.rules_to_suppress`, `guardrails.acknowledged`) on a
resource or on the whole template, and the exception tag on a deployed resource (Settings.exception_tag).

One set of rules everywhere:
- ids are normalised: `Annotation::X`, `<plugin>::X` and `X` all name X;
- an id names exactly the findings reported with it: a granular finding `X[Detail]` is acknowledged by
  its own id, not by `X` (as in cdk-nag v3); the exception tag's plain reason covers every finding of
  its resource;
- the most specific acknowledgment decides: the closest scope (resource over construct path depth over
  template or stack), then the named id over the exception tag's every-finding reason;
- a reason shorter than MIN_REASON characters is not honoured and is itself a finding
  (BedrockGuardrails-AcknowledgmentReason), at synth, in a scan, in Config and in the audit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

MIN_REASON = 10
EVERY_RULE = "*"  # the exception tag's plain reason: every rule of the resource
RESOURCE_SCOPE = 1_000  # Metadata on the resource itself: closer than any construct path
TEMPLATE_SCOPE = 0
_TAGGED_ID = re.compile(r"^\s*(?P<id>[A-Za-z0-9-]+(?:\[[A-Za-z0-9]+\])?)\s*:\s*(?P<reason>.*)$", re.S)


@dataclass(frozen=True)
class Acknowledgment:
    """An accepted exception: a rule id (possibly with `[detail]`) and the reason given for it."""

    rule_id: str
    reason: str
    source: str  # where it was declared: "cdk", "cdk-nag metadata", "template metadata", "exception tag"
    scope: int = TEMPLATE_SCOPE  # how close to the resource it was declared: the higher, the more specific

    @property
    def honoured(self) -> bool:
        return len(self.reason.strip()) >= MIN_REASON


def normalise(rule_id: str) -> str:
    """`Annotation::X`, `<plugin>::X` and plain `X` all name rule X."""
    return rule_id.rsplit("::", 1)[-1].strip()


def _id_match(acknowledged: str, finding_id: str) -> int | None:
    """How exactly an acknowledged id names a finding's id: 1 by its id, 0 as every finding, None not at all."""
    acknowledged = normalise(acknowledged)
    if acknowledged == finding_id:
        return 1
    return 0 if acknowledged == EVERY_RULE else None


def most_specific(finding_id: str, acknowledgments: Iterable[Acknowledgment]) -> Acknowledgment | None:
    """The acknowledgment that decides for a finding (first declared wins a tie), or None."""
    best, rank = None, None
    for ack in acknowledgments:
        match = _id_match(ack.rule_id, finding_id)
        if match is not None and (rank is None or (ack.scope, match) > rank):
            best, rank = ack, (ack.scope, match)
    return best


def from_metadata(metadata: Any, scope: int = TEMPLATE_SCOPE) -> list[Acknowledgment]:
    """cdk-nag's `cdk_nag.rules_to_suppress` and our `guardrails.acknowledged` lists of a Metadata block."""
    if not isinstance(metadata, dict):
        return []
    found: list[Acknowledgment] = []
    for key, source in (("cdk_nag", "cdk-nag metadata"), ("guardrails", "template metadata")):
        block = metadata.get(key)
        if not isinstance(block, dict):
            continue
        entries = block.get("rules_to_suppress" if key == "cdk_nag" else "acknowledged")
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                reason = entry.get("reason")
                found.append(Acknowledgment(entry["id"], reason if isinstance(reason, str) else "", source, scope))
    return found


def from_cdk(data: Mapping[str, Any], scope: int = TEMPLATE_SCOPE) -> list[Acknowledgment]:
    """The `aws:cdk:acknowledged-rules` metadata entry's data: id -> reason."""
    return [Acknowledgment(rule_id, reason if isinstance(reason, str) else "", "cdk", scope) for rule_id, reason in data.items()]


def from_construct_paths(by_path: Mapping[str, list[Acknowledgment]], construct_path: str | None) -> list[Acknowledgment]:
    """CDK acknowledgments on a construct and every scope above it, each ranked by its depth."""
    if not construct_path:
        return []
    parts = construct_path.strip("/").split("/")
    found: list[Acknowledgment] = []
    for depth in range(1, len(parts) + 1):
        found.extend(Acknowledgment(a.rule_id, a.reason, a.source, depth)
                     for a in by_path.get("/" + "/".join(parts[:depth]), ()))
    return found


def from_exception_tag(tags: Mapping[str, str] | None, tag_name: str) -> list[Acknowledgment]:
    """The exception tag on a deployed resource: `reason` (every rule) or `<rule id>: reason` (that rule)."""
    value = (tags or {}).get(tag_name)
    if not isinstance(value, str) or not value.strip():
        return []
    tagged = _TAGGED_ID.match(value)
    if tagged and tagged.group("id").startswith("BedrockGuardrails-"):
        return [Acknowledgment(tagged.group("id"), tagged.group("reason").strip(), "exception tag", RESOURCE_SCOPE)]
    return [Acknowledgment(EVERY_RULE, value.strip(), "exception tag", RESOURCE_SCOPE)]


def too_short(finding_id: str, subject: str, ack: Acknowledgment) -> str:
    """The AcknowledgmentReason message for an acknowledgment whose reason is too short to honour."""
    return (f"the acknowledgment of {finding_id} on {subject} ({ack.source}) has the reason {ack.reason!r}, "
            f"shorter than {MIN_REASON} characters, so it is not honoured")
