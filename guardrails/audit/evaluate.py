"""One resource plus its key facts -> findings, through the same judge_key (and with_exception) the
Config rule uses."""

from __future__ import annotations

from typing import Callable, Mapping

from guardrails.audit.model import COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, Finding, Resource
from guardrails.live_verdict import LiveKeyFacts, judge_key, key_reference_problem, with_exception
from guardrails.rules import resource_cmk, workspace_cmk
from guardrails.settings import Settings

TagsOf = Callable[[], Mapping[str, str] | None]  # the resource's tags, read only when they can matter
OWNER_TAG = "Owner"  # which team is behind a resource: the HTML report's coverage by owner


def cmk_rule(resource: Resource) -> str:
    return workspace_cmk.RULE.id if resource.workspace else resource_cmk.RULE.id


def findings_for(resource: Resource, facts: LiveKeyFacts | None, settings: Settings,
                 tags_of: TagsOf = lambda: None) -> list[Finding]:
    """COMPLIANT: one finding; NON_COMPLIANT: one finding per problem (granular rule ids), each carrying
    the exception reason when the resource is tagged as an accepted exception (tags_of is called only then)."""
    def finding(status: str, rule: str, reason: str, on_cmk: bool = False, exception: str | None = None,
                tags: Mapping[str, str] | None = resource.tags) -> Finding:
        return Finding(resource.arn, resource.resource_type, resource.name, resource.account, resource.region,
                       status, rule, reason, resource.key, on_cmk, exception, (tags or {}).get(OWNER_TAG))

    if not resource.applicable:
        return [finding(NOT_APPLICABLE, cmk_rule(resource), "holds no data under a key of its own")]
    verdict = judge_key(resource.key, facts, settings, workspace=resource.workspace)
    on_cmk = (key_reference_problem(resource.key, workspace=resource.workspace) is None and facts is not None
              and (facts.describe or {}).get("KeyManager") == "CUSTOMER")
    if verdict.status == COMPLIANT:
        return [finding(COMPLIANT, cmk_rule(resource), verdict.reason, on_cmk)]
    tags = tags_of()
    verdict = with_exception(verdict, tags, settings)
    return [finding(NON_COMPLIANT, p.rule_id, p.message, on_cmk, verdict.exception, tags) for p in verdict.problems]


def needs_key_facts(resource: Resource) -> bool:
    return resource.applicable and key_reference_problem(resource.key, workspace=resource.workspace) is None
