"""The source's client reads and nothing else, whatever a planner asks of it."""

from __future__ import annotations

import boto3
import pytest

from guardrails.migrate.readonly import ReadOnlyClient


@pytest.fixture
def client():
    return ReadOnlyClient(boto3.client("datazone", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"))


@pytest.mark.parametrize("method", ["create_project", "update_glossary_term", "delete_domain", "put_environment_blueprint_configuration",
                                    "add_entity_owner", "start_data_source_run", "revoke_subscription"])
def test_changes_are_refused(client, method):
    with pytest.raises(PermissionError, match=f"{method} is not a read"):
        getattr(client, method)


def test_every_write_of_the_model_is_refused_and_every_read_allowed(client):
    for operation in client.meta.service_model.operation_names:
        name = __import__("botocore").xform_name(operation)
        if operation.startswith(("Get", "List", "Search")):
            assert callable(getattr(client, name))
        else:
            with pytest.raises(PermissionError):
                getattr(client, name)
    assert client.get_paginator("list_projects") is not None
