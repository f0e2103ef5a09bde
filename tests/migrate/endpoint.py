"""The audit tests' endpoint (moto for KMS, STS, ...) with DataZone answered by the model-driven store."""

from __future__ import annotations

from werkzeug.wrappers import Request, Response

from tests.audit.endpoint import AuditEndpoint, Call
from tests.migrate.datazone import DataZoneStore


class MigrateEndpoint(AuditEndpoint):
    def __init__(self) -> None:
        super().__init__()
        self.store = DataZoneStore()

    def _datazone(self, call: Call, parts: list[str], request: Request) -> Response:
        return self.store.handle(call, request)
