"""From two catalogs to an ordered plan: the target calls still to make, what exists already, what is manual.

Kinds are read and planned in dependency order (what is referenced first). Three checks apply to every
step alike: a step whose item already exists in the target (same natural key) is skipped, so a rerun
creates nothing twice; a step missing a required input (by botocore's model) or referring to an item
that will not exist in the target becomes manual work, and so do the steps that depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from guardrails.migrate.context import PlanContext
from guardrails.migrate.kinds import catalog, environments, glossaries, memberships, projects, types
from guardrails.migrate.model import Catalog, Manual, Ref, Step
from guardrails.migrate.reader import Reader

READERS = (projects.read, memberships.read, glossaries.read, types.read, environments.read, catalog.read)
PLANNERS = (environments.plan_configurations, projects.plan, memberships.plan, glossaries.plan, types.plan,
            environments.plan, catalog.plan)


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)  # still to do, in order
    existing: list[Step] = field(default_factory=list)  # already in the target: skipped
    manual: list[Manual] = field(default_factory=list)


def read_catalog(reader: Reader) -> Catalog:
    for read in READERS:
        read(reader)
    subscriptions = reader.attempt("subscriptions", lambda: reader.all("list_subscriptions", "items"), None)
    reader.catalog.subscriptions = None if subscriptions is None else len(subscriptions)
    return reader.catalog


def refs_in(value: Any) -> Iterator[Ref]:
    if isinstance(value, Ref):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from refs_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from refs_in(item)


def build_plan(context: PlanContext) -> Plan:
    plan, available = Plan(), set(context.target.records)
    for planner in PLANNERS:
        for item in planner(context):
            if isinstance(item, Manual):
                plan.manual.append(item)
            elif item.creates in context.source.ambiguous:
                plan.manual.append(Manual(item.operation, item.label, f"{context.source.ambiguous[item.creates]} items in the "
                                          "source share this name, so no copy can be paired with its original: copy them by hand"))
            elif item.creates and item.creates in context.target.records:
                plan.existing.append(item)
            elif reason := _blocked(item, available, context):
                plan.manual.append(Manual(item.operation, item.label, reason))
            else:
                plan.steps.append(item)
                available.add(item.creates or item.key)
    return plan


def _blocked(step: Step, available: set[str], context: PlanContext) -> str | None:
    missing = sorted({ref.key for ref in refs_in(step.params) if ref.key not in available and not ref.optional})
    if missing:
        return f"needs {', '.join(missing)}, which will not exist in the target"
    required = context.service_model.operation_model(step.operation).input_shape.required_members
    absent = [name for name in required if name != "domainIdentifier" and name not in step.params]
    return f"the source does not say its {', '.join(absent)}" if absent else None
