"""The boto3 clients the rule uses, all with botocore's adaptive retry mode (throttling backs off)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.config import Config

RETRY_CONFIG = Config(retries={"mode": "adaptive", "max_attempts": 10})


@dataclass(frozen=True)
class Clients:
    datazone: Any
    bedrock_agent: Any
    bedrock: Any
    kms: Any
    config: Any
    cloudwatch: Any
    dynamodb: Any

    @classmethod
    def from_session(cls, session: Any, config: Config = RETRY_CONFIG) -> "Clients":
        def client(name: str) -> Any:
            return session.client(name, config=config)

        return cls(datazone=client("datazone"), bedrock_agent=client("bedrock-agent"), bedrock=client("bedrock"),
                   kms=client("kms"), config=client("config"), cloudwatch=client("cloudwatch"), dynamodb=client("dynamodb"))
