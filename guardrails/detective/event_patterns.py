"""Real-time detection: EventBridge patterns for CloudTrail create calls made without a key.

The requestParameters field names are the API's (botocore service models; a test re-checks each
against the pinned botocore). Only successful calls match (no errorCode): a denied call created
nothing. Each pattern's input transformer writes a message a person can act on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

DETAIL_TYPE = "AWS API Call via CloudTrail"


@dataclass(frozen=True)
class KeylessCreate:
    service: str  # botocore service name
    event_source: str  # CloudTrail eventSource
    operation: str  # API and CloudTrail eventName
    key_field: tuple[str, ...]  # where requestParameters holds the key
    what: str  # the resource, for people
    resource_id: str  # responseElements field that names what was created
    fix: str
    name_field: str = "name"  # requestParameters field with the resource's name (CreateAgent's is agentName)

    @property
    def source(self) -> str:
        return "aws." + self.event_source.split(".")[0]

    def pattern(self) -> dict[str, Any]:
        absent: Any = [{"exists": False}]
        for step in reversed(self.key_field):
            absent = {step: absent}
        return {"source": [self.source], "detail-type": [DETAIL_TYPE],
                "detail": {"eventSource": [self.event_source], "eventName": [self.operation],
                           "errorCode": [{"exists": False}], "requestParameters": absent}}

    def input_paths(self) -> dict[str, str]:
        return {"who": "$.detail.userIdentity.arn", "account": "$.account", "region": "$.region", "time": "$.time",
                "name": f"$.detail.requestParameters.{self.name_field}", "id": f"$.detail.responseElements.{self.resource_id}"}

    def message(self) -> str:
        return (f"{self.what} created WITHOUT a customer-managed KMS key. Who: <who>. Account: <account>. "
                f"Region: <region>. Name: <name> (id <id>), at <time>. Its data is encrypted with an AWS-owned key. "
                f"Fix: {self.fix}")


_RECREATE = "encryption is fixed at creation: create a replacement with {field} set to a customer-managed key ARN " \
            "(see `guardrails migrate-plan`), move the content, delete this one."
KEYLESS_CREATES: tuple[KeylessCreate, ...] = (
    KeylessCreate("datazone", "datazone.amazonaws.com", "CreateDomain", ("kmsKeyIdentifier",),
                  "Bedrock workspace (DataZone domain)", "id", _RECREATE.format(field="kmsKeyIdentifier")),
    KeylessCreate("bedrock-agent", "bedrock.amazonaws.com", "CreateAgent", ("customerEncryptionKeyArn",),
                  "Bedrock agent", "agent.agentId",
                  "UpdateAgent with customerEncryptionKeyArn set to a customer-managed key ARN, then prepare the agent.",
                  name_field="agentName"),
    KeylessCreate("bedrock-agent", "bedrock.amazonaws.com", "CreateFlow", ("customerEncryptionKeyArn",),
                  "Bedrock flow", "id", "UpdateFlow with customerEncryptionKeyArn set to a customer-managed key ARN."),
    KeylessCreate("bedrock-agent", "bedrock.amazonaws.com", "CreatePrompt", ("customerEncryptionKeyArn",),
                  "Bedrock prompt", "id", "UpdatePrompt with customerEncryptionKeyArn set to a customer-managed key ARN."),
    KeylessCreate("bedrock-agent", "bedrock.amazonaws.com", "CreateDataSource", ("serverSideEncryptionConfiguration", "kmsKeyArn"),
                  "Bedrock knowledge-base data source", "dataSource.dataSourceId",
                  "UpdateDataSource with serverSideEncryptionConfiguration.kmsKeyArn set to a customer-managed key ARN."),
    KeylessCreate("bedrock", "bedrock.amazonaws.com", "CreateGuardrail", ("kmsKeyId",), "Bedrock guardrail", "guardrailId",
                  "UpdateGuardrail with kmsKeyId set to a customer-managed key ARN."),
    KeylessCreate("bedrock-agentcore-control", "bedrock-agentcore.amazonaws.com", "CreateMemory", ("encryptionKeyArn",),
                  "Bedrock AgentCore memory", "memory.id", _RECREATE.format(field="encryptionKeyArn")),
    KeylessCreate("bedrock-agentcore-control", "bedrock-agentcore.amazonaws.com", "CreateGateway", ("kmsKeyArn",),
                  "Bedrock AgentCore gateway", "gatewayId", "UpdateGateway with kmsKeyArn set to a customer-managed key ARN."),
)


def pattern_json(create: KeylessCreate) -> str:
    return json.dumps(create.pattern(), sort_keys=True)


def input_transformer(create: KeylessCreate) -> dict[str, Any]:
    """EventBridge InputTransformer: the SNS message is the plain-text message with the fields filled in."""
    return {"InputPathsMap": create.input_paths(), "InputTemplate": json.dumps(create.message())}
