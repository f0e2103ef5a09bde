"""The Python catalog's verdict per (logical id, rule id), for comparison with the Guard rules."""

from __future__ import annotations

from guardrails.key_reference import KeyResolver
from guardrails.preventive.guard_rules import RULE_IDS
from guardrails.rules import CATALOG, RuleContext, Severity
from guardrails.settings import Settings
from guardrails.template import Template

COMPARED = set(RULE_IDS.values())


def catalog_failures(template: Template, settings: Settings) -> set[tuple[str, str]]:
    """Resource rules first (they note which keys protect governed resources), then key rules on those keys."""
    ctx = RuleContext(settings, KeyResolver(template))
    failures = set()
    for scope in ("resource", "key"):
        for rule in (r for r in CATALOG if r.scope == scope and r.id in COMPARED):
            for resource in template.resources(*rule.resource_types):
                if scope == "key" and (template.path, resource.logical_id) not in ctx.protected_keys:
                    continue
                for finding in rule.check(resource, ctx):
                    if finding.severity is not Severity.INFO:
                        failures.add((resource.logical_id, rule.id))
    return failures
