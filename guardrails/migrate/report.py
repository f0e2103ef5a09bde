"""The run's report as text: what was planned or done, what failed, what differs, and the manual work.

What no API copies is always listed, whatever the domains hold (ALWAYS_MANUAL), next to what this run
found it could not copy: nothing is dropped without a line saying so.
"""

from __future__ import annotations

from guardrails.migrate.model import Catalog
from guardrails.migrate.run import DIFFERENCES, INTERRUPTED, MIGRATED, Outcome

ALWAYS_MANUAL = (
    ("lineage", "lineage events and graphs stay in the source domain; they are rebuilt as jobs and data sources run in the new one"),
    ("ids", "every id changes (domain, projects, assets, ...): scripts, bookmarks and IAM policies that name old ids need edits; "
            "the state file lists the new ids by name"),
    ("data", "the data itself stays in its sources (S3, Glue, Redshift); only its catalog metadata is copied"),
    ("not copied by this command", "domain unit owners and authorization policies (ListEntityOwners, ListPolicyGrants), "
                                   "data products, asset filters, published listings, V2 connections, custom blueprints, "
                                   "metadata rules and notebooks: set up again by hand where the source uses them"),
)


def _domain(catalog: Catalog) -> str:
    d = catalog.domain
    return f"{d.get('id')} ({d.get('name', '?')}, {catalog.version}, key: {d.get('kmsKeyIdentifier') or 'AWS-owned'})"


def manual_work(outcome: Outcome) -> list[str]:
    source, target = outcome.source, outcome.target
    count = source.subscriptions
    lines = [f"subscriptions and grants: {'an unknown number of' if count is None else count} subscription(s) and their grant "
             "history stay in the source: re-request and re-approve them in the new domain",
             f"portal URL: users move from {source.domain.get('portalUrl', '?')} to {target.domain.get('portalUrl', '?')}"]
    lines += [f"{what}: {why}" for what, why in ALWAYS_MANUAL]
    lines += [f"{m.label}: {m.reason}" for m in (outcome.plan.manual if outcome.plan else [])]
    lines += [f"could not read {what} in the source: {why}; inventory it by hand" for what, why in source.unreadable.items()]
    return lines


def render_text(outcome: Outcome) -> str:
    lines = [f"Source: {_domain(outcome.source)}", f"Target: {_domain(outcome.target)}"]
    if outcome.key:
        lines.append("Target key: customer-managed" + "".join(f"\n  warning: {w}" for w in outcome.key.warnings))
    plan = outcome.plan
    if plan is not None:
        lines += ["", f"Plan: {len(plan.steps)} to create or link, {len(plan.existing)} already in the target, "
                      f"{len(plan.manual)} left for manual work"]
        if not outcome.applying:  # an apply shows each step as it is done instead
            lines += [f"  {'create' if step.creates else 'link'}  {step.label}" for step in plan.steps]
        lines += [f"  exists  {step.label}" for step in plan.existing]
    applied = outcome.applied
    if applied is not None:
        lines += ["", f"Applied: {len(applied.done)} done now, {len(applied.resumed)} done by an earlier run, {len(applied.failed)} failed"]
        lines += [f"  failed  {step.label}: {why}" for step, why in applied.failed]
    elif plan is not None and not outcome.applying:
        lines += ["", "Dry run: nothing was changed. Rerun with --apply (and --state FILE) to make these changes."]
    if outcome.differences is not None:
        lines += ["", f"Verify: {len(outcome.differences)} difference(s)"] + [f"  {d}" for d in outcome.differences]
    if plan is not None or outcome.differences is None:
        lines += ["", "Manual work (not copied by any DataZone API):"] + [f"  - {line}" for line in manual_work(outcome)]
    lines += ["", "Result: " + _result(outcome)]
    return "\n".join(lines) + "\n"


def _result(outcome: Outcome) -> str:
    if outcome.stopped:
        resume = f"; resume with the same --state {outcome.state_path}" if outcome.state_path else ""
        return f"{outcome.stopped}{resume} (exit {outcome.exit_code})"
    if outcome.differences is None:
        return "planned (exit 0)"
    if outcome.exit_code == MIGRATED:
        return "migrated and verified (exit 0)" if outcome.plan else "the domains match (exit 0)"
    assert outcome.exit_code in (DIFFERENCES, INTERRUPTED)
    return f"differences remain (exit {outcome.exit_code})"
