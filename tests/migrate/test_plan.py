"""A dry run: both domains read through botocore, every copyable item planned, nothing changed anywhere."""

from __future__ import annotations

from tests.migrate.helpers import compare, run

EXPECTED = [
    "create  configuration of blueprint DefaultDataLake", "create  domain unit /Sales", "create  domain unit /Sales/EMEA",
    "create  project team-analytics", "create  project team-ml", "create  sso-user alice in project team-analytics",
    "create  sso-group analysts in project team-analytics",
    "create  iam-user arn:aws:iam::123456789012:role/DataEngineer in project team-ml", "create  glossary Finance",
    "create  glossary term Finance/Revenue", "create  glossary term Finance/Income", "create  glossary term Finance/Profit",
    "link  relations of glossary term Finance/Revenue", "link  relations of glossary term Finance/Profit",
    "link  glossary terms of project team-analytics", "create  form type CostCenterForm", "create  asset type SalesTable",
    "create  environment profile team-analytics/lake-profile", "create  environment team-analytics/lake",
    "create  data source team-analytics/sales-glue",
    "create  asset team-analytics/arn:aws:glue:us-east-1:123456789012:table/sales/orders", "create  asset team-ml/customers"]


def test_dry_run_plans_everything_in_dependency_order_and_changes_nothing(endpoint, estate):
    source, target = estate.source(), estate.target()
    changes_before = list(endpoint.store.mutations)
    outcome, text = run(endpoint, source, target)
    assert outcome.exit_code == 0 and "Result: planned (exit 0)" in text
    planned = [line.strip() for line in text.split("Plan:")[1].split("\n\n")[0].splitlines()[1:]]
    assert planned == EXPECTED  # referenced items first: units before projects, terms before relations, types before assets
    assert "Dry run: nothing was changed" in text
    assert endpoint.store.mutations == changes_before  # not one create, in either domain


def test_what_cannot_be_copied_is_listed_for_manual_work(endpoint, estate):
    source, target = estate.source(), estate.target()
    _, text = run(endpoint, source, target)
    manual = text.split("Manual work")[1]
    for line in ("1 subscription(s) and their grant history stay in the source",
                 f"users move from https://{source}.datazone.us-east-1.on.aws to https://{target}.datazone.us-east-1.on.aws",
                 "lineage:", "ids: every id changes", "data: the data itself stays in its sources",
                 "not copied by this command: domain unit owners and authorization policies",
                 "sso-user bob in project team-ml: no profile for this identity in the target domain",
                 "environment team-ml/hand-made: not made from an environment profile"):
        assert line in manual, line
    assert "Plan: 22 to create or link, 0 already in the target, 2 left for manual work" in text


def test_items_already_in_the_target_are_not_planned_again(endpoint, estate):
    source, target = estate.source(uncopyable=False), estate.target()
    estate.datazone.create_project(domainIdentifier=target, name="team-ml")
    _, text = run(endpoint, source, target)
    assert "exists  project team-ml" in text and "create  project team-ml" not in text
    assert "create  iam-user arn:aws:iam::123456789012:role/DataEngineer in project team-ml" in text  # its members still are


def test_a_step_whose_dependency_is_not_copied_becomes_manual_work(endpoint, estate):
    """A blueprint the target does not offer: its configuration, and the profile and environment using it, are manual."""
    source, target = estate.source(uncopyable=False), estate.target()
    lake = estate.blueprint(target)
    del endpoint.store.tables[(target, "blueprints")][lake]
    _, text = run(endpoint, source, target)
    manual = text.split("Manual work")[1]
    assert "blueprint DefaultDataLake: no blueprint of this name in the target: create it from its template" in manual
    assert "configuration of blueprint DefaultDataLake: needs blueprint:DefaultDataLake, which will not exist in the target" in manual
    assert "environment profile team-analytics/lake-profile: needs blueprint:DefaultDataLake" in manual
    assert "environment team-analytics/lake: needs environment-profile:team-analytics/lake-profile" in manual
    assert "data source team-analytics/sales-glue: needs environment:team-analytics/lake" in manual


def test_items_sharing_a_name_are_manual_work_not_silently_merged(endpoint, estate):
    """Two assets named alike in one project (no external identifier) cannot be paired across domains:
    neither is copied as if it were the only one, and both the plan and verify say so."""
    source, target = estate.source(uncopyable=False), estate.target()
    ml = next(p["id"] for p in endpoint.store.items(source, "projects") if p["name"] == "team-ml")
    estate.datazone.create_asset(domainIdentifier=source, name="customers", typeIdentifier="amazon.datazone.GlueViewAssetType",
                                 typeRevision="1", owningProjectIdentifier=ml)
    outcome, text = run(endpoint, source, target)
    assert "create  asset team-ml/customers" not in text
    assert "asset team-ml/customers: 2 items in the source share this name, so no copy can be paired" in text.split("Manual work")[1]
    _, checked = compare(endpoint, source, target)
    assert "asset team-ml/customers: 2 items in the source share this name, so they were not compared" in checked
