"""Judge a deployed resource from AWS API responses, with the catalog's live checks.

Pure functions, no AWS calls: the Config rule handler (detective/) and `guardrails audit` gather what
the resource's API and KMS said (DescribeKey, GetKeyRotationStatus, ListResourceTags, GetKeyPolicy, or
the error of each call) into a `LiveSubject`, and both get the same `Verdict` from `judge`, which runs
every catalog rule's live check and names no rule: resource rules on the resource, key rules once the
resource's rules proved a customer-managed key (as the template checks judge the keys governed
resources point at). Rule ids are the catalog's, so a finding means the same thing at synth time, in
a scan, in Config and in an audit.

Fail closed: a call that failed (AccessDenied, a key in another account, throttling that never
cleared) never yields COMPLIANT; the reason names the call and the error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from collections import defaultdict
from typing import Any, Callable, Hashable, Iterable, Mapping

from guardrails import acknowledgments
from guardrails.rules import ACKNOWLEDGMENT_RULES, KEY_RULES, KEY_USAGE_RULES, RESOURCE_RULES
from guardrails.rules.base import KeyUse, Problem
from guardrails.rules.key_property_judgment import proves_customer_key, reference_problem
from guardrails.settings import Settings

COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE = "COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"
ANNOTATION_LIMIT = 256  # AWS Config's annotation length limit

__all__ = ["ANNOTATION_LIMIT", "COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "LiveKeyFacts", "LiveSubject", "Problem",
           "Verdict", "account_of", "judge", "key_identity", "key_usage_problems", "names_customer_key", "with_exception"]


@dataclass(frozen=True)
class LiveKeyFacts:
    """What the KMS APIs said about one key; `errors` maps an API name to the error it returned."""

    key_id: str
    describe: Mapping[str, Any] | None = None  # DescribeKey's KeyMetadata
    rotation: Mapping[str, Any] | None = None  # GetKeyRotationStatus's response
    tags: list[Mapping[str, str]] | None = None  # ListResourceTags' Tags (TagKey / TagValue)
    policy: str | None = None  # GetKeyPolicy's Policy (JSON text)
    errors: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LiveSubject:
    """One deployed resource as the live checks see it."""

    resource_type: str  # the CloudFormation type (or a live-only type such as Bedrock::CustomModel)
    key: str | None  # the key identifier the resource's API reports (None: an AWS-owned key)
    facts: LiveKeyFacts | None = None  # what KMS said about `key` (None when the identifier alone decides)
    tags: Mapping[str, str] | None = None  # the resource's own tags, where its API returns them
    error: str | None = None  # why the resource's key could not be read at all


@dataclass(frozen=True)
class Verdict:
    status: str
    problems: tuple[Problem, ...] = ()
    exception: str | None = None  # the accepted reason, when every problem is acknowledged (exception tag)

    @property
    def reason(self) -> str:
        text = "; ".join(p.message for p in self.problems) or "customer-managed key, enabled, rotated, owned, least-privilege"
        return f"accepted exception ({self.exception}): {text}" if self.exception else text

    def annotation(self, limit: int = ANNOTATION_LIMIT) -> str:
        text = self.reason
        return text if len(text) <= limit else text[: limit - 3] + "..."


def names_customer_key(identifier: str | None) -> bool:
    """Whether the identifier may name a customer-managed key, so that KMS must be asked about it."""
    return reference_problem(identifier) is None


def judge(subject: LiveSubject, settings: Settings) -> Verdict:
    """The verdict of every catalog rule's live check on one resource."""
    problems = [p for rule in RESOURCE_RULES if rule.live is not None and rule.applies_live(subject.resource_type)
                for p in rule.live(subject, settings)]
    if proves_customer_key(subject):
        problems += [p for rule in KEY_RULES if rule.live is not None for p in rule.live(subject, settings)]
    return Verdict(NON_COMPLIANT if problems else COMPLIANT, tuple(problems))


def with_exception(verdict: Verdict, resource_tags: Mapping[str, str] | None, settings: Settings, subject: str = "the resource") -> Verdict:
    """Apply the exception tag (guardrails/acknowledgments.py) to a verdict's problems.

    An accepted problem keeps its place (Config has no "excepted" state, and the data is still not on a
    compliant key) and carries the reason; reports and KPIs count it as an exception instead of an open
    finding. The verdict is an exception when every problem is accepted. A reason shorter than
    MIN_REASON is not honoured and adds an AcknowledgmentReason problem, as at synth time.
    """
    acks = acknowledgments.from_exception_tag(resource_tags, settings.exception_tag)
    if verdict.status != NON_COMPLIANT or not acks:
        return verdict
    problems: list[Problem] = []
    for problem in verdict.problems:
        ack = acknowledgments.most_specific(problem.rule_id, acks)
        refusals = [r for rule in ACKNOWLEDGMENT_RULES if ack is not None and (r := rule.live(problem, ack, subject)) is not None]
        if ack is None or refusals:
            problems += [problem, *refusals]
        else:
            problems.append(replace(problem, exception=ack.reason))
    accepted = {p.exception for p in problems}
    exception = accepted.pop() if len(accepted) == 1 and None not in accepted else None
    return Verdict(verdict.status, tuple(problems), exception)


def account_of(key_arn: str) -> str | None:
    match = re.match(r"^arn:[^:]+:kms:[^:]*:(\d{12}):", key_arn or "")
    return match.group(1) if match else None


def key_identity(identifier: str, facts: LiveKeyFacts | None) -> str:
    """The key a resource names, as KMS resolved it (DescribeKey's Arn: an alias or key id becomes the key ARN)."""
    return str(((facts.describe or {}) if facts else {}).get("Arn") or identifier)


def _use(key: str, resource: Any, tags: Mapping[str, str] | None, name: str, settings: Settings) -> KeyUse:
    if tags is None:
        return KeyUse(key, key, name, "tags not readable", site=resource, owner_unknown=True)
    return KeyUse(key, key, name, tags.get(settings.isolation_tag) or None, site=resource)


def key_usage_problems(resources: Iterable[Hashable], key_of: Callable[[Any], str | None],
                       tags_of: Callable[[Any], Mapping[str, str] | None], name_of: Callable[[Any], str],
                       settings: Settings) -> dict[Any, list[Problem]]:
    """The rules that judge how keys are shared (scope key_usage), over the resources of one account and region.

    `key_of` names a resource's customer-managed key (None: not on one); tags are read (`tags_of`, which may call
    AWS; None: unreadable, so the owner cannot be told) only for keys that more than one resource uses.
    Problems are keyed by resource."""
    by_key: dict[str, list[Any]] = defaultdict(list)
    for resource in resources:
        key = key_of(resource)
        if key:
            by_key[key].append(resource)
    uses = [_use(key, resource, tags_of(resource), name_of(resource), settings)
            for key, users in by_key.items() if len(users) > 1 for resource in users]
    problems: dict[Any, list[Problem]] = defaultdict(list)
    for rule in KEY_USAGE_RULES:
        if rule.live is not None:
            for site, _prop, message in rule.live(uses, settings):
                problems[site].append(Problem(rule.id, message))
    return dict(problems)

