"""The kill-switch runbook against AWS's own data: every API step names a real KMS operation with real
parameters (botocore's service model), the property it asserts exists in DescribeKey's output, steps link
to steps that exist, and SSM (moto) accepts the document as an Automation runbook."""

from __future__ import annotations

import json

import boto3
import botocore.session
import pytest
from moto import mock_aws

from guardrails.kill_switch.runbook import automation_document, key_state_change_pattern

ROLE = "arn:aws:iam::123456789012:role/bedrock-guardrails-kill-switch"
APPROVERS = ["arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:role/SecurityLead"]
# Systems Manager User Guide, "Systems Manager Automation actions reference".
DOCUMENTED_ACTIONS = {"aws:approve", "aws:branch", "aws:executeAwsApi", "aws:assertAwsResourceProperty"}
KMS = botocore.session.get_session().get_service_model("kms")


@pytest.fixture(scope="module")
def document():
    return automation_document(ROLE, APPROVERS)


def test_steps_use_documented_actions_and_link_to_existing_steps(document):
    steps = {s["name"]: s for s in document["mainSteps"]}
    assert {s["action"] for s in steps.values()} <= DOCUMENTED_ACTIONS
    targets = [s["nextStep"] for s in steps.values() if "nextStep" in s]
    targets += [c["NextStep"] for s in steps.values() if s["action"] == "aws:branch" for c in s["inputs"]["Choices"]]
    assert set(targets) <= set(steps) and document["mainSteps"][0]["action"] == "aws:approve"


def test_api_steps_call_real_kms_operations_with_real_parameters(document):
    for step in document["mainSteps"]:
        if step["action"] not in ("aws:executeAwsApi", "aws:assertAwsResourceProperty"):
            continue
        assert step["inputs"]["Service"] == "kms"
        operation = KMS.operation_model(step["inputs"]["Api"])  # raises for an unknown operation
        parameters = set(step["inputs"]) - {"Service", "Api", "PropertySelector", "DesiredValues"}
        assert parameters <= set(operation.input_shape.members), (step["name"], parameters)
        if step["action"] == "aws:assertAwsResourceProperty":
            _, first, second = step["inputs"]["PropertySelector"].split(".")
            assert second in operation.output_shape.members[first].members
            assert set(step["inputs"]["DesiredValues"]) <= set(KMS.shape_for("KeyState").enum)


def test_the_runbook_never_deletes_and_only_approvers_unblock_it(document):
    apis = {s["inputs"]["Api"] for s in document["mainSteps"] if "Api" in s["inputs"]}
    assert apis == {"DisableKey", "EnableKey", "TagResource", "DescribeKey"}
    approve = document["mainSteps"][0]
    assert approve["inputs"]["Approvers"] == APPROVERS and approve["onFailure"] == "Abort"
    assert document["assumeRole"] == ROLE


def test_a_runbook_without_approvers_is_refused():
    with pytest.raises(ValueError, match="approver"):
        automation_document(ROLE, [])


def test_ssm_accepts_it_as_an_automation_document(document):
    with mock_aws():
        ssm = boto3.client("ssm", region_name="us-east-1")
        created = ssm.create_document(Name="KillSwitch", Content=json.dumps(document), DocumentType="Automation",
                                      DocumentFormat="JSON")["DocumentDescription"]
        assert created["DocumentType"] == "Automation"
        assert {p["Name"] for p in created["Parameters"]} == {"KeyArn", "Action", "Reason"}


@pytest.mark.parametrize("event_name, delivered", [("DisableKey", True), ("EnableKey", True), ("CreateKey", False),
                                                   ("ScheduleKeyDeletion", False)])
def test_key_state_changes_reach_the_target(event_name, delivered):
    """EventBridge's own matching (moto PutEvents to an SQS target; its TestEventPattern is a stub)."""
    with mock_aws():
        sqs = boto3.client("sqs", region_name="us-east-1")
        url = sqs.create_queue(QueueName="alerts")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        bus = boto3.client("events", region_name="us-east-1")
        bus.put_rule(Name="r", EventPattern=json.dumps(key_state_change_pattern()))
        bus.put_targets(Rule="r", Targets=[{"Id": "t", "Arn": arn}])
        detail = {"eventSource": "kms.amazonaws.com", "eventName": event_name,
                  "requestParameters": {"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab"}}
        bus.put_events(Entries=[{"Source": "aws.kms", "DetailType": "AWS API Call via CloudTrail", "Detail": json.dumps(detail)}])
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        assert bool(messages) is delivered


def test_the_runbook_takes_only_well_formed_key_arns(document):
    import re

    from tests.test_kms_identifiers import MALFORMED_KEY_ARNS, MRK, UUID

    pattern = re.compile(document["parameters"]["KeyArn"]["allowedPattern"])
    assert pattern.search(f"arn:aws:kms:us-east-1:111111111111:key/{UUID}")
    assert pattern.search(f"arn:aws-us-gov:kms:us-gov-west-1:111111111111:key/{MRK}")
    # A trailing newline is left out: the runbook keeps its ^...$ anchors, and `$` matches before a final
    # newline in Python and in Java alike.
    for arn in (a for a in MALFORMED_KEY_ARNS if not a.endswith("\n")):
        assert not pattern.search(arn), arn
