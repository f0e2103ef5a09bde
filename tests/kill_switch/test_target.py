"""Which key the kill switch acts on: only a well-formed key ARN (the shared definition in
guardrails/kms_identifiers.py), and a dependent matches the key only through a well-formed identifier."""

from __future__ import annotations

import pytest

from guardrails.audit.model import Resource
from guardrails.errors import GuardrailsInputError
from guardrails.kill_switch.blast_radius import _KeyMatcher
from guardrails.kill_switch.target import parse_key_arn
from tests.test_kms_identifiers import MALFORMED_KEY_ARNS, MRK, UUID

ARN = f"arn:aws:kms:eu-west-1:111111111111:key/{UUID}"


def test_a_key_arn_names_the_key_and_its_account_and_region():
    ref = parse_key_arn(ARN)
    assert (ref.arn, ref.partition, ref.region, ref.account, ref.key_id) == (ARN, "aws", "eu-west-1", "111111111111", UUID)
    assert parse_key_arn(f"arn:aws-us-gov:kms:us-gov-west-1:111111111111:key/{MRK}").key_id == MRK


@pytest.mark.parametrize("text", [*MALFORMED_KEY_ARNS, "alias/team", ""])
def test_anything_but_a_well_formed_key_arn_is_refused_as_input(text):
    with pytest.raises(GuardrailsInputError, match="not a KMS key ARN"):
        parse_key_arn(text)


def _uses_key(identifier: str) -> bool:
    def no_client(*_):
        raise AssertionError("no alias lookup expected")
    resource = Resource("AWS::Bedrock::Agent", "arn:aws:bedrock:eu-west-1:111111111111:agent/A", "a",
                        "111111111111", "eu-west-1", identifier)
    return _KeyMatcher(parse_key_arn(ARN), no_client).uses_key(resource)


@pytest.mark.parametrize("identifier, uses", [
    (ARN, True),
    (UUID, True),  # a bare key id names a key of the resource's own account and Region
    (f"arn:aws:kms:eu-west-1:111111111111:key/{UUID}\n", True),  # what an API reports is stripped first
    (f"arn:aws-evil:kms:eu-west-1:111111111111:key/{UUID}", False),  # no such partition: names no key
    (f"arn:aws:kms:eu-west-1:111111111111:key/{UUID.upper()}", False),
    (f"arn:aws:kms:eu-west-1:222222222222:key/{UUID}", False),  # the same id in another account
    ("arn:aws:kms:eu-west-1:111111111111:key/" + "-" * 36, False),
])
def test_a_dependent_uses_the_key_only_through_a_well_formed_identifier(identifier, uses):
    assert _uses_key(identifier) is uses
