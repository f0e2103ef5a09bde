import gzip
import json
from pathlib import Path

import boto3
import moto
from moto import mock_aws

from guardrails.detective.managed_rules import MANAGED_RULES

_MOTO_LIST = Path(moto.__file__).parent / "config" / "resources" / "aws_managed_rules.json.gz"


def test_each_identifier_is_in_the_published_managed_rule_list_for_its_resource_type():
    published = json.loads(gzip.decompress(_MOTO_LIST.read_bytes()))["ManagedRules"]
    for rule in MANAGED_RULES:
        assert rule.identifier in published, rule.identifier
        assert rule.resource_type in published[rule.identifier]["Resource Types"], rule.identifier


@mock_aws
def test_config_accepts_each_identifier_as_an_aws_owned_rule():
    config = boto3.client("config", region_name="us-east-1")
    for rule in MANAGED_RULES:
        config.put_config_rule(ConfigRule={"ConfigRuleName": rule.identifier.lower(),
                                           "Source": {"Owner": "AWS", "SourceIdentifier": rule.identifier}})
    names = {r["Source"]["SourceIdentifier"] for r in config.describe_config_rules()["ConfigRules"]}
    assert names == {r.identifier for r in MANAGED_RULES}
