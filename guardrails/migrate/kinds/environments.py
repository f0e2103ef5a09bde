"""Environment blueprints (referenced by name), blueprint configurations, environment profiles and environments.

Managed blueprints exist in every domain under their own ids: a configuration or profile names its
blueprint by the target's id for the same blueprint name. An environment is recreated when it came from
an environment profile the migration copies; environments a V2 project profile deploys with its project,
or ones made without a profile, are left for manual work with that reason.
"""

from __future__ import annotations

from typing import Iterable

from guardrails.migrate.context import PlanContext, compact, keys
from guardrails.migrate.model import Manual, Record, Step
from guardrails.migrate.reader import Reader
from guardrails.migrate.shapes import fit

PROFILE_OWNED = "created with its project by project profile configuration"


def read(reader: Reader) -> None:
    catalog = reader.catalog
    for blueprint in reader.attempt("environment blueprints", lambda: reader.all("list_environment_blueprints", "items"), []):
        catalog.add(Record("blueprint", f"blueprint:{blueprint['name']}", f"blueprint {blueprint['name']}", blueprint["id"], blueprint))
    for config in reader.attempt("blueprint configurations", lambda: reader.all(
            "list_environment_blueprint_configurations", "items"), []):
        blueprint = catalog.key_of("blueprint", config["environmentBlueprintId"]) or f"blueprint:?{config['environmentBlueprintId']}"
        name = blueprint.removeprefix("blueprint:")
        catalog.add(Record("blueprint-configuration", f"blueprint-configuration:{name}", f"configuration of blueprint {name}",
                           config["environmentBlueprintId"], config, {
                               "enabledRegions": sorted(config.get("enabledRegions", [])),
                               "provisioningRoleArn": config.get("provisioningRoleArn"),
                               "manageAccessRoleArn": config.get("manageAccessRoleArn"),
                               "regionalParameters": config.get("regionalParameters")}))
    for profile in reader.described("environment profile", "list_environment_profiles", "get_environment_profile"):
        project = catalog.key_of("project", profile.get("projectId")) or "project:?"
        path = f"{project.removeprefix('project:')}/{profile['name']}"
        catalog.add(Record("environment-profile", f"environment-profile:{path}", f"environment profile {path}", profile["id"], profile, {
            "description": profile.get("description"), "blueprint": catalog.key_of("blueprint", profile.get("environmentBlueprintId")),
            "awsAccountId": profile.get("awsAccountId"), "awsAccountRegion": profile.get("awsAccountRegion")}))
    for project in catalog.of_kind("project"):
        name = project.data["name"]
        for environment in reader.described("environment", "list_environments", "get_environment", where=f" of project {name}",
                                            projectIdentifier=project.id):
            path = f"{name}/{environment['name']}"
            catalog.add(Record("environment", f"environment:{path}", f"environment {path}", environment["id"], environment, {
                "description": environment.get("description"),
                "profile": catalog.key_of("environment-profile", environment.get("environmentProfileId")),
                "awsAccountId": environment.get("awsAccountId"), "awsAccountRegion": environment.get("awsAccountRegion"),
                "glossaryTerms": keys(catalog, "glossary-term", environment.get("glossaryTerms"))}))


def _parameters(custom: list[dict] | None) -> list[dict]:
    """GetEnvironment/GetEnvironmentProfile describe parameters (keyName, defaultValue); Create takes name/value."""
    return [{"name": p["keyName"], "value": p["defaultValue"]} for p in custom or [] if p.get("defaultValue") is not None]


def plan_configurations(context: PlanContext) -> Iterable[Step | Manual]:
    """Blueprints are enabled first: project profiles and environment profiles use them."""
    for blueprint in context.source.of_kind("blueprint"):
        if blueprint.key not in context.target.records:
            yield Manual("blueprint", blueprint.label, "no blueprint of this name in the target: create it from its "
                         "template (CreateEnvironmentBlueprint), then rerun with the same --state")
    shape = context.service_model.operation_model("PutEnvironmentBlueprintConfiguration").input_shape
    for config in context.source.of_kind("blueprint-configuration"):
        params = fit(config.data, shape)
        params.pop("domainIdentifier", None)
        yield Step(config.key, config.label, "PutEnvironmentBlueprintConfiguration",
                   {**params, "environmentBlueprintIdentifier": context.ref("blueprint", config.id)},
                   {"id": "environmentBlueprintId"}, creates=config.key)


def plan(context: PlanContext) -> Iterable[Step | Manual]:
    for profile in context.source.of_kind("environment-profile"):
        yield Step(profile.key, profile.label, "CreateEnvironmentProfile", compact({
            "name": profile.data["name"], "description": profile.data.get("description"),
            "environmentBlueprintIdentifier": context.ref("blueprint", profile.data.get("environmentBlueprintId")),
            "projectIdentifier": context.ref("project", profile.data.get("projectId")),
            "userParameters": _parameters(profile.data.get("userParameters")),
            "awsAccountId": profile.data.get("awsAccountId"), "awsAccountRegion": profile.data.get("awsAccountRegion")}),
            creates=profile.key)
    for environment in context.source.of_kind("environment"):
        data = environment.data
        profile = context.ref("environment-profile", data.get("environmentProfileId"))
        if profile is None:
            why = (f"{PROFILE_OWNED} {data['environmentConfigurationName']!r}: deploy it from the new project"
                   if data.get("environmentConfigurationName") else "not made from an environment profile: recreate it by hand")
            yield Manual("environment", environment.label, why)
            continue
        yield Step(environment.key, environment.label, "CreateEnvironment", compact({
            "projectIdentifier": context.ref("project", data["projectId"]), "name": data["name"],
            "description": data.get("description"), "environmentProfileIdentifier": profile,
            "userParameters": _parameters(data.get("userParameters")),
            "glossaryTerms": context.refs("glossary-term", data.get("glossaryTerms")),
            "environmentAccountIdentifier": data.get("awsAccountId"), "environmentAccountRegion": data.get("awsAccountRegion")}),
            creates=environment.key)

