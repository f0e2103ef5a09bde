"""Data sources and catalog assets' metadata: name, description, forms and glossary terms.

The data itself stays in its sources (S3, Glue, Redshift): only its description in the catalog is
copied. Assets are created with their externalIdentifier, so a copied data source that runs again
finds them instead of importing duplicates. Read-only forms (computed by DataZone) are not copied.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from guardrails.migrate.context import PlanContext, compact, keys
from guardrails.migrate.kinds.types import revision_of
from guardrails.migrate.model import Manual, Record, Step
from guardrails.migrate.reader import Reader
from guardrails.migrate.shapes import fit


def _content(text: str | None) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return text


def read(reader: Reader) -> None:
    catalog = reader.catalog
    for project in catalog.of_kind("project"):
        name = project.data["name"]
        for source in reader.described("data source", "list_data_sources", "get_data_source", "dataSourceId",
                                       f" of project {name}", projectIdentifier=project.id):
            path = f"{name}/{source['name']}"
            catalog.add(Record("data-source", f"data-source:{path}", f"data source {path}", source.get("id") or source["dataSourceId"],
                               source, {"type": source.get("type"), "description": source.get("description"),
                                        "environment": catalog.key_of("environment", source.get("environmentId")),
                                        "enableSetting": source.get("enableSetting"), "publishOnImport": source.get("publishOnImport"),
                                        "schedule": source.get("schedule")}))
    found = reader.attempt("assets", lambda: reader.all("search", "items", searchScope="ASSET"), [])
    for item in (i["assetItem"] for i in found if "assetItem" in i):
        asset = reader.attempt(f"asset {item['name']}", lambda: reader.call("get_asset", identifier=item["identifier"]), None)
        if asset is None:
            continue
        project = catalog.key_of("project", asset.get("owningProjectId")) or "project:?"
        path = f"{project.removeprefix('project:')}/{asset.get('externalIdentifier') or asset['name']}"
        catalog.add(Record("asset", f"asset:{path}", f"asset {path}", asset["id"], asset, {
            "name": asset["name"], "description": asset.get("description"), "type": asset["typeIdentifier"],
            "glossaryTerms": keys(catalog, "glossary-term", asset.get("glossaryTerms")),
            "forms": {f["formName"]: _content(f.get("content")) for f in asset.get("formsOutput", [])}}))


def _forms(context: PlanContext, forms: list[dict]) -> list[dict]:
    """FormOutput (typeName) as FormInput (typeIdentifier), custom form types at the target's revision."""
    return [compact({"formName": f["formName"], "typeIdentifier": f.get("typeName"), "content": f.get("content"),
                     "typeRevision": revision_of(context.source, "form-type", f["typeName"], f.get("typeRevision"))
                     if f.get("typeName") else None}) for f in forms]


def plan(context: PlanContext) -> Iterable[Step | Manual]:
    configuration_shape = context.service_model.operation_model("CreateDataSource").input_shape.members["configuration"]
    for source in context.source.of_kind("data-source"):
        data = source.data
        if data.get("connectionId") and not data.get("environmentId"):
            yield Manual("data source", source.label, "uses a V2 connection, which is not copied: recreate the connection, "
                         "then the data source")
            continue
        yield Step(source.key, source.label, "CreateDataSource", compact({
            "name": data["name"], "description": data.get("description"), "type": data.get("type"),
            "projectIdentifier": context.ref("project", data.get("projectId")),
            "environmentIdentifier": context.ref("environment", data.get("environmentId")),
            "configuration": fit(data.get("configuration"), configuration_shape),
            "recommendation": data.get("recommendation"), "enableSetting": data.get("enableSetting"),
            "schedule": data.get("schedule"), "publishOnImport": data.get("publishOnImport"),
            "assetFormsInput": _forms(context, data.get("assetFormsOutput", []))}), creates=source.key)
    for asset in context.source.of_kind("asset"):
        data = asset.data
        yield Step(asset.key, asset.label, "CreateAsset", compact({
            "name": data["name"], "description": data.get("description"), "externalIdentifier": data.get("externalIdentifier"),
            "typeIdentifier": data["typeIdentifier"],
            "typeRevision": revision_of(context.source, "asset-type", data["typeIdentifier"], data.get("typeRevision")),
            "owningProjectIdentifier": context.ref("project", data.get("owningProjectId")),
            "glossaryTerms": context.refs("glossary-term", data.get("glossaryTerms")),
            "formsInput": _forms(context, data.get("formsOutput", []))}), creates=asset.key)
