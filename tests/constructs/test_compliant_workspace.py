"""CompliantWorkspace: the domain on its key, confused-deputy-safe roles, tags, and every refusal."""

from __future__ import annotations

import pytest
from aws_cdk import Environment, Fn, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Template

from guardrails.constructs import CompliantWorkspace, ConstructInputError, WorkspaceKey
from guardrails.constructs import service_key_facts as facts
from tests.constructs.conftest import OWNERSHIP, new_stack, only, statements

KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.fixture(scope="module")
def v2() -> dict:
    stack = new_stack()
    ws = CompliantWorkspace(stack, "Research", name="research", **OWNERSHIP)
    return {"ws": ws, "template": Template.from_stack(stack)}


@pytest.fixture(scope="module")
def v1_with_imported_key() -> Template:
    stack = new_stack()
    CompliantWorkspace(stack, "Studio", name="studio", domain_version="V1",
                       key=kms.Key.from_key_arn(stack, "Imported", KEY_ARN), **OWNERSHIP)
    return Template.from_stack(stack)


def test_domain_is_encrypted_with_its_dedicated_key(v2):
    template = v2["template"]
    domain = only(template, "AWS::DataZone::Domain")["Properties"]
    key_id = next(iter(template.find_resources("AWS::KMS::Key")))
    assert domain["KmsKeyIdentifier"] == {"Fn::GetAtt": [key_id, "Arn"]}
    assert domain["DomainVersion"] == "V2"
    assert domain["ServiceRole"]["Fn::GetAtt"][0].startswith("ResearchServiceRole")
    assert only(template, "AWS::KMS::Alias")["Properties"]["AliasName"] == "alias/workspace/research"


def test_exposes_domain_key_and_execution_role(v2):
    ws = v2["ws"]
    assert ws.domain.domain_version == "V2"
    assert ws.key is ws.workspace_key.key
    assert ws.execution_role.node.id == "ExecutionRole"


def test_key_policy_names_the_execution_role_with_the_unified_studio_actions(v2):
    key = only(v2["template"], "AWS::KMS::Key")
    use = statements(key)["UnifiedStudioResearchExecutionRoleKeyUse"]
    assert use["Principal"]["AWS"]["Fn::GetAtt"][0].startswith("ResearchExecutionRole")
    assert "Condition" not in use  # the SMUS page documents none; the role's calls need not come through DataZone


def _trust(template: Template, name_part: str) -> list[dict]:
    role = next(r for k, r in template.find_resources("AWS::IAM::Role").items() if name_part in k)
    assert not role["Properties"].get("Policies")  # no inline policies
    return role["Properties"]["AssumeRolePolicyDocument"]["Statement"]


@pytest.mark.parametrize("name_part, trust", [("Execution", facts.V2_EXECUTION_ROLE_TRUST),
                                              ("Service", facts.V2_SERVICE_ROLE_TRUST)])
def test_v2_roles_trust_exactly_as_unified_studio_documents(v2, name_part, trust):
    """One statement, the documented actions, aws:SourceAccount and (execution role) datazone* tags; no aws:SourceArn,
    which the pages do not show and DataZone may not send (issue #10 item 10)."""
    [statement] = _trust(v2["template"], name_part)
    assert statement["Principal"] == {"Service": "datazone.amazonaws.com"}
    assert sorted(statement["Action"]) == sorted(trust.actions)
    expected = {"StringEquals": {"aws:SourceAccount": "111111111111"}}
    if trust.tag_keys:
        expected["ForAllValues:StringLike"] = {"aws:TagKeys": trust.tag_keys}
    assert statement["Condition"] == expected


def test_everything_created_is_tagged(v2):
    template = v2["template"]
    for rtype in ("AWS::KMS::Key", "AWS::IAM::Role"):
        for resource in template.find_resources(rtype).values():
            tags = {t["Key"]: t["Value"] for t in resource["Properties"]["Tags"]}
            assert tags["Owner"] == "ml-team@example.com" and tags["CostCenter"] == "CC-1234", rtype
    domain_tags = {t["Key"]: t["Value"] for t in only(template, "AWS::DataZone::Domain")["Properties"]["Tags"]}
    assert domain_tags["DataClassification"] == "confidential"


