"""Whether our Config rule carries findings into Security Hub in a scope: DescribeConfigRules against moto's Config
(over HTTP, through botocore), fail closed when Config cannot be read, and the kinds taken from the rule's own module."""

from __future__ import annotations

import importlib

import pytest

from guardrails.audit.config_route import RULE_NAMES, config_rule_types, deployed_rule, route_for
from guardrails.detective.names import ACCOUNT_STACK_PREFIX, STACKSET_PREFIX, DeploymentNames
from tests.audit.endpoint import Fault


def test_the_names_are_both_deployments_rule_names():
    assert RULE_NAMES == (DeploymentNames(ACCOUNT_STACK_PREFIX).workspace_rule, DeploymentNames(STACKSET_PREFIX).workspace_rule)


def test_the_kinds_are_the_lambdas_own_list():
    inventory = importlib.import_module("guardrails.detective.lambda.workspace_rule.inventory")
    # every kind the rule lists, and the data sources it reads through their knowledge bases
    assert config_rule_types() == frozenset(inventory.CONFIG_TYPES)
    assert config_rule_types() == {s.resource_type for s in inventory.SOURCES} | {"AWS::Bedrock::DataSource"}


def test_no_rule_no_route(world):
    world.config_rule("someone-elses-rule")
    assert deployed_rule(world.client("config")) is None
    route = route_for("auto", lambda: world.client("config"))
    assert route.rule is None and not route.carries("AWS::DataZone::Domain") and "every finding imported" in route.why


@pytest.mark.parametrize("name", RULE_NAMES)
def test_either_deployments_rule_is_found(world, name):
    world.config_rule(name)
    assert deployed_rule(world.client("config")) == name
    route = route_for("auto", lambda: world.client("config"))
    assert route.rule == name and route.carries("AWS::DataZone::Domain") and route.carries("AWS::BedrockAgentCore::Gateway")
    assert not route.carries("AWS::KMS::Key")  # only the types the rule lists


def test_a_deleted_rule_carries_nothing(world):
    world.config_rule(RULE_NAMES[0])
    world.client("config").delete_config_rule(ConfigRuleName=RULE_NAMES[0])
    assert deployed_rule(world.client("config")) is None


def test_a_rule_in_another_region_does_not_count(world):
    world.config_rule(RULE_NAMES[0], region="eu-west-1")
    assert deployed_rule(world.client("config", region="us-east-1")) is None


def test_unreadable_config_fails_closed(world, endpoint):
    world.config_rule(RULE_NAMES[0])
    endpoint.faults.append(Fault(lambda call: call.service == "config", "AccessDeniedException", 400))
    route = route_for("auto", lambda: world.client("config"))
    assert route.rule is None and not route.types and "Config not read" in route.why and "AccessDenied" in route.why


def test_the_explicit_routes_do_not_read_config():
    def no_config():
        raise AssertionError("Config read")
    assert route_for("import", no_config).types == frozenset()
    forced = route_for("config", no_config)
    assert forced.types == config_rule_types() and forced.rule == RULE_NAMES[0]


def test_a_rule_being_deleted_carries_nothing():
    """DeleteConfigRule leaves the rule DELETING for a while (moto deletes at once, so botocore's Stubber)."""
    import boto3
    from botocore.stub import Stubber

    config = boto3.client("config", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(config) as stubber:
        stubber.add_response("describe_config_rules", {"ConfigRules": [
            {"ConfigRuleName": RULE_NAMES[0], "ConfigRuleState": "DELETING",
             "Source": {"Owner": "CUSTOM_LAMBDA", "SourceIdentifier": "arn:aws:lambda:us-east-1:123456789012:function:f"}}]},
            {"ConfigRuleNames": [RULE_NAMES[0]]})
        stubber.add_client_error("describe_config_rules", "NoSuchConfigRuleException", expected_params={"ConfigRuleNames": [RULE_NAMES[1]]})
        assert deployed_rule(config) is None
        stubber.assert_no_pending_responses()
