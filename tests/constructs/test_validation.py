"""checked_key_arn, the one gate every construct's key= passes: a literal key ARN must be well formed by the
shared definition (guardrails/kms_identifiers.py); a key defined in the app (its ARN a CDK token until deploy)
keeps working."""

from __future__ import annotations

import pytest
from aws_cdk import Token
from aws_cdk import aws_kms as kms

from guardrails.constructs import ConstructInputError, WorkspaceKey
from guardrails.constructs.validation import checked_key_arn
from tests.constructs.conftest import ACCOUNT, OWNERSHIP, REGION, new_stack
from tests.test_kms_identifiers import MALFORMED_KEY_ARNS, MRK, UUID


@pytest.mark.parametrize("arn", [f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{UUID}", f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{MRK}"])
def test_a_well_formed_key_arn_in_the_stacks_region_passes(arn):
    assert checked_key_arn(new_stack(), arn) == arn


@pytest.mark.parametrize("arn", MALFORMED_KEY_ARNS)
def test_a_malformed_key_arn_is_refused(arn):
    with pytest.raises(ConstructInputError, match="is an alias|not a full customer-managed key ARN"):
        checked_key_arn(new_stack(), arn)


def test_the_shared_definition_keeps_the_other_region_check():
    with pytest.raises(ConstructInputError, match="region eu-west-1"):
        checked_key_arn(new_stack(), f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/{UUID}")


def test_a_key_defined_in_the_app_passes_with_its_token_arn():
    stack = new_stack()
    for key in (kms.Key(stack, "Plain"), WorkspaceKey(stack, "Workspace", **OWNERSHIP).key):
        arn = checked_key_arn(stack, key)
        assert Token.is_unresolved(arn) and arn == key.key_arn
