"""Domain units, project profiles (V2) and projects.

Domain units and project profiles are copied "where the caller may": reading or creating them needs
domain-unit ownership. A denied read is reported, not mistaken for an empty domain; a denied create fails
that item only, and projects of a unit that could not be created go to the root unit (verify then
reports the unit as a difference).
API: ListDomainUnitsForParent, ListProjectProfiles/GetProjectProfile, ListProjects/GetProject and the
matching Create calls (botocore datazone 2018-05-10).
"""

from __future__ import annotations

from typing import Iterable

from guardrails.migrate.context import PlanContext, compact, keys
from guardrails.migrate.model import Catalog, Manual, Record, Ref, Step
from guardrails.migrate.reader import Reader

ROOT_UNIT = "domain-unit:/"
GONE = ("DELETING", "DELETE_FAILED", "UPDATE_FAILED", "MOVING")  # projects not worth copying as they are


def read(reader: Reader) -> None:
    _read_domain_units(reader)
    catalog = reader.catalog
    if catalog.version == "V2":
        for profile in reader.described("project profile", "list_project_profiles", "get_project_profile"):
            catalog.add(Record("project-profile", f"project-profile:{profile['name']}", f"project profile {profile['name']}",
                               profile["id"], profile, {
                                   "description": profile.get("description"), "status": profile.get("status"),
                                   "domainUnit": catalog.key_of("domain-unit", profile.get("domainUnitId")),
                                   "environmentConfigurations": sorted(c["name"] for c in profile.get("environmentConfigurations", []))}))
    for project in reader.described("project", "list_projects", "get_project"):
        catalog.add(Record("project", f"project:{project['name']}", f"project {project['name']}", project["id"], project, {
            "description": project.get("description"),
            "domainUnit": catalog.key_of("domain-unit", project.get("domainUnitId")),
            "projectProfile": catalog.key_of("project-profile", project.get("projectProfileId"))}))


def _read_domain_units(reader: Reader) -> None:
    root = reader.catalog.domain.get("rootDomainUnitId")
    if not root:
        return
    reader.catalog.add(Record("domain-unit", ROOT_UNIT, "root domain unit", root))
    pending = [(root, "")]
    while pending:
        parent, path = pending.pop(0)
        for unit in reader.attempt(f"domain units under {path or '/'}", lambda: reader.all(
                "list_domain_units_for_parent", "items", parentDomainUnitIdentifier=parent), []):
            unit_path = f"{path}/{unit['name']}"
            reader.catalog.add(Record("domain-unit", f"domain-unit:{unit_path}", f"domain unit {unit_path}", unit["id"],
                                      dict(unit, parentDomainUnitId=parent), {"parent": f"domain-unit:{path or '/'}"}))
            pending.append((unit["id"], unit_path))


def plan(context: PlanContext) -> Iterable[Step | Manual]:
    source = context.source
    for unit in source.of_kind("domain-unit"):
        if unit.key != ROOT_UNIT:
            yield Step(unit.key, unit.label, "CreateDomainUnit", compact({
                "name": unit.data["name"], "parentDomainUnitIdentifier": Ref(unit.compare["parent"]),
                "description": unit.data.get("description")}), creates=unit.key, may_be_denied=True)
    for profile in source.of_kind("project-profile"):
        configurations = [compact({**{k: v for k, v in c.items() if k not in ("id", "environmentBlueprintId")},
                                   "environmentBlueprintId": context.ref("blueprint", c["environmentBlueprintId"])})
                          for c in profile.data.get("environmentConfigurations", [])]
        yield Step(profile.key, profile.label, "CreateProjectProfile", compact({
            "name": profile.data["name"], "description": profile.data.get("description"), "status": profile.data.get("status"),
            "projectResourceTags": profile.data.get("projectResourceTags"),
            "allowCustomProjectResourceTags": profile.data.get("allowCustomProjectResourceTags"),
            "projectResourceTagsDescription": profile.data.get("projectResourceTagsDescription"),
            "environmentConfigurations": configurations,
            "domainUnitIdentifier": context.ref("domain-unit", profile.data.get("domainUnitId"), optional=True)}),
            creates=profile.key, may_be_denied=True)
    for project in source.of_kind("project"):
        if project.data.get("projectStatus") in GONE:
            yield Manual("project", project.label, f"status {project.data['projectStatus']}: not copied")
            continue
        yield Step(project.key, project.label, "CreateProject", compact({
            "name": project.data["name"], "description": project.data.get("description"),
            "domainUnitId": context.ref("domain-unit", project.data.get("domainUnitId"), optional=True),  # else the root
            "projectProfileId": context.ref("project-profile", project.data.get("projectProfileId")),
            "userParameters": [{k: v for k, v in p.items() if k != "environmentId"} for p in project.data.get("userParameters", [])],
            "resourceTags": project.data.get("resourceTags") and {t["key"]: t["value"] for t in project.data["resourceTags"]
                                                                  if t.get("source") != "PROJECT_PROFILE"}}), creates=project.key)


def link_glossary_terms(catalog: Catalog) -> None:
    """Projects' glossary terms, as keys: known only once the terms are read (glossaries read after projects)."""
    for project in catalog.of_kind("project"):
        project.compare["glossaryTerms"] = keys(catalog, "glossary-term", project.data.get("glossaryTerms"))


def plan_glossary_terms(context: PlanContext) -> Iterable[Step]:
    """Projects get their glossary terms once the terms exist in the target (UpdateProject)."""
    for project in context.source.of_kind("project"):
        terms = context.refs("glossary-term", project.data.get("glossaryTerms"))
        copy = context.target.records.get(project.key)
        if terms and (copy is None or copy.compare.get("glossaryTerms") != project.compare.get("glossaryTerms")):
            yield Step(f"project-terms:{project.data['name']}", f"glossary terms of {project.label}", "UpdateProject",
                       {"identifier": Ref(project.key), "glossaryTerms": terms}, record={})
