"""The KillSwitch construct as synthesized: who may assume the role, what it may do, what it deploys."""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Template

from guardrails.preventive.kill_switch import KillSwitch
from guardrails.settings import Settings

PRINCIPALS = ("arn:aws:iam::111111111111:user/alice", "arn:aws:iam::111111111111:role/SecurityLead")


@pytest.fixture(scope="module")
def template():
    app = App()
    stack = Stack(app, "Platform", env={"account": "111111111111", "region": "eu-west-1"})
    KillSwitch(stack, "KillSwitch", settings=Settings(kill_switch_principals=PRINCIPALS),
               alerts=sns.Topic(stack, "Alerts"))
    return Template.from_stack(stack).to_json()


def of_type(template, resource_type):
    return [r for r in template["Resources"].values() if r["Type"] == resource_type]


def test_only_named_principals_with_mfa_and_this_accounts_automation_may_assume(template):
    (role,) = of_type(template, "AWS::IAM::Role")
    assert role["Properties"]["RoleName"] == "bedrock-guardrails-kill-switch"
    assert role["Properties"]["MaxSessionDuration"] == 3600
    statements = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    people = [s for s in statements if "AWS" in s["Principal"]]
    assert sorted(s["Principal"]["AWS"] for s in people) == sorted(PRINCIPALS)
    for statement in people:
        assert statement["Condition"]["Bool"] == {"aws:MultiFactorAuthPresent": "true"}
        assert statement["Condition"]["NumericLessThan"] == {"aws:MultiFactorAuthAge": "3600"}
    (ssm,) = [s for s in statements if s["Principal"].get("Service") == "ssm.amazonaws.com"]
    assert ssm["Condition"]["StringEquals"] == {"aws:SourceAccount": "111111111111"}
    source_arn = ssm["Condition"]["ArnLike"]["aws:SourceArn"]  # Fn::Join of arn:<partition>:ssm:*:...
    assert source_arn["Fn::Join"][1][-1] == ":ssm:*:111111111111:automation-execution/*"
    assert len(statements) == len(PRINCIPALS) + 1


def test_it_may_switch_only_tagged_workspace_keys_and_never_delete(template):
    (policy,) = of_type(template, "AWS::IAM::ManagedPolicy")
    statements = {s["Sid"]: s for s in policy["Properties"]["PolicyDocument"]["Statement"]}
    switch = statements["SwitchWorkspaceKeys"]
    assert sorted(switch["Action"]) == ["kms:DisableKey", "kms:EnableKey", "kms:TagResource"]
    assert switch["Condition"] == {"StringEquals": {"aws:ResourceTag/GuardrailsPurpose": "bedrock-workspace"}}
    actions = [a for s in statements.values() for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])]
    assert not any(a in ("kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:*") for a in actions)


def test_runbook_and_alert_rule_are_deployed(template):
    (document,) = of_type(template, "AWS::SSM::Document")
    assert document["Properties"]["DocumentType"] == "Automation"
    assert document["Properties"]["Content"]["mainSteps"][0]["inputs"]["Approvers"] == list(PRINCIPALS)
    (rule,) = of_type(template, "AWS::Events::Rule")
    assert rule["Properties"]["EventPattern"]["detail"]["eventName"] == ["DisableKey", "EnableKey"]
    assert rule["Properties"]["Targets"][0]["Arn"] == {"Ref": next(k for k, v in template["Resources"].items()
                                                                   if v["Type"] == "AWS::SNS::Topic")}


def test_without_principals_it_refuses_to_deploy():
    stack = Stack(App(), "S")
    with pytest.raises(ValueError, match="kill_switch_principals"):
        KillSwitch(stack, "K", settings=Settings(), alerts=sns.Topic(stack, "T"))


@pytest.mark.parametrize("bad", ["alice", "arn:aws:iam::*:user/alice", "arn:aws:iam::111111111111:group/admins",
                                 "arn:aws:iam::111111111111:user/alice\n"])
def test_principal_settings_must_be_user_or_role_arns(bad):
    from guardrails.errors import GuardrailsInputError
    with pytest.raises(GuardrailsInputError, match="kill_switch_principals"):
        Settings(kill_switch_principals=(bad,)).validate()
