"""The test endpoint itself: routed by botocore's model, answering only inside the model's output shapes."""

from __future__ import annotations

import re

import pytest

from tests.migrate.datazone import MODEL, ROUTES, output_errors
from tests.migrate.helpers import run


def _sample_path(operation) -> str:
    return re.sub(r"\{(\w+)\+?\}", lambda m: f"x-{m.group(1)}", operation.http["requestUri"].split("?")[0])


@pytest.mark.parametrize("name", MODEL.operation_names)
def test_every_operation_of_the_model_routes_to_itself(name):
    operation = MODEL.operation_model(name)
    path, method = _sample_path(operation), operation.http["method"]
    routed = next(op for m, pattern, op in ROUTES if m == method and pattern.match(path))
    assert routed.name == name


def test_a_response_outside_the_output_shape_is_caught():
    operation = MODEL.operation_model("GetProject")
    assert output_errors({"domainId": "dzd_1", "id": "p", "name": "n", "createdBy": "u"}, operation) is None
    problems = output_errors({"id": "p", "name": 3}, operation)
    assert 'Missing required parameter in input: "domainId"' in problems and "Invalid type for parameter name" in problems
    assert "Unknown parameter in input: \"owner\"" in output_errors({"domainId": "d", "id": "p", "name": "n", "createdBy": "u",
                                                                    "owner": "x"}, operation)


def test_every_response_of_a_full_migration_validates(endpoint, estate, tmp_path):
    """Every call a migration makes, reads and creates, answered and validated against its output shape."""
    source, target = estate.source(), estate.target()
    run(endpoint, source, target, apply=True, state=tmp_path / "s.json")  # asserts store.invalid == [] itself
    called = {key.split(":", 1)[1] for key in endpoint.calls if key.startswith("datazone:")}
    assert len(called) > 30 and endpoint.store.invalid == []


def test_a_page_size_forces_paginators_to_follow_next_token(endpoint, estate):
    source = estate.source()
    first = estate.datazone.list_projects(domainIdentifier=source)
    assert len(first["items"]) == 2 and "nextToken" not in first  # two projects, page of two
    estate.datazone.create_project(domainIdentifier=source, name="third")
    page = estate.datazone.list_projects(domainIdentifier=source)
    assert len(page["items"]) == 2 and page["nextToken"]
    every = [p for pg in estate.datazone.get_paginator("list_projects").paginate(domainIdentifier=source) for p in pg["items"]]
    assert sorted(p["name"] for p in every) == ["team-analytics", "team-ml", "third"]
