"""One endpoint per session (moto keeps its backends per process), reset for every test."""

from __future__ import annotations

import pytest
import requests

from tests.migrate.endpoint import MigrateEndpoint
from tests.migrate.estate import Estate


@pytest.fixture(scope="session")
def _migrate_server():
    server = MigrateEndpoint()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def endpoint(_migrate_server, monkeypatch):
    requests.post(f"{_migrate_server.url}/moto-api/reset", timeout=10)
    _migrate_server.store.reset()
    _migrate_server.aws_managed.clear(), _migrate_server.faults.clear(), _migrate_server.calls.clear()
    # Credentials the AWS way: the environment. Few attempts keep failure tests short.
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1", "AWS_MAX_ATTEMPTS": "3"}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return _migrate_server


@pytest.fixture
def estate(endpoint):
    return Estate(endpoint)
