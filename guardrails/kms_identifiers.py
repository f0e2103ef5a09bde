"""The forms of a KMS key identifier, defined once for the scanner, the constructs, the audit and the kill switch.

AWS KMS Developer Guide, "Key identifiers (KeyId)" (concepts.html#key-id): a key ID is a UUID such as
1234abcd-12ab-34cd-56ef-1234567890ab, or for a multi-Region key mrk- and 32 hex digits
(mrk-1234abcd12ab34cd56ef1234567890ab); a key ARN is arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID; an alias
name is alias/NAME and an alias ARN arn:PARTITION:kms:REGION:ACCOUNT:alias/NAME. KMS generates key IDs in
lower-case hex and every form the guide and the API reference show is lower-case, so only lower-case hex
is a key ID here: anything else cannot be proven to name a key (fail closed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Partitions as botocore's partitions.json lists them (tests/test_kms_identifiers.py compares): an ARN in any
# other "partition" names no key. Region: two or more letter groups and a number (us-gov-west-1, eusc-de-east-1).
PARTITIONS = ("aws", "aws-cn", "aws-eusc", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-us-gov")
# Letters and hyphens only (a test checks), so nothing to escape: the pattern reads the same in SSM's regexes.
_PARTITION = "(?:" + "|".join(sorted(PARTITIONS, key=len, reverse=True)) + ")"
_REGION = r"[a-z]{2,}(?:-[a-z]+)+-\d{1,2}"
_KEY_ID = r"(?:mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
_ARN_PREFIX = rf"arn:{_PARTITION}:kms:{_REGION}:\d{{12}}:"
# Unanchored and without groups, so that it also serves as an SSM document's allowedPattern (not Python's re).
KEY_ARN_BODY = rf"{_ARN_PREFIX}key/{_KEY_ID}"
# Every pattern is anchored with \A and \Z (`$` would match before a trailing newline), so .match and
# .fullmatch agree.
KEY_ARN = re.compile(rf"\A{KEY_ARN_BODY}\Z")
KEY_ID = re.compile(rf"\A{_KEY_ID}\Z")
ALIAS = re.compile(rf"\A(?:{_ARN_PREFIX})?alias/(?P<name>[A-Za-z0-9/_-]+)\Z")


@dataclass(frozen=True)
class KmsArn:
    """The parts of a well-formed key ARN or alias ARN."""

    arn: str
    partition: str
    region: str
    account: str
    resource_type: str  # "key" or "alias"
    resource_id: str  # the key ID, or the alias name without alias/

    @property
    def key_id(self) -> str:
        """The key ID; only a key ARN has one (parse_key_arn returns nothing else)."""
        if self.resource_type != "key":
            raise ValueError(f"{self.arn} is an alias ARN, not a key ARN")
        return self.resource_id


def parse_kms_arn(text: str) -> KmsArn | None:
    """A key ARN or an alias ARN, matched in full; None for anything else (key IDs and alias names included)."""
    if not (KEY_ARN.match(text) or (text.startswith("arn:") and ALIAS.match(text))):
        return None
    _, partition, _, region, account, resource = text.split(":")  # the patterns allow no other colon
    resource_type, resource_id = resource.split("/", 1)
    return KmsArn(text, partition, region, account, resource_type, resource_id)


def parse_key_arn(text: str) -> KmsArn | None:
    """A key ARN, matched in full; None for anything else, alias ARNs included (an alias can be repointed)."""
    parsed = parse_kms_arn(text)
    return parsed if parsed is not None and parsed.resource_type == "key" else None
