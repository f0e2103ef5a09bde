import gzip
import json
from pathlib import Path

import boto3
import pytest
import moto
from moto import mock_aws

from guardrails.detective.managed_rules import MANAGED_RULES

_MOTO_LIST = Path(moto.__file__).parent / "config" / "resources" / "aws_managed_rules.json.gz"
_PAGES = Path(__file__).parent / "data" / "config_managed_rule_pages.json"  # the guide's pages, with their origin


def _moto_rules() -> dict[str, dict]:
    return json.loads(gzip.decompress(_MOTO_LIST.read_bytes()))["ManagedRules"]


def _sources(identifier: str) -> list[dict]:
    """Every published record of a rule: moto's list (built from the guide) and the vendored pages of the guide."""
    found = [_moto_rules()[identifier]] if identifier in _moto_rules() else []
    return found + [p for p in json.loads(_PAGES.read_text())["pages"] if p["identifier"] == identifier]


def test_each_identifier_is_published_for_its_resource_type():
    for rule in MANAGED_RULES:
        sources = _sources(rule.identifier)
        assert sources, f"{rule.identifier}: in neither moto's list nor a vendored page of the guide"
        assert all(rule.resource_type in s["Resource Types"] for s in sources), rule.identifier


def test_the_vendored_pages_say_where_they_come_from():
    data = json.loads(_PAGES.read_text())
    assert "Developer Guide" in data["origin"]
    for page in data["pages"]:
        assert page["url"].startswith(("https://docs.aws.amazon.com/", "https://docs.amazonaws.cn/")) and page["retrieved"]
        assert page["identifier"].lower().replace("_", "-") in page["url"]


@mock_aws
def test_config_accepts_each_identifier_it_knows_and_rejects_the_others():
    """moto's PutConfigRule rejects an AWS-owned identifier missing from its list: the rules only the vendored pages
    list are checked there; if moto learns one, this test says so (move it to the moto-checked side)."""
    from botocore.exceptions import ClientError

    config = boto3.client("config", region_name="us-east-1")
    known = [r for r in MANAGED_RULES if r.identifier in _moto_rules()]
    for rule in known:
        config.put_config_rule(ConfigRule={"ConfigRuleName": rule.identifier.lower(),
                                           "Source": {"Owner": "AWS", "SourceIdentifier": rule.identifier}})
    names = {r["Source"]["SourceIdentifier"] for r in config.describe_config_rules()["ConfigRules"]}
    assert names == {r.identifier for r in known}
    for rule in (r for r in MANAGED_RULES if r not in known):
        with pytest.raises(ClientError, match="sourceIdentifier .* is invalid"):
            config.put_config_rule(ConfigRule={"ConfigRuleName": rule.identifier.lower(),
                                               "Source": {"Owner": "AWS", "SourceIdentifier": rule.identifier}})


def _region_codes() -> dict[str, str]:
    """Region names as the Config guide writes them -> codes, from botocore's endpoint data."""
    from botocore.loaders import create_loader

    endpoints = create_loader().load_data("endpoints")
    return {r["description"]: code for p in endpoints["partitions"] for code, r in p["regions"].items()}


def _published_regions(text: str) -> tuple[str, frozenset[str]]:
    """("all" | "only" | "except", codes) from the guide's "AWS Region:" text, as moto's list carries it."""
    import re

    codes = _region_codes()
    text = text.replace("Amazon GovCloud", "AWS GovCloud").replace("supported Amazon regions", "supported AWS regions")
    for kind, prefix in (("only", "Only available in "), ("except", "All supported AWS regions except ")):
        if text.startswith(prefix):
            names = re.split(r", | and ", text.removeprefix(prefix).removesuffix(" Region"))
            assert all(n in codes for n in names), [n for n in names if n not in codes]
            return kind, frozenset(codes[n] for n in names)
    assert text == "All supported AWS regions", text
    return "all", frozenset()


def _exists(text: str, region: str) -> bool:
    kind, codes = _published_regions(text)
    return {"all": True, "only": region in codes, "except": region not in codes}[kind]


def test_the_region_table_is_the_config_guides():
    """Issue #10 item 14: BEDROCK_AGENTCORE_MEMORY_ENCRYPTION_ENABLED exists in eight regions only, so a StackSet
    instance elsewhere failed. A rule is deployed exactly where every published record says it exists."""
    for rule in MANAGED_RULES:
        texts = [s["AWS Region"] for s in _sources(rule.identifier)]
        for region in set(_region_codes().values()):
            assert rule.available_in(region) == all(_exists(t, region) for t in texts), (rule.identifier, region)


def test_a_limited_rule_is_stated_the_narrow_way():
    """only_in for a rule published as "Only available in", not_in otherwise: a region AWS adds later then gets
    the rule only if the guide says it exists everywhere but a list."""
    for rule in MANAGED_RULES:
        kinds = {_published_regions(s["AWS Region"])[0] for s in _sources(rule.identifier)}
        assert (rule.only_in is not None) == ("only" in kinds), rule.identifier


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


@pytest.mark.parametrize("region", ["us-east-1", "us-west-1", "eu-south-1", "ap-southeast-2", "ca-west-1", "sa-east-1",
                                    "eu-north-1", "mx-central-1", "ap-southeast-6"])
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
    assert _deployed(template, "us-west-1") == {"CMK_BACKING_KEY_ROTATION_ENABLED", "KMS_CMK_NOT_SCHEDULED_FOR_DELETION",
                                                "KMS_KEY_POLICY_NO_PUBLIC_ACCESS"}
