"""--apply: created in the target through botocore, recorded in the state file, resumable without duplicates."""

from __future__ import annotations

import json

from tests.audit.endpoint import Fault
from tests.migrate.estate import TABLE
from tests.migrate.helpers import counts, run

ONE_EACH = {"projects": 2, "domain-units": 3, "glossaries": 1, "terms": 3, "form-types": 1, "asset-types": 1,
            "environment-profiles": 1, "environments": 1, "data-sources": 1, "assets": 2, "blueprint-configurations": 1}


def _creates(operation: str):
    return lambda call: call.method == "POST" and call.path.endswith(operation)


def test_apply_copies_everything_and_verifies(endpoint, estate, tmp_path):
    source, target = estate.source(uncopyable=False), estate.target()
    outcome, text = run(endpoint, source, target, apply=True, state=tmp_path / "state.json")
    assert outcome.exit_code == 0 and "Result: migrated and verified (exit 0)" in text, text
    assert "Verify: 0 difference(s)" in text
    store = endpoint.store
    assert {k: v for k, v in counts(store, target).items() if k in ONE_EACH} == ONE_EACH
    terms = {t["id"]: t for t in store.items(target, "terms")}
    by_name = {t["name"]: t for t in terms.values()}
    assert [terms[i]["name"] for i in by_name["Revenue"]["termRelations"]["isA"]] == ["Income"]  # relations use target ids
    assert [terms[i]["name"] for i in by_name["Profit"]["termRelations"]["classifies"]] == ["Revenue"]
    orders = next(a for a in store.items(target, "assets") if a["name"] == "orders")
    assert orders["externalIdentifier"] == TABLE and orders["glossaryTerms"] == [by_name["Revenue"]["id"]]
    assert orders["formsOutput"][0]["content"] == '{"costCenter": "cc-1"}'
    analytics = next(p for p in store.items(target, "projects") if p["name"] == "team-analytics")
    assert analytics["domainUnitId"] == next(u["id"] for u in store.items(target, "domain-units") if u["name"] == "Sales")
    state = json.loads((tmp_path / "state.json").read_text())
    assert state["source"] == source and state["target"] == target
    assert state["done"]["project:team-analytics"] == {"id": analytics["id"]}


def test_the_source_is_never_written(endpoint, estate, tmp_path):
    source, target = estate.source(), estate.target()
    seeded = len(endpoint.store.mutations)
    run(endpoint, source, target, apply=True, state=tmp_path / "state.json")
    assert len(endpoint.store.mutations) > seeded
    assert [op for domain, op in endpoint.store.mutations[seeded:] if domain == source] == []


def test_an_interrupted_apply_resumes_without_duplicates(endpoint, estate, tmp_path):
    source, target, state = estate.source(uncopyable=False), estate.target(), tmp_path / "state.json"
    # Half-way: glossary terms keep failing with throttling until botocore's retries are spent.
    endpoint.faults.append(Fault(_creates("/glossary-terms"), "ThrottlingException", 400))
    outcome, text = run(endpoint, source, target, apply=True, state=state)
    assert outcome.exit_code == 3, text
    assert f"interrupted: CreateGlossaryTerm for glossary term Finance/Revenue: ThrottlingException" in text
    assert f"resume with the same --state {state}" in text
    assert "Applied: 9 done now, 0 done by an earlier run, 0 failed" in text  # units, projects, members, glossary
    done = json.loads(state.read_text())["done"]
    assert "glossary:Finance" in done and "glossary-term:Finance/Revenue" not in done
    assert endpoint.store.names(target, "glossaries") == ["Finance"] and endpoint.store.items(target, "terms") == []

    endpoint.faults.clear()
    outcome, text = run(endpoint, source, target, apply=True, state=state)
    assert outcome.exit_code == 0, text
    assert {k: v for k, v in counts(endpoint.store, target).items() if k in ONE_EACH} == ONE_EACH  # nothing twice


def test_the_state_file_prevents_duplicates_when_search_has_not_caught_up(endpoint, estate, tmp_path):
    """Search is eventually consistent: a glossary created a moment ago may not be found by the rerun's read.
    The state file still knows it, so it is not created again and its terms go into it."""
    source, target, state = estate.source(uncopyable=False), estate.target(), tmp_path / "state.json"
    endpoint.faults.append(Fault(_creates("/glossary-terms"), "ThrottlingException", 400))
    assert run(endpoint, source, target, apply=True, state=state)[0].exit_code == 3
    endpoint.faults.clear()
    endpoint.store.hidden.update(g["id"] for g in endpoint.store.items(target, "glossaries"))
    outcome, text = run(endpoint, source, target, apply=True, state=state)
    assert endpoint.store.names(target, "glossaries") == ["Finance"]
    glossary = endpoint.store.items(target, "glossaries")[0]["id"]
    assert {t["glossaryId"] for t in endpoint.store.items(target, "terms")} == {glossary}
    assert "1 done by an earlier run" in text


def test_a_create_recorded_nowhere_is_found_in_the_target_instead(endpoint, estate, tmp_path):
    """Interrupted between a create and its record: the rerun reads the target, finds the item, skips it."""
    source, target, state = estate.source(uncopyable=False), estate.target(), tmp_path / "state.json"
    endpoint.faults.append(Fault(_creates("/glossary-terms"), "ThrottlingException", 400))
    run(endpoint, source, target, apply=True, state=state)
    data = json.loads(state.read_text())
    del data["done"]["glossary:Finance"], data["done"]["project:team-ml"]
    state.write_text(json.dumps(data))
    endpoint.faults.clear()
    outcome, text = run(endpoint, source, target, apply=True, state=state)
    assert outcome.exit_code == 0
    assert "exists  glossary Finance" in text and "exists  project team-ml" in text
    assert endpoint.store.names(target, "glossaries") == ["Finance"]
    assert endpoint.store.names(target, "projects") == ["team-analytics", "team-ml"]


