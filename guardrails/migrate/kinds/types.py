"""Custom metadata form types and asset types (managed amazon.datazone.* types exist in every domain).

SearchTypes(managed=False) lists the custom ones; GetFormType gives a form's Smithy model. Form types are
referenced by name and revision: the target's revision is recorded when the form is created, and asset
types and assets use it (a revision from the source domain means nothing in the target).
"""

from __future__ import annotations

from typing import Any, Iterable

from guardrails.migrate.context import PlanContext, compact
from guardrails.migrate.model import Catalog, Manual, Record, Ref, Step
from guardrails.migrate.reader import Reader

TYPE_REFS = {"id": "name", "revision": "revision"}  # types are referenced by name + revision


def read(reader: Reader) -> None:
    catalog = reader.catalog
    found = reader.attempt("form types", lambda: reader.all("search_types", "items", searchScope="FORM_TYPE", managed=False), [])
    for item in (i["formTypeItem"] for i in found if "formTypeItem" in i):
        form = reader.attempt(f"form type {item['name']}", lambda: reader.call("get_form_type", formTypeIdentifier=item["name"]), item)
        catalog.add(Record("form-type", f"form-type:{form['name']}", f"form type {form['name']}", form["name"], form, {
            "description": form.get("description"), "status": form.get("status"),
            "model": (form.get("model") or {}).get("smithy"), "owner": catalog.key_of("project", form.get("owningProjectId"))},
            {"id": form["name"], "revision": form["revision"]}))
    found = reader.attempt("asset types", lambda: reader.all("search_types", "items", searchScope="ASSET_TYPE", managed=False), [])
    for asset_type in (i["assetTypeItem"] for i in found if "assetTypeItem" in i):
        name = asset_type["name"]
        catalog.add(Record("asset-type", f"asset-type:{name}", f"asset type {name}", name, asset_type, {
            "description": asset_type.get("description"), "owner": catalog.key_of("project", asset_type.get("owningProjectId")),
            "forms": {form: entry["typeName"] for form, entry in (asset_type.get("formsOutput") or {}).items()}},
            {"id": name, "revision": asset_type["revision"]}))


def revision_of(catalog: Catalog, kind: str, name: str, revision: str) -> Any:
    """The target revision of a custom type (recorded when created), or the managed type's own revision."""
    return Ref(f"{kind}:{name}", "revision") if f"{kind}:{name}" in catalog.records else revision


def plan(context: PlanContext) -> Iterable[Step | Manual]:
    for form in context.source.of_kind("form-type"):
        owner = context.ref("project", form.data.get("owningProjectId"))
        if owner is None or not form.compare["model"]:
            yield Manual("form type", form.label, "its owning project or its model could not be read")
            continue
        yield Step(form.key, form.label, "CreateFormType", compact({
            "name": form.data["name"], "model": {"smithy": form.compare["model"]}, "owningProjectIdentifier": owner,
            "status": form.data.get("status"), "description": form.data.get("description")}), TYPE_REFS, creates=form.key)
    for asset_type in context.source.of_kind("asset-type"):
        forms = {form: compact({"typeIdentifier": entry["typeName"], "required": entry.get("required"),
                                "typeRevision": revision_of(context.source, "form-type", entry["typeName"], entry["typeRevision"])})
                 for form, entry in (asset_type.data.get("formsOutput") or {}).items()}
        yield Step(asset_type.key, asset_type.label, "CreateAssetType", compact({
            "name": asset_type.data["name"], "description": asset_type.data.get("description"), "formsInput": forms,
            "owningProjectIdentifier": context.ref("project", asset_type.data.get("owningProjectId"))}),
            TYPE_REFS, creates=asset_type.key)
