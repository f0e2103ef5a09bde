"""verify pairs items by name and compares what matters, ids translated to names."""

from __future__ import annotations

from tests.migrate.helpers import compare, run


def test_verify_finds_a_changed_description_and_a_missing_item(endpoint, estate, tmp_path):
    source, target = estate.source(uncopyable=False), estate.target()
    assert run(endpoint, source, target, apply=True, state=tmp_path / "s.json")[0].exit_code == 0
    store, dz = endpoint.store, estate.datazone
    analytics = next(p["id"] for p in store.items(target, "projects") if p["name"] == "team-analytics")
    dz.update_project(domainIdentifier=target, identifier=analytics, description="changed by hand")
    profit = next(t["id"] for t in store.items(target, "terms") if t["name"] == "Profit")
    del store.tables[(target, "terms")][profit]
    outcome, text = compare(endpoint, source, target)
    assert outcome.exit_code == 1
    assert "project team-analytics: description is 'Sales analytics' in the source, 'changed by hand' in the target" in text
    assert "glossary term Finance/Profit: missing in the target" in text
    assert "Verify: 2 difference(s)" in text and "Result: differences remain (exit 1)" in text


def test_verify_compares_references_by_name(endpoint, estate, tmp_path):
    """A term relation pointing at another term in the target is a difference even though both ids exist."""
    source, target = estate.source(uncopyable=False), estate.target()
    run(endpoint, source, target, apply=True, state=tmp_path / "s.json")
    terms = {t["name"]: t for t in endpoint.store.items(target, "terms")}
    terms["Revenue"]["termRelations"] = {"isA": [terms["Profit"]["id"]]}
    _, text = compare(endpoint, source, target)
    assert ("glossary term Finance/Revenue: isA is ['glossary-term:Finance/Income'] in the source, "
            "['glossary-term:Finance/Profit'] in the target") in text


def test_domains_that_match_verify_clean(endpoint, estate, tmp_path):
    source, target = estate.source(uncopyable=False), estate.target()
    run(endpoint, source, target, apply=True, state=tmp_path / "s.json")
    outcome, text = compare(endpoint, source, target)
    assert outcome.exit_code == 0 and "Result: the domains match (exit 0)" in text


def test_a_part_that_cannot_be_read_is_a_difference_not_a_match(endpoint, estate):
    """Fail closed: verify cannot call domains equal when it could not read one side."""
    from tests.audit.endpoint import Fault

    source, target = estate.source(uncopyable=False), estate.target()
    endpoint.faults.append(Fault(lambda c: c.method == "POST" and c.path == f"/v2/domains/{target}/search",
                                 "AccessDeniedException", 403))
    outcome, text = compare(endpoint, source, target)
    assert outcome.exit_code == 1
    assert "reading the target: glossaries: could not be read (AccessDeniedException" in text
