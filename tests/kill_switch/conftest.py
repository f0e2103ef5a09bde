"""The audit's local endpoint (moto's KMS, STS, Bedrock Agents + the DataZone/Bedrock layer) serves the kill switch."""

from tests.audit.conftest import _server, endpoint, world  # noqa: F401 - the shared endpoint fixtures