def test_an_item_the_target_rejects_is_reported_and_the_rest_goes_on(endpoint, estate, tmp_path):
    source, target = estate.source(uncopyable=False), estate.target()
    endpoint.faults.append(Fault(lambda c: _creates("/assets")(c) and '"customers"' in c.body, "ValidationException", 400))
    outcome, text = run(endpoint, source, target, apply=True, state=tmp_path / "state.json")
    assert outcome.exit_code == 1
    assert "failed  asset team-ml/customers: ValidationException" in text
    assert "asset team-ml/customers: missing in the target" in text
    assert endpoint.store.names(target, "assets") == ["orders"]


def test_access_denied_stops_the_run_as_an_access_error(endpoint, estate, tmp_path):
    source, target, state = estate.source(uncopyable=False), estate.target(), tmp_path / "state.json"
    endpoint.faults.append(Fault(_creates("/form-types"), "AccessDeniedException", 403))
    outcome, text = run(endpoint, source, target, apply=True, state=state)
    assert outcome.exit_code == 2
    assert "access denied: CreateFormType for form type CostCenterForm: AccessDeniedException" in text
    assert "glossary-term:Finance/Profit" in json.loads(state.read_text())["done"]  # what was done is kept for the rerun


def test_a_v2_domain_copies_project_profiles_and_leaves_profile_environments_to_the_project(endpoint, estate, tmp_path):
    dz = estate.datazone
    source, target = estate.domain("studio", version="V2"), estate.target(version="V2")
    tooling = estate.blueprint(source)
    profile = dz.create_project_profile(domainIdentifier=source, name="All capabilities", status="ENABLED", environmentConfigurations=[
        {"name": "Lakehouse", "environmentBlueprintId": tooling, "deploymentMode": "ON_CREATE",
         "awsAccount": {"awsAccountId": "123456789012"}, "awsRegion": {"regionName": "us-east-1"}}])["id"]
    project = dz.create_project(domainIdentifier=source, name="studio-team", projectProfileId=profile)["id"]
    endpoint.store.tables[(source, "environments")]["e1"] = {  # deployed by the profile with the project
        "id": "e1", "domainId": source, "projectId": project, "name": "Lakehouse", "provider": "Amazon SageMaker",
        "createdBy": "x", "environmentConfigurationName": "Lakehouse", "awsAccountId": "123456789012"}
    outcome, text = run(endpoint, source, target, apply=True, state=tmp_path / "state.json")
    copied = endpoint.store.items(target, "project-profiles")
    assert [p["name"] for p in copied] == ["All capabilities"]
    assert copied[0]["environmentConfigurations"][0]["environmentBlueprintId"] == estate.blueprint(target)  # the target's id
    assert next(p for p in endpoint.store.items(target, "projects"))["projectProfileId"] == copied[0]["id"]
    assert ("environment studio-team/Lakehouse: created with its project by project profile configuration 'Lakehouse'"
            in text.split("Manual work")[1])
    assert outcome.exit_code == 1 and "environment studio-team/Lakehouse: missing in the target" in text


def test_domain_units_are_copied_where_the_caller_may(endpoint, estate, tmp_path):
    """Creating domain units needs ownership of the parent unit: denied, the units fail alone, the projects
    go to the root unit, and verify reports the unit they belong to as a difference."""
    source, target = estate.source(uncopyable=False), estate.target()
    endpoint.faults.append(Fault(_creates("/domain-units"), "AccessDeniedException", 403))
    outcome, text = run(endpoint, source, target, apply=True, state=tmp_path / "state.json")
    assert "failed  domain unit /Sales: the caller may not create it: AccessDeniedException" in text
    assert "failed  domain unit /Sales/EMEA: needs domain-unit:/Sales, which was not created" in text
    assert endpoint.store.names(target, "projects") == ["team-analytics", "team-ml"]
    root = estate.datazone.get_domain(identifier=target)["rootDomainUnitId"]
    assert {p.get("domainUnitId", root) for p in endpoint.store.items(target, "projects")} == {root}
    assert "project team-analytics: domainUnit is 'domain-unit:/Sales' in the source, None in the target" in text
    assert outcome.exit_code == 1


def test_throttling_is_retried_by_botocore_adaptive_mode(endpoint, estate, tmp_path):
    """Two throttled answers, then success: AWS_MAX_ATTEMPTS=3 (the fixture) absorbs them, nothing is created twice."""
    source, target = estate.source(uncopyable=False), estate.target()
    endpoint.faults.append(Fault(_creates("/glossaries"), "ThrottlingException", 400, times=2))
    outcome, _ = run(endpoint, source, target, apply=True, state=tmp_path / "state.json")
    assert outcome.exit_code == 0
    assert endpoint.calls[f"datazone:/v2/domains/{target}/glossaries"] == 3
    assert endpoint.store.names(target, "glossaries") == ["Finance"]


def test_the_clients_use_adaptive_retries():
    from guardrails.migrate.run import MigrationRequest, _connect

    datazone, kms = _connect(MigrationRequest("dzd_a", "dzd_b", region="eu-west-1"))
    assert datazone.meta.config.retries["mode"] == kms.meta.config.retries["mode"] == "adaptive"
