"""A session-wide endpoint (moto keeps its backends per process, so one server is reset per test)."""

from __future__ import annotations

import pytest
import requests

from tests.audit.endpoint import AuditEndpoint
from tests.audit.world import World


@pytest.fixture(scope="session")
def _server():
    server = AuditEndpoint()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def endpoint(_server, monkeypatch):
    requests.post(f"{_server.url}/moto-api/reset", timeout=10)
    _server.domains.clear(), _server.domain_details.clear(), _server.extra.clear()
    _server.aws_managed.clear(), _server.faults.clear(), _server.calls.clear()
    _server.requests.clear()
    # Credentials the AWS way: the environment. Few attempts keep failure tests short.
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1", "AWS_MAX_ATTEMPTS": "3"}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return _server


@pytest.fixture
def world(endpoint):
    return World(endpoint)
