"""BedrockGuardrails-WorkspaceOwnershipTags: the workspace carries the required ownership tags."""

from guardrails.rules.base import PREFIX, Problem, Rule
from guardrails.rules.guard_rendering import guard_tag_rules
from guardrails.rules.live_facts import LiteralRender
from guardrails.rules.governed_types import WORKSPACE_TYPE
from guardrails.rules.ownership_tags import tag_check, tag_problems


def _live(subject, settings):
    """GetDomain returns the domain's tags (botocore datazone model: GetDomainOutput.tags, a map)."""
    if subject.tags is None:
        return [Problem(RULE.id, "cannot verify ownership tags: the workspace's tags were not read")]
    problems = tag_problems(dict(subject.tags), settings, LiteralRender())
    return [Problem(RULE.id, "; ".join(problems))] if problems else []

RULE = Rule(
    id=PREFIX + "WorkspaceOwnershipTags",
    title="Workspace carries ownership tags",
    explanation="Ownership tags (by default Owner, CostCenter, DataClassification) say who answers for a workspace "
                "and its data; auditors and the KPI dashboard key on them.",
    remediation="Add the required tags with non-empty values to the domain's Tags (CompliantWorkspace sets them).",
    resource_types=(WORKSPACE_TYPE,),
    check=tag_check(lambda: RULE, "workspace"),
    live=_live,
    guard=lambda settings: guard_tag_rules(RULE, settings),
)
