"""The shared live inventory against AWS's own source for it, botocore's service models: every List/Get
call, parameter and field path exists; every governed type is listed or says why not."""

from __future__ import annotations

import botocore.session
import pytest

from guardrails.live_inventory import DATA_SOURCE_TYPE, NOT_LISTED, SOURCES, Source
from guardrails.rules.governed_types import GOVERNED_TYPES, LIVE_ONLY_TYPES

SESSION = botocore.session.get_session()


def _operation(source: Source, method: str):
    return SESSION.get_service_model(source.service).operation_model(method.title().replace("_", ""))


def _resolves(shape, path: tuple[str, ...]) -> bool:
    for step in path:
        if shape.type_name != "structure" or step not in shape.members:
            return False
        shape = shape.members[step]
    return shape.type_name in ("string", "map", "structure")


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.resource_type)
def test_every_call_and_field_is_in_the_botocore_model(source):
    listing, getting = _operation(source, source.list_method), _operation(source, source.get_method)
    items = listing.output_shape.members[source.list_items]
    assert items.type_name == "list" and source.id_field in items.member.members
    assert source.get_param in getting.input_shape.members
    assert set(source.list_args) <= set(listing.input_shape.members)
    for path in (source.key_path, source.arn_path, source.name_path, source.tags_path or (), source.applies_when):
        assert not path or _resolves(getting.output_shape, path), path
    assert SESSION.get_paginator_model(source.service).get_paginator(listing.name)  # summaries() paginates
    if source.tags_param:
        assert source.tags_param in _operation(source, "list_tags_for_resource").input_shape.members


def test_every_governed_type_is_listed_or_says_why_not():
    listed = {s.resource_type for s in SOURCES}
    assert listed <= GOVERNED_TYPES | set(LIVE_ONLY_TYPES)
    assert GOVERNED_TYPES | set(LIVE_ONLY_TYPES) == listed | set(NOT_LISTED), \
        sorted((GOVERNED_TYPES | set(LIVE_ONLY_TYPES)) ^ (listed | set(NOT_LISTED)))
    assert not listed & set(NOT_LISTED) and DATA_SOURCE_TYPE in NOT_LISTED
    assert all(len(reason) > 30 for reason in NOT_LISTED.values())