def test_v1_with_imported_key_has_no_service_role_and_reaches_key_via_datazone(v1_with_imported_key):
    template = v1_with_imported_key
    domain = only(template, "AWS::DataZone::Domain")["Properties"]
    assert domain["KmsKeyIdentifier"] == KEY_ARN and "ServiceRole" not in domain
    assert not template.find_resources("AWS::KMS::Key")
    policy = only(template, "AWS::IAM::ManagedPolicy")["Properties"]["PolicyDocument"]["Statement"][0]
    assert policy["Resource"] == KEY_ARN
    assert policy["Condition"] == {"StringEquals": {"kms:ViaService": "datazone.us-east-1.amazonaws.com"}}
    [trust] = only(template, "AWS::IAM::Role")["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert sorted(trust["Action"]) == sorted(facts.V1_EXECUTION_ROLE_TRUST.actions)
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": "111111111111"},
                                  "ForAllValues:StringLike": {"aws:TagKeys": "datazone*"}}


def test_shared_workspace_key_in_same_stack_gets_grants_not_a_new_key():
    stack = new_stack()
    key = WorkspaceKey(stack, "Shared", **OWNERSHIP)
    CompliantWorkspace(stack, "A", name="a", key=key, **OWNERSHIP)
    CompliantWorkspace(stack, "B", name="b", key=key, **OWNERSHIP)
    template = Template.from_stack(stack)
    sids = statements(only(template, "AWS::KMS::Key"))
    assert {"UnifiedStudioAExecutionRoleKeyUse", "UnifiedStudioBExecutionRoleKeyUse", "UnifiedStudioServiceKeyUse"} <= set(sids)


def test_given_execution_role_is_used():
    stack = new_stack()
    role = iam.Role(stack, "Mine", assumed_by=iam.ServicePrincipal("datazone.amazonaws.com"))
    ws = CompliantWorkspace(stack, "W", name="w", execution_role=role, **OWNERSHIP)
    assert ws.execution_role is role


def _refused(build) -> str:
    stack = new_stack()
    with pytest.raises(ConstructInputError) as caught:
        build(stack)
    assert stack.node.try_find_child("W") is None
    return str(caught.value)


@pytest.mark.parametrize("make_key, expected", [
    (lambda s: kms.Alias.from_alias_name(s, "A", "alias/team-key"), "is an alias"),
    (lambda s: kms.Alias(s, "A", alias_name="alias/team-key", target_key=kms.Key(s, "T")), "is an alias"),
    (lambda s: "arn:aws:kms:us-east-1:111111111111:alias/team-key", "is an alias"),
    (lambda s: kms.Key.from_key_arn(s, "M", "arn:aws:kms:us-east-1:111111111111:alias/aws/datazone"), "AWS-managed"),
    (lambda s: "alias/aws/datazone", "AWS-managed"),
    (lambda s: "AWS_OWNED_KMS_KEY", "AWS-owned"),
    (lambda s: kms.Key(s, "Asym", key_spec=kms.KeySpec.RSA_2048, key_usage=kms.KeyUsage.SIGN_VERIFY), "not a symmetric"),
    (lambda s: kms.Key(s, "Hmac", key_spec=kms.KeySpec.HMAC_256, key_usage=kms.KeyUsage.GENERATE_VERIFY_MAC), "not a symmetric"),
    (lambda s: kms.Key.from_key_arn(s, "X", KEY_ARN.replace("us-east-1", "eu-west-1")), "region eu-west-1"),
    (lambda s: kms.Key.from_key_arn(s, "T", Fn.import_value("team-key-arn")), "Pass the literal key ARN"),
])
def test_refuses_keys_that_are_not_customer_managed_here(make_key, expected):
    message = _refused(lambda s: CompliantWorkspace(s, "W", name="w", key=make_key(s), **OWNERSHIP))
    assert expected in message
    assert "WorkspaceKey" in message  # every key refusal names the fix


def test_refuses_a_workspace_key_from_another_region():
    stack = new_stack()
    other = new_stack("Other", region="eu-west-1")
    key = WorkspaceKey(other, "K", **OWNERSHIP)
    with pytest.raises(ConstructInputError, match="region eu-west-1"):
        CompliantWorkspace(stack, "W", name="w", key=key, **OWNERSHIP)


