"""The audit tests' endpoint fixture (moto reset, credentials from the environment) on a server whose DataZone
is the model-driven store; one server per session (moto keeps its backends per process)."""

from __future__ import annotations

import pytest

from tests.audit.conftest import endpoint  # noqa: F401 - resets the server named by `_server` below
from tests.migrate.endpoint import MigrateEndpoint
from tests.migrate.estate import Estate


@pytest.fixture(scope="session")
def _server():
    server = MigrateEndpoint()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def estate(endpoint):  # noqa: F811 - the imported fixture, on this directory's server
    endpoint.store.reset()
    return Estate(endpoint)
