"""The rule catalog: one module per rule. Ids are stable: tools and people key on them."""

from guardrails.rules import (
    acknowledgment_reason, input_coverage, key_deletion_window, key_owner_isolation, key_ownership_tags, key_policy_least_privilege,
    key_retention, key_rotation, key_spec, resource_cmk, workspace_cmk, workspace_ownership_tags,
)
from guardrails.rules.base import PREFIX, Finding, Rule, RuleContext, Severity

CATALOG: tuple[Rule, ...] = (
    workspace_cmk.RULE,
    resource_cmk.RULE,
    key_rotation.RULE,
    key_deletion_window.RULE,
    key_retention.RULE,
    key_spec.RULE,
    key_policy_least_privilege.RULE,
    key_ownership_tags.RULE,
    key_owner_isolation.RULE,
    workspace_ownership_tags.RULE,
    acknowledgment_reason.RULE,
    input_coverage.RULE,
)
RULES_BY_ID = {rule.id: rule for rule in CATALOG}
RESOURCE_RULES = tuple(r for r in CATALOG if r.scope == "resource")
KEY_RULES = tuple(r for r in CATALOG if r.scope == "key")
KEY_USAGE_RULES = tuple(r for r in CATALOG if r.scope == "key_usage")
META_RULES = tuple(r for r in CATALOG if r.scope == "meta")
ACKNOWLEDGMENT_RULES = tuple(r for r in CATALOG if r.scope == "acknowledgment")


def reportable_ids() -> list[str]:
    """Every id the template checks (synth, scan) can report, granular ones included."""
    return [rid for rule in CATALOG for rid in (rule.id, *(f"{rule.id}[{d}]" for d in rule.details))]


def live_ids() -> list[str]:
    """Every id the live checks (Config rule, audit) can report, live-only granular ids included."""
    return [rid for rule in CATALOG if rule.live is not None
            for rid in (rule.id, *(f"{rule.id}[{d}]" for d in (*rule.details, *rule.live_details)))]


__all__ = ["CATALOG", "RULES_BY_ID", "RESOURCE_RULES", "KEY_RULES", "KEY_USAGE_RULES", "META_RULES", "ACKNOWLEDGMENT_RULES", "PREFIX", "Finding", "Rule",
           "RuleContext", "Severity", "reportable_ids", "live_ids"]