@pytest.mark.parametrize("override, expected", [
    (dict(owner=""), "owner must be a non-empty string"),
    (dict(owner="   "), "owner must be a non-empty string"),
    (dict(owner="ml team <x>"), "not a valid tag value"),
    (dict(cost_center=""), "cost_center must be a non-empty string"),
    (dict(cost_center="twelve"), "^CC-[0-9]{4,}$"),
    (dict(data_classification=""), "data_classification must be a non-empty string"),
    (dict(data_classification="top-secret"), "public|internal|confidential|restricted"),
    (dict(name="bad name!"), "not a valid workspace name"),
    (dict(domain_version="V3"), "use \"V2\""),
    (dict(domain_version="V1", service_role=iam.Role.from_role_arn(new_stack(), "R", "arn:aws:iam::111111111111:role/r")),
     "only used by V2"),
])
def test_refuses_bad_inputs_with_the_fix(override, expected):
    args = {"name": "w", **OWNERSHIP, **override}
    message = _refused(lambda s: CompliantWorkspace(s, "W", **args))
    assert expected in message


def test_workspace_key_from_another_stack_is_reached_through_iam_not_edited():
    keys = new_stack("Keys")
    shared = WorkspaceKey(keys, "Shared", **OWNERSHIP)
    app_stack = Stack(keys.node.root, "App", env=Environment(account="111111111111", region="us-east-1"))
    CompliantWorkspace(app_stack, "W", name="w", key=shared, **OWNERSHIP)
    assert not [sid for sid in statements(only(Template.from_stack(keys), "AWS::KMS::Key")) if "WExecutionRole" in sid]
    policy = only(Template.from_stack(app_stack), "AWS::IAM::ManagedPolicy")["Properties"]["PolicyDocument"]
    assert sorted(policy["Statement"][0]["Action"]) == sorted(facts.SMUS_DOMAIN_EXECUTION_ROLE.actions)  # V2


def test_v2_with_an_imported_key_gives_the_execution_role_the_unified_studio_actions():
    """Item 11 for keys from elsewhere: the identity policy is never below the SMUS key page's list."""
    stack = new_stack()
    CompliantWorkspace(stack, "W", name="w", key=kms.Key.from_key_arn(stack, "Imported", KEY_ARN), **OWNERSHIP)
    [statement] = only(Template.from_stack(stack), "AWS::IAM::ManagedPolicy")["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Resource"] == KEY_ARN
    assert sorted(statement["Action"]) == sorted(facts.SMUS_DOMAIN_EXECUTION_ROLE.actions)


# --- team mode (issue #14) --------------------------------------------------------------------------------------

TEAM = "team-a@example.com"


def test_team_workspace_gets_a_team_key_and_the_team_tag():
    stack = new_stack()
    workspace = CompliantWorkspace(stack, "Ws", name="team-a", team=TEAM, **{**OWNERSHIP, "owner": TEAM})
    assert workspace.workspace_key.team == TEAM
    template = Template.from_stack(stack)
    policy = str(only(template, "AWS::KMS::Key")["Properties"]["KeyPolicy"])
    assert "aws:PrincipalTag/Owner" in policy
    domain_tags = {t["Key"]: t["Value"] for t in only(template, "AWS::DataZone::Domain")["Properties"]["Tags"]}
    assert domain_tags["Owner"] == TEAM


@pytest.mark.parametrize("key_kind, expected", [
    ("other-team", "belongs to team 'team-b@example.com'"),
    ("no-team", "is not a team key"),
    ("arn", "is not a team key"),
])
def test_team_workspace_refuses_a_key_that_is_not_the_teams(key_kind, expected):
    stack = new_stack()
    keys = {
        "other-team": lambda: WorkspaceKey(stack, "B", team="team-b@example.com", **{**OWNERSHIP, "owner": "team-b@example.com"}),
        "no-team": lambda: WorkspaceKey(stack, "Shared", **OWNERSHIP),
        "arn": lambda: "arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555",
    }
    with pytest.raises(ConstructInputError, match=expected):
        CompliantWorkspace(stack, "Ws", name="team-a", team=TEAM, key=keys[key_kind](), **{**OWNERSHIP, "owner": TEAM})
