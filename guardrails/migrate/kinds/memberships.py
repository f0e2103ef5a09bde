"""Project memberships (users and groups), identities mapped by identities.py.

ListProjectMemberships gives profile ids, which differ per domain; the record's key names the identity
instead, so verify pairs "alice owns team-0" across domains. A member with no profile in the target is
manual work (assign them to the new domain in IAM Identity Center, then rerun), never skipped quietly.
"""

from __future__ import annotations

from typing import Iterable

from guardrails.migrate.context import PlanContext
from guardrails.migrate.identities import identity_of
from guardrails.migrate.model import Manual, Record, Ref, Step
from guardrails.migrate.reader import Reader


def read(reader: Reader) -> None:
    catalog, identities = reader.catalog, {}
    for project in catalog.of_kind("project"):
        name = project.data["name"]
        for member in reader.attempt(f"members of project {name}", lambda: reader.all(
                "list_project_memberships", "members", projectIdentifier=project.id), []):
            identity = identity_of(reader, member.get("memberDetails", {}), identities)
            key = f"membership:{name}/{identity}"
            catalog.add(Record("membership", key, f"{identity.split(':', 1)[0]} {identity.split(':', 1)[1]} in project {name}",
                               key, member, {"designation": member.get("designation")}))


def plan(context: PlanContext) -> Iterable[Step | Manual]:
    for membership in context.source.of_kind("membership"):
        project, identity = membership.key.removeprefix("membership:").split("/", 1)
        member = context.identities.member(identity)
        if member is None:
            yield Manual("membership", membership.label, "no profile for this identity in the target domain: add it "
                         "(IAM Identity Center assignment or IAM principal), then rerun with the same --state")
            continue
        yield Step(membership.key, membership.label, "CreateProjectMembership", {
            "projectIdentifier": Ref(f"project:{project}"), "member": member,
            "designation": membership.data["designation"]}, record={}, creates=membership.key)
