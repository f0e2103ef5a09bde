import gzip
import json
from pathlib import Path

import boto3
import pytest
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


def _region_codes() -> dict[str, str]:
    """Region names as the Config guide writes them -> codes, from botocore's endpoint data."""
    from botocore.loaders import create_loader

    endpoints = create_loader().load_data("endpoints")
    return {r["description"]: code for p in endpoints["partitions"] for code, r in p["regions"].items()}


def _published_regions(text: str) -> tuple[str, frozenset[str]]:
    """("all" | "only" | "except", codes) from the guide's "AWS Region:" text, as moto's list carries it."""
    import re

    codes = _region_codes()
    for kind, prefix in (("only", "Only available in "), ("except", "All supported AWS regions except ")):
        if text.startswith(prefix):
            names = re.split(r", | and ", text.removeprefix(prefix).removesuffix(" Region"))
            assert all(n in codes for n in names), [n for n in names if n not in codes]
            return kind, frozenset(codes[n] for n in names)
    assert text == "All supported AWS regions", text
    return "all", frozenset()


def test_the_region_table_is_the_config_guides():
    """Issue #10 item 14: BEDROCK_AGENTCORE_MEMORY_ENCRYPTION_ENABLED exists in eight regions only, so a StackSet
    instance elsewhere failed. Each rule's region limits must be exactly what the guide publishes."""
    published = json.loads(gzip.decompress(_MOTO_LIST.read_bytes()))["ManagedRules"]
    for rule in MANAGED_RULES:
        kind, codes = _published_regions(published[rule.identifier]["AWS Region"])
        assert (rule.only_in, rule.not_in) == {"all": (None, frozenset()), "only": (codes, frozenset()),
                                               "except": (None, codes)}[kind], rule.identifier


def _holds(condition, conditions: dict, region: str) -> bool:
    """CloudFormation's Fn::Equals / Fn::Or / Fn::Not / Condition over AWS::Region (all the construct emits)."""
    if "Condition" in condition:
        return _holds(conditions[condition["Condition"]], conditions, region)
    (function, args), = condition.items()
    if function == "Fn::Equals":
        return [region if a == {"Ref": "AWS::Region"} else a for a in args][0] == \
            [region if a == {"Ref": "AWS::Region"} else a for a in args][1]
    if function == "Fn::Or":
        assert 2 <= len(args) <= 10, "Fn::Or takes 2 to 10 conditions"
        return any(_holds(a, conditions, region) for a in args)
    if function == "Fn::Not":
        return not _holds(args[0], conditions, region)
    raise AssertionError(f"unexpected {function}")


def _deployed(template: dict, region: str) -> set[str]:
    conditions = template.get("Conditions", {})
    return {r["Properties"]["Source"]["SourceIdentifier"] for r in template["Resources"].values()
            if r["Type"] == "AWS::Config::ConfigRule" and ("Condition" not in r or _holds(conditions[r["Condition"]], conditions, region))}


@pytest.mark.parametrize("region", ["us-east-1", "us-west-1", "eu-south-1", "ap-southeast-2", "ca-west-1", "sa-east-1"])
def test_a_region_agnostic_stack_creates_each_rule_only_where_it_exists(region):
    from aws_cdk import App, Stack
    from aws_cdk.assertions import Template

    from guardrails.detective.config_rules import ManagedConfigRules
    from guardrails.detective.names import DeploymentNames

    stack = Stack(App(), "StackSetCopy")  # no region: the StackSet template
    ManagedConfigRules(stack, "Managed", names=DeploymentNames())
    assert _deployed(Template.from_stack(stack).to_json(), region) == {r.identifier for r in MANAGED_RULES if r.available_in(region)}


def test_a_stack_in_a_known_region_leaves_out_rules_that_do_not_exist_there():
    from aws_cdk import App, Environment, Stack
    from aws_cdk.assertions import Template

    from guardrails.detective.config_rules import ManagedConfigRules
    from guardrails.detective.names import DeploymentNames

    stack = Stack(App(), "Account", env=Environment(account="111111111111", region="us-west-1"))
    ManagedConfigRules(stack, "Managed", names=DeploymentNames())
    template = Template.from_stack(stack).to_json()
    assert "Conditions" not in template
    assert _deployed(template, "us-west-1") == {"CMK_BACKING_KEY_ROTATION_ENABLED", "KMS_CMK_NOT_SCHEDULED_FOR_DELETION"}
