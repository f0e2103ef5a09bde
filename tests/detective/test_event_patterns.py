"""Patterns checked with EventBridge's matching semantics through botocore: no maintained Python
library implements them, and moto 5.2.5's TestEventPattern is a stub, so each sample CloudTrail
event is sent with PutEvents to a moto event bus whose rule has our pattern and InputTransformer and
an SQS target; what arrives on the queue is what SNS would get."""

import json

import boto3
import botocore.session
import pytest
from moto import mock_aws

from guardrails.detective.event_patterns import KEYLESS_CREATES, KeylessCreate, input_transformer, pattern_json

ACCOUNT = "123456789012"


def cloudtrail_event(create: KeylessCreate, request: dict, error: str | None = None) -> dict:
    detail = {"eventVersion": "1.09", "eventSource": create.event_source, "eventName": create.operation,
              "awsRegion": "eu-west-1", "userIdentity": {"type": "AssumedRole", "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/dev/alice"},
              "requestParameters": request, "responseElements": None if error else {"id": "dzd_123"}}
    if error:
        detail["errorCode"] = error
    return {"version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718", "detail-type": "AWS API Call via CloudTrail",
            "source": create.source, "account": ACCOUNT, "time": "2026-11-28T10:00:00Z", "region": "eu-west-1",
            "resources": [], "detail": detail}


def with_key(create: KeylessCreate, value: str) -> dict:
    request: dict = {"name": "n"}
    node = request
    for step in create.key_field[:-1]:
        node = node.setdefault(step, {})
    node[create.key_field[-1]] = value
    return request


@pytest.fixture(scope="module")
def events():
    with mock_aws():
        sqs = boto3.client("sqs", region_name="eu-west-1")
        url = sqs.create_queue(QueueName="alerts")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        yield boto3.client("events", region_name="eu-west-1"), sqs, url, arn


def deliver(events, create: KeylessCreate, event: dict) -> list[str]:
    """What reaches the target when `event` is put on a bus that has `create`'s rule."""
    client, sqs, url, arn = events
    client.put_rule(Name="r", EventPattern=pattern_json(create))
    client.put_targets(Rule="r", Targets=[{"Id": "t", "Arn": arn, "InputTransformer": input_transformer(create)}])
    client.put_events(Entries=[{"Source": event["source"], "DetailType": event["detail-type"], "Detail": json.dumps(event["detail"])}])
    client.remove_targets(Rule="r", Ids=["t"])
    client.delete_rule(Name="r")
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    for message in messages:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return [m["Body"] for m in messages]


def matches(events, create: KeylessCreate, event: dict) -> bool:
    return bool(deliver(events, create, event))


@pytest.mark.parametrize("create", KEYLESS_CREATES, ids=lambda c: c.operation)
def test_a_create_without_a_key_matches(events, create):
    assert matches(events, create, cloudtrail_event(create, {"name": "n"}))
    assert matches(events, create, cloudtrail_event(create, None))


@pytest.mark.parametrize("create", KEYLESS_CREATES, ids=lambda c: c.operation)
def test_a_create_with_a_key_does_not_match(events, create):
    key = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert not matches(events, create, cloudtrail_event(create, with_key(create, key)))


@pytest.mark.parametrize("create", KEYLESS_CREATES[:1], ids=lambda c: c.operation)
def test_a_failed_create_and_other_calls_do_not_match(events, create):
    assert not matches(events, create, cloudtrail_event(create, {"name": "n"}, error="AccessDenied"))
    other = cloudtrail_event(create, {"name": "n"})
    other["detail"]["eventName"] = "UpdateDomain"
    assert not matches(events, create, other)


@pytest.mark.parametrize("create", KEYLESS_CREATES, ids=lambda c: c.operation)
def test_the_key_field_is_the_apis_own(create):
    """requestParameters in CloudTrail are the API's input members: check the path in the service model."""
    shape = botocore.session.get_session().get_service_model(create.service).operation_model(create.operation).input_shape
    for step in create.key_field:
        assert step in shape.members, (create.operation, step)
        shape = shape.members[step]
    assert shape.type_name == "string"


@pytest.mark.parametrize("create", KEYLESS_CREATES, ids=lambda c: c.operation)
def test_every_field_the_alert_reads_is_the_apis_own(create):
    """Issue #10 item 13: the CreateAgent alert read requestParameters.name, but CreateAgent's input member is
    agentName, so every agent alert said 'Name: ' with nothing. The input paths of every alert are checked
    against the operation's input (requestParameters) and output (responseElements) shapes in botocore."""
    operation = botocore.session.get_session().get_service_model(create.service).operation_model(create.operation)
    for name, path in create.input_paths().items():
        root, _, rest = path.removeprefix("$.detail.").partition(".")
        if root not in ("requestParameters", "responseElements"):
            continue
        shape = operation.input_shape if root == "requestParameters" else operation.output_shape
        for step in rest.split("."):
            assert step in shape.members, (create.operation, name, path)
            shape = shape.members[step]
        assert shape.type_name == "string", (create.operation, path)


def test_the_delivered_message_names_who_where_what_and_the_fix(events):
    create = KEYLESS_CREATES[0]
    [body] = deliver(events, create, cloudtrail_event(create, {"name": "research"}))
    text = json.loads(body)
    assert f"arn:aws:sts::{ACCOUNT}:assumed-role/dev/alice" in text
    assert f"Account: {ACCOUNT}" in text and "Name: research (id dzd_123)" in text
    assert "Fix: " in text and "kmsKeyIdentifier" in text


def test_the_agent_alert_names_the_agent(events):
    create = next(c for c in KEYLESS_CREATES if c.operation == "CreateAgent")
    [body] = deliver(events, create, cloudtrail_event(create, {"agentName": "support-bot"}))
    assert "Name: support-bot" in json.loads(body)
