"""The one definition of a KMS key identifier's forms (AWS KMS Developer Guide, "Key identifiers (KeyId)",
https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id): what parses as a key ARN or an
alias ARN, and the malformed values every caller (scanner, constructs, audit --fix, kill switch) refuses."""

from __future__ import annotations

import json
import os
import re

import botocore
import pytest

from guardrails.kms_identifiers import KEY_ARN, KEY_ARN_BODY, KEY_ID, PARTITIONS, parse_key_arn, parse_kms_arn

UUID = "1234abcd-12ab-34cd-56ef-1234567890ab"
MRK = "mrk-1234abcd12ab34cd56ef1234567890ab"
# Malformed key ARNs (issue 11 and their neighbours): each must be refused wherever a key ARN is required.
MALFORMED_KEY_ARNS = [
    "arn:aws:kms:us-east-1:111111111111:key/" + "-" * 36,  # 36 dashes is not a key id
    f"arn:aws:kms:us-east-1:111111111111:key/{UUID}\n",  # `$` matched before a trailing newline
    f" arn:aws:kms:us-east-1:111111111111:key/{UUID}",
    f"arn:aws-evil:kms:us-east-1:111111111111:key/{UUID}",  # no such partition
    f"arn:awsx:kms:us-east-1:111111111111:key/{UUID}",
    f"arn:aws:kms:us-east-1:111111111111:key/{UUID.upper()}",  # KMS key ids are lower-case hex
    f"arn:aws:kms:us-east-1:111111111111:key/{UUID}/extra",
    f"arn:aws:kms::111111111111:key/{UUID}",  # no Region
    f"arn:aws:kms:us-east-1:1111:key/{UUID}",
    f"arn:aws:kms:us-east-1:111111111111:key/mrk-1234",
    "arn:aws:kms:us-east-1:111111111111:key/1234abcd12ab34cd56ef1234567890abcdef",  # 36 characters, no dashes
    f"arn:aws:s3:us-east-1:111111111111:key/{UUID}",
    "arn:aws:kms:us-east-1:111111111111:alias/team",  # an alias ARN is not a key ARN: it can be repointed
    UUID,  # a key id names no account or Region
]


@pytest.mark.parametrize("arn, parts", [
    (f"arn:aws:kms:us-east-1:111111111111:key/{UUID}", ("aws", "us-east-1", "111111111111", UUID)),
    (f"arn:aws-us-gov:kms:us-gov-west-1:222222222222:key/{MRK}", ("aws-us-gov", "us-gov-west-1", "222222222222", MRK)),
    (f"arn:aws-eusc:kms:eusc-de-east-1:111111111111:key/{UUID}", ("aws-eusc", "eusc-de-east-1", "111111111111", UUID)),
    (f"arn:aws-iso-b:kms:us-isob-east-1:111111111111:key/{UUID}", ("aws-iso-b", "us-isob-east-1", "111111111111", UUID)),
])
def test_a_key_arn_parses_into_its_parts(arn, parts):
    parsed = parse_key_arn(arn)
    assert parsed is not None and (parsed.partition, parsed.region, parsed.account, parsed.key_id) == parts
    assert parsed.resource_type == "key" and parsed.arn == arn


@pytest.mark.parametrize("text", MALFORMED_KEY_ARNS)
def test_malformed_key_arns_do_not_parse(text):
    assert parse_key_arn(text) is None and not KEY_ARN.match(text)


def test_an_alias_arn_parses_as_an_alias_but_never_as_a_key():
    parsed = parse_kms_arn("arn:aws-cn:kms:cn-north-1:333333333333:alias/team/research")
    assert parsed is not None and (parsed.resource_type, parsed.resource_id, parsed.account, parsed.region) == (
        "alias", "team/research", "333333333333", "cn-north-1")
    assert parse_key_arn(parsed.arn) is None
    with pytest.raises(ValueError, match="not a key ARN"):
        parsed.key_id  # noqa: B018 - an alias ARN has no key id to act on
    assert parse_kms_arn("alias/team") is None  # an alias name names no account or Region
    assert parse_kms_arn("arn:aws:kms:us-east-1:111111111111:alias/team\n") is None


def test_key_ids_are_lower_case_uuids_or_multi_region_ids():
    assert KEY_ID.match(UUID) and KEY_ID.match(MRK)
    for text in (UUID.upper(), MRK.upper(), UUID + "\n", "-" * 36, "mrk-" + "g" * 32):
        assert not KEY_ID.match(text), text


def test_the_unanchored_body_is_the_same_pattern_without_groups():
    # The SSM runbook's allowedPattern is built from the body: no Python-only syntax such as (?P<name>...).
    assert "(?P" not in KEY_ARN_BODY and KEY_ARN.pattern == rf"\A{KEY_ARN_BODY}\Z"


def test_partitions_are_botocores():
    data = json.loads(open(os.path.join(os.path.dirname(botocore.__file__), "data", "partitions.json")).read())
    assert sorted(PARTITIONS) == sorted(p["id"] for p in data["partitions"])
    assert all(re.fullmatch(r"[a-z-]+", p) for p in PARTITIONS)  # the patterns put them in unescaped
