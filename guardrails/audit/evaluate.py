"""One resource plus its key facts -> findings, through the same live judge (and with_exception) the
Config rule uses."""

from __future__ import annotations

from typing import Callable, Iterable, Mapping

from guardrails.audit.model import COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, Finding, Resource
from guardrails.live_verdict import LiveKeyFacts, LiveSubject, Problem, Verdict, judge, names_customer_key, with_exception
from guardrails.rules import RESOURCE_RULES
from guardrails.settings import Settings

TagsOf = Callable[[], Mapping[str, str] | None]  # the resource's tags, read only when they can matter


def cmk_rule(resource: Resource) -> str:
    """The rule whose verdict a COMPLIANT or NOT_APPLICABLE finding reports: the one judging the key property."""
    return next(rule.id for rule in RESOURCE_RULES if rule.coverage and rule.applies_live(resource.resource_type))


def _finding(resource: Resource, settings: Settings, status: str, rule: str, reason: str, on_cmk: bool = False,
             exception: str | None = None, tags: Mapping[str, str] | None = None) -> Finding:
    owner = (tags if tags is not None else resource.tags or {}).get(settings.isolation_tag)  # coverage by owner
    return Finding(resource.arn, resource.resource_type, resource.name, resource.account, resource.region,
                   status, rule, reason, resource.key, on_cmk, exception, owner)


def findings_for(resource: Resource, facts: LiveKeyFacts | None, settings: Settings,
                 tags_of: TagsOf = lambda: None) -> list[Finding]:
    """COMPLIANT: one finding; NON_COMPLIANT: one finding per problem (granular rule ids), each carrying
    the exception reason when the resource is tagged as an accepted exception (tags_of is called only then)."""
    if not resource.applicable:
        return [_finding(resource, settings, NOT_APPLICABLE, cmk_rule(resource), "holds no data under a key of its own")]
    verdict = judge(LiveSubject(resource.resource_type, resource.key, facts, resource.tags), settings)
    on_cmk = (names_customer_key(resource.key) and facts is not None
              and (facts.describe or {}).get("KeyManager") == "CUSTOMER")
    if verdict.status == COMPLIANT:
        return [_finding(resource, settings, COMPLIANT, cmk_rule(resource), verdict.reason, on_cmk)]
    return problem_findings(resource, verdict.problems, on_cmk, tags_of(), settings)


def problem_findings(resource: Resource, problems: Iterable[Problem], on_cmk: bool, tags: Mapping[str, str] | None,
                     settings: Settings) -> list[Finding]:
    """NON_COMPLIANT findings for problems, with the resource's exception tag applied."""
    verdict = with_exception(Verdict(NON_COMPLIANT, tuple(problems)), tags, settings, resource.arn)
    return [_finding(resource, settings, NON_COMPLIANT, p.rule_id, p.message, on_cmk, p.exception, tags)
            for p in verdict.problems]


def needs_key_facts(resource: Resource) -> bool:
    return resource.applicable and names_customer_key(resource.key)
