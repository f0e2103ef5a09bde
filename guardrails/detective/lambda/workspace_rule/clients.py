"""The boto3 clients the rule uses, all with botocore's adaptive retry mode (throttling backs off).

The function ships its own pinned botocore (detective/bundle.py), so every service here is known. Should a
botocore ever lack one (an older copy winning on sys.path), the field holds an UnknownService instead of the
run crashing: the handler reports that kind's listing as failed, and the account NON_COMPLIANT naming it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from botocore.config import Config
from botocore.exceptions import UnknownServiceError

RETRY_CONFIG = Config(retries={"mode": "adaptive", "max_attempts": 10})


@dataclass(frozen=True)
class UnknownService:
    """A client botocore could not create: the service is not in its models."""

    service: str
    reason: str


@dataclass(frozen=True)
class Clients:
    datazone: Any
    bedrock_agent: Any
    bedrock: Any
    bedrock_agent_runtime: Any
    bedrock_data_automation: Any
    bedrock_agentcore_control: Any
    kms: Any
    config: Any
    cloudwatch: Any
    dynamodb: Any

    @classmethod
    def from_session(cls, session: Any, config: Config = RETRY_CONFIG) -> "Clients":
        def client(name: str) -> Any:
            try:
                return session.client(name, config=config)
            except UnknownServiceError:
                import botocore

                return UnknownService(name, f"botocore {botocore.__version__} has no model of the service {name}")

        return cls(**{f.name: client(f.name.replace("_", "-")) for f in fields(cls)})
