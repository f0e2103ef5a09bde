"""BedrockGuardrails-KeyOwnershipTags: keys protecting governed resources carry the ownership tags."""

from guardrails.rules.base import PREFIX, Problem, Rule
from guardrails.rules.governed_types import KEY_TYPES
from guardrails.rules.guard_rendering import guard_key_rules, guard_purpose_kept_rules, tag_clauses
from guardrails.rules.live_facts import LiteralRender, unreadable
from guardrails.rules.ownership_tags import tag_check, tag_problems


def _live(subject, settings):
    facts = subject.facts
    denied = unreadable(facts, "ListResourceTags", RULE.id, "ownership tags")
    if denied:
        return denied
    tags = [{"Key": t.get("TagKey"), "Value": t.get("TagValue")} for t in facts.tags or []]
    problems = tag_problems(tags, settings, LiteralRender())
    return [Problem(RULE.id, "; ".join(problems))] if problems else []

RULE = Rule(
    id=PREFIX + "KeyOwnershipTags",
    title="Key carries ownership tags",
    explanation="A customer-managed key is only owned if someone is named as its owner: the tags route alarms, "
                "costs and access reviews.",
    remediation="Add the required tags with non-empty values to the key (WorkspaceKey takes owner, cost_center and "
                "data_classification).",
    resource_types=KEY_TYPES,
    check=tag_check(lambda: RULE, "key"),
    scope="key",
    live=_live,
    guard=lambda settings: [*guard_key_rules(RULE, settings, lambda props: tag_clauses(props, settings)),
                            *guard_purpose_kept_rules(RULE, settings)],
)
