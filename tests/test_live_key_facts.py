"""The KMS fact-gathering shared by the audit and the Config rule, through botocore's Stubber."""

from __future__ import annotations

import botocore.session
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from guardrails.live_key_facts import CROSS_ACCOUNT, gather_key_facts

OTHER = "arn:aws:kms:us-east-1:222222222222:key/12345678-1234-1234-1234-123456789012"
META = {"KeyId": "12345678-1234-1234-1234-123456789012", "Arn": OTHER, "KeyManager": "CUSTOMER",
        "KeyState": "Enabled", "KeySpec": "SYMMETRIC_DEFAULT"}


def _kms():
    return botocore.session.get_session().create_client("kms", region_name="us-east-1", aws_access_key_id="a",
                                                         aws_secret_access_key="b")


def test_key_of_another_account_is_not_asked_for_tags_and_policy():
    kms = _kms()
    with Stubber(kms) as stub:
        stub.add_response("describe_key", {"KeyMetadata": META}, {"KeyId": OTHER})
        stub.add_response("get_key_rotation_status", {"KeyRotationEnabled": True}, {"KeyId": OTHER})
        facts = gather_key_facts(kms, OTHER, describe_error=str, catch=(ClientError,), own_account="111111111111")
        stub.assert_no_pending_responses()
    assert facts.errors == {"ListResourceTags": CROSS_ACCOUNT, "GetKeyPolicy": CROSS_ACCOUNT}
    assert facts.rotation["KeyRotationEnabled"] is True


def test_every_call_is_made_without_own_account_and_failures_are_recorded():
    kms = _kms()
    with Stubber(kms) as stub:
        stub.add_response("describe_key", {"KeyMetadata": META}, {"KeyId": OTHER})
        stub.add_client_error("get_key_rotation_status", "AccessDeniedException", "no", expected_params={"KeyId": OTHER})
        stub.add_response("list_resource_tags", {"Tags": [{"TagKey": "Owner", "TagValue": "a"}]}, {"KeyId": OTHER})
        stub.add_response("get_key_policy", {"Policy": "{}"}, {"KeyId": OTHER, "PolicyName": "default"})
        facts = gather_key_facts(kms, OTHER, describe_error=lambda e: e.response["Error"]["Code"], catch=(ClientError,))
        stub.assert_no_pending_responses()
    assert facts.errors == {"GetKeyRotationStatus": "AccessDeniedException"}
    assert facts.tags == [{"TagKey": "Owner", "TagValue": "a"}] and facts.policy == "{}"


def test_exceptions_outside_catch_propagate():
    kms = _kms()
    with Stubber(kms) as stub:
        stub.add_client_error("describe_key", "NotFoundException", "gone", expected_params={"KeyId": OTHER})
        with pytest.raises(ClientError):
            gather_key_facts(kms, OTHER, describe_error=str, catch=(KeyError,))
