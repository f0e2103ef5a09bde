"""Business glossaries and their terms, with term relations (isA, classifies).

DataZone has no ListGlossaries: Search with searchScope GLOSSARY / GLOSSARY_TERM lists them. Terms are
created first without relations, then one UpdateGlossaryTerm per term sets relations, because a
relation names a term that must exist already (and relations may form cycles).
"""

from __future__ import annotations

from typing import Iterable

from guardrails.migrate.context import PlanContext, compact, keys
from guardrails.migrate.kinds import projects
from guardrails.migrate.model import Manual, Record, Ref, Step
from guardrails.migrate.reader import Reader

RELATIONS = ("isA", "classifies")


def read(reader: Reader) -> None:
    catalog = reader.catalog
    found = reader.attempt("glossaries", lambda: reader.all("search", "items", searchScope="GLOSSARY"), [])
    for glossary in (item["glossaryItem"] for item in found if "glossaryItem" in item):
        catalog.add(Record("glossary", f"glossary:{glossary['name']}", f"glossary {glossary['name']}", glossary["id"], glossary, {
            "description": glossary.get("description"), "status": glossary.get("status"),
            "owner": catalog.key_of("project", glossary.get("owningProjectId"))}))
    found = reader.attempt("glossary terms", lambda: reader.all("search", "items", searchScope="GLOSSARY_TERM"), [])
    terms = [item["glossaryTermItem"] for item in found if "glossaryTermItem" in item]
    for term in terms:
        glossary = catalog.key_of("glossary", term["glossaryId"]) or f"glossary:?{term['glossaryId']}"
        path = f"{glossary.removeprefix('glossary:')}/{term['name']}"
        catalog.add(Record("glossary-term", f"glossary-term:{path}", f"glossary term {path}", term["id"], term, {
            "shortDescription": term.get("shortDescription"), "longDescription": term.get("longDescription"),
            "status": term.get("status"), "glossary": glossary}))
    for term in catalog.of_kind("glossary-term"):  # relations name terms: all must be read first
        relations = term.data.get("termRelations") or {}
        term.compare.update({name: keys(catalog, "glossary-term", relations.get(name)) for name in RELATIONS})
    projects.link_glossary_terms(catalog)


def plan(context: PlanContext) -> Iterable[Step | Manual]:
    for glossary in context.source.of_kind("glossary"):
        owner = context.ref("project", glossary.data.get("owningProjectId"))
        if owner is None:
            yield Manual("glossary", glossary.label, "its owning project could not be read")
            continue
        yield Step(glossary.key, glossary.label, "CreateGlossary", compact({
            "name": glossary.data["name"], "owningProjectIdentifier": owner,
            "description": glossary.data.get("description"), "status": glossary.data.get("status")}), creates=glossary.key)
    for term in context.source.of_kind("glossary-term"):
        yield Step(term.key, term.label, "CreateGlossaryTerm", compact({
            "glossaryIdentifier": Ref(term.compare["glossary"]), "name": term.data["name"],
            "shortDescription": term.data.get("shortDescription"), "longDescription": term.data.get("longDescription"),
            "status": term.data.get("status")}), creates=term.key)
    for term in context.source.of_kind("glossary-term"):
        relations = {name: [Ref(key) for key in term.compare[name]] for name in RELATIONS if term.compare[name]}
        copy = context.target.records.get(term.key)
        if relations and (copy is None or any(copy.compare.get(n) != term.compare[n] for n in RELATIONS)):
            yield Step(f"term-relations:{term.key.removeprefix('glossary-term:')}", f"relations of {term.label}",
                       "UpdateGlossaryTerm", {"identifier": Ref(term.key), "glossaryIdentifier": Ref(term.compare["glossary"]),
                                              "termRelations": relations}, record={})
    yield from projects.plan_glossary_terms(context)
