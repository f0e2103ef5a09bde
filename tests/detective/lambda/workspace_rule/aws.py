"""Test helpers that act on botocore itself: moto for KMS, Config, CloudWatch and DynamoDB, Stubber
(which validates every request and response against the service model) for DataZone and Bedrock,
and HTTP-level faults injected with botocore's `before-send` event, so retries really happen."""

from __future__ import annotations

import json
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
GOOD_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
         "Action": ["kms:DescribeKey", "kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:ScheduleKeyDeletion"], "Resource": "*"},
        {"Sid": "DataZone", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey", "kms:CreateGrant", "kms:DescribeKey"], "Resource": "*",
         "Condition": {"StringEquals": {"kms:ViaService": f"datazone.{REGION}.amazonaws.com"}}},
    ],
}
OWNED_TAGS = [{"TagKey": "Owner", "TagValue": "data-platform"}, {"TagKey": "CostCenter", "TagValue": "cc-42"},
              {"TagKey": "DataClassification", "TagValue": "confidential"}]


def client(service: str) -> Any:
    return boto3.client(service, region_name=REGION)


def good_key(kms: Any) -> str:
    """A key the verdict accepts: customer-managed, enabled, rotated, owned, least-privilege."""
    arn = kms.create_key(Policy=json.dumps(GOOD_POLICY), Tags=OWNED_TAGS)["KeyMetadata"]["Arn"]
    kms.enable_key_rotation(KeyId=arn)
    return arn


class _Raw:
    def __init__(self, body: bytes):
        self._body = body

    def stream(self, **_: Any):
        yield self._body


def fail_http(client_: Any, operation: str, code: str, message: str, status: int = 400, times: int = 1) -> list[int]:
    """Answer the next `times` calls of `operation` with an AWS JSON error, then let calls through.
    Returns a list that counts the failures served."""
    served: list[int] = []
    event = f"before-send.{client_.meta.service_model.service_id.hyphenize()}.{operation}"

    def respond(request: Any, **_: Any) -> AWSResponse | None:
        if len(served) >= times:
            return None
        served.append(1)
        body = json.dumps({"__type": code, "message": message}).encode()
        return AWSResponse(request.url, status, {"x-amzn-RequestId": "fault"}, _Raw(body))

    client_.meta.events.register_first(event, respond)
    return served


def record_calls(client_: Any, operation: str) -> list[dict[str, Any]]:
    """The parameters of every call of `operation`, as botocore sends them."""
    calls: list[dict[str, Any]] = []
    event = f"provide-client-params.{client_.meta.service_model.service_id.hyphenize()}.{operation}"
    client_.meta.events.register(event, lambda params, **_: calls.append(dict(params)))
    return calls


class ListingStubber(Stubber):
    """botocore's Stubber, except that a kind's List call for which the test queued nothing at all answers one
    empty page (validated against the model like any queued response): a scenario queues only the kinds it is
    about, in the order the handler calls them, and every other kind of the inventory lists empty."""

    def __init__(self, client_: Any, empty: dict[str, dict[str, Any]]):
        super().__init__(client_)
        self.empty = empty  # operation name -> its empty response
        for operation, response in empty.items():
            self._validate_operation_response(operation, response)

    def _unqueued_listing(self, model: Any) -> bool:
        return model.name in self.empty and all(item["operation_name"] != model.name for item in self._queue)

    def _assert_expected_params(self, model, params, context, **kwargs):
        if not self._unqueued_listing(model):
            super()._assert_expected_params(model, params, context, **kwargs)

    def _get_response_handler(self, model, params, context, **kwargs):
        if self._unqueued_listing(model):
            return AWSResponse(None, 200, {}, None), dict(self.empty[model.name])
        return super()._get_response_handler(model, params, context, **kwargs)


def empty_listings(service: str) -> dict[str, dict[str, Any]]:
    """The List operation of every inventory kind of `service`, with its empty page."""
    from guardrails.live_inventory import SOURCES

    api = client(service).meta.method_to_api_mapping
    return {api[s.list_method]: {s.list_items: []} for s in SOURCES if s.service == service}


class StubbedService:
    """A Stubber-backed client; every queued response is checked against the real service model."""

    def __init__(self, service: str):
        self.client = client(service)
        self.stubber = ListingStubber(self.client, empty_listings(service))

    def respond(self, method: str, response: dict[str, Any], params: dict[str, Any] | None = None) -> None:
        self.stubber.add_response(method, response, params)

    def error(self, method: str, code: str, message: str, status: int = 400, params: dict[str, Any] | None = None) -> None:
        self.stubber.add_client_error(method, code, message, status, expected_params=params)


def latest_metric(cloudwatch: Any, name: str, now: Any) -> float | None:
    """The highest value of BedrockGuardrails/`name` within an hour of `now`; None when nothing was published."""
    from datetime import timedelta

    stats = cloudwatch.get_metric_statistics(Namespace="BedrockGuardrails", MetricName=name, StartTime=now - timedelta(hours=1),
                                             EndTime=now + timedelta(hours=1), Period=3600, Statistics=["Maximum"])
    return max((p["Maximum"] for p in stats["Datapoints"]), default=None)
