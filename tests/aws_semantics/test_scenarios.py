"""Does each control work? The suite's real SCPs, boundary, key and bucket policies, evaluated together by the
offline IAM policy simulator (@cloud-copilot/iam-simulate), with the request AWS would make.

Principals: an account administrator (AdministratorAccess) of a governed member account; the CDK bootstrap's
CloudFormation execution role (a provisioning role); the StackSets execution role AWS creates in member accounts
(stacksets-exec-<hash>, assumed by the StackSets service-linked role: CloudFormationStackSetsOrgAdminServiceRolePolicy).
Each old defect (issue #10, items 1, 3, 4, 5) is reintroduced in a copy of the real document and must fail its scenario.
"""

from __future__ import annotations

import json

import pytest

from tests.aws_semantics.simulator import ALLOW_ALL, Policies, Request, simulate
from tests.aws_semantics.suite_policies import ACCOUNT, MEMBER_ACCOUNT, ORGANIZATION_ID, replaced, without

ADMIN = f"arn:aws:iam::{MEMBER_ACCOUNT}:role/Admin"
CDK_EXEC = f"arn:aws:iam::{MEMBER_ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-{MEMBER_ACCOUNT}-us-east-1"
STACKSETS_EXEC = f"arn:aws:iam::{MEMBER_ACCOUNT}:role/stacksets-exec-8d4a3e0c1b2f4a6e9c7d5b3a1f0e2d4c"
SMUS_PROVISIONING = f"arn:aws:iam::{MEMBER_ACCOUNT}:role/service-role/AmazonSageMakerProvisioning-{MEMBER_ACCOUNT}"
SINGLE_ADMIN = f"arn:aws:iam::{ACCOUNT}:role/Admin"  # single-account path: the boundary is attached to it
KEY_ADMIN = f"arn:aws:iam::{ACCOUNT}:role/GuardrailsKeyAdmin"  # cdk.json key_admin_roles
HOOK_TYPE = "*"  # DeactivateType & co. have no resource type: AWS evaluates them on "*"
HOOK_STACK_INSTANCE = ("arn:aws:cloudformation:us-east-1:{account}:stack/StackSet-BedrockGuardrailsHook-"
                       "0a1b2c3d-4e5f-6789-abcd-ef0123456789/11111111-2222-3333-4444-555555555555")
SINGLE_HOOK_STACK = f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/BedrockGuardrailsPreventive/11111111-2222-3333-4444-555555555555"


def _member(principal: str, action: str, resource: str = "*", scps=None, suite=None, **context) -> str:
    """A call in a member account by a principal with AdministratorAccess, under the organization's SCPs."""
    request = Request(principal, action, resource, MEMBER_ACCOUNT, context)
    return simulate(request, Policies(identity=[ALLOW_ALL], scps=scps if scps is not None else suite.scps())).result


def _single(principal: str, action: str, resource: str, boundary: dict, resource_policy=None, **context) -> str:
    """A call in the single-account deployment by a role that carries the permissions boundary."""
    request = Request(principal, action, resource, ACCOUNT, context)
    return simulate(request, Policies(identity=[ALLOW_ALL], boundary=boundary, resource=resource_policy)).result


# --- the creation guardrail -------------------------------------------------------------------------------------

def test_an_account_admin_cannot_create_a_domain(suite):
    assert _member(ADMIN, "datazone:CreateDomain", suite=suite) == "ExplicitlyDenied"
    assert _single(SINGLE_ADMIN, "datazone:CreateDomain", "*", suite.boundary()) == "ExplicitlyDenied"


@pytest.mark.parametrize("action", ["datazone:CreateDomain", "bedrock:CreateAgent", "bedrock:CreateKnowledgeBase"])
def test_a_provisioning_role_can_create_governed_resources(suite, action):
    assert _member(CDK_EXEC, action, suite=suite) == "Allowed"


def test_sagemaker_unified_studio_provisioning_role_can_create_bedrock_resources(suite):
    """Issue #10, item 9: SMUS deploys blueprint resources with AmazonSageMakerProvisioning-<account>."""
    assert _member(SMUS_PROVISIONING, "bedrock:CreateAgent", suite=suite) == "Allowed"


def test_a_role_named_like_a_provisioning_role_cannot_be_created(suite):
    """The exemptions name roles by pattern: creating a matching role would inherit them."""
    for role in (CDK_EXEC.replace("hnb659fds", "evil"), STACKSETS_EXEC.replace("8d4a", "0000")):
        assert _member(ADMIN, "iam:CreateRole", role, suite=suite) == "ExplicitlyDenied"


# --- the CDK execution role deploys ------------------------------------------------------------------------------

def test_the_cdk_execution_role_can_deploy_a_compliant_workspace(suite):
    key_arn, key_policy, key_tags = suite.key("WorkspaceKeys", "SharedWorkspaceKey")
    member_key, member_key_policy = (json.loads(json.dumps(x).replace(ACCOUNT, MEMBER_ACCOUNT)) for x in (key_arn, key_policy))
    tags = {"aws:RequestTag/Owner": "team@example.com", "aws:RequestTag/CostCenter": "CC-0001",
            "aws:RequestTag/DataClassification": "confidential", "aws:RequestTag/GuardrailsPurpose": "bedrock-workspace",
            "aws:TagKeys": ["Owner", "CostCenter", "DataClassification", "GuardrailsPurpose"]}
    assert _member(CDK_EXEC, "kms:CreateKey", suite=suite, **tags) == "Allowed"
    # CloudFormation updates the key policy of a tagged key from the reviewed template (the key policy lets the
    # account's IAM policies in; the SCP exempts provisioning roles from DenyWorkspaceKeyPolicyChange).
    request = Request(CDK_EXEC, "kms:PutKeyPolicy", member_key, MEMBER_ACCOUNT, key_tags)
    assert simulate(request, Policies(identity=[ALLOW_ALL], scps=suite.scps(), resource=member_key_policy)).allowed
    assert not simulate(Request(ADMIN, "kms:PutKeyPolicy", member_key, MEMBER_ACCOUNT, key_tags),
                        Policies(identity=[ALLOW_ALL], scps=suite.scps(), resource=member_key_policy)).allowed
    assert _member(CDK_EXEC, "datazone:CreateDomain", suite=suite) == "Allowed"
    assert _member(CDK_EXEC, "iam:CreateRole", f"arn:aws:iam::{MEMBER_ACCOUNT}:role/team-domain-execution",
                   suite=suite) == "Allowed"


def test_a_workspace_key_without_ownership_tags_cannot_be_created(suite):
    assert _member(CDK_EXEC, "kms:CreateKey", suite=suite, **{
        "aws:RequestTag/GuardrailsPurpose": "bedrock-workspace", "aws:TagKeys": ["GuardrailsPurpose"]}) == "ExplicitlyDenied"


# --- the hook --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("action", ["cloudformation:DeactivateType", "cloudformation:SetTypeConfiguration"])
def test_an_account_admin_cannot_switch_the_hook_off(suite, action):
    assert _member(ADMIN, action, HOOK_TYPE, suite=suite) == "ExplicitlyDenied"
    assert _single(SINGLE_ADMIN, action, HOOK_TYPE, suite.boundary()) == "ExplicitlyDenied"


def test_item_3_reintroduced_lets_the_admin_deactivate_the_hook(suite):
    old_scps = [replaced(d, "DenyHookChanges", Resource="arn:aws:cloudformation:*:*:type/hook/Guardrails-Bedrock-WorkspaceEncryption*")
                for d in suite.scps()]
    assert _member(ADMIN, "cloudformation:DeactivateType", HOOK_TYPE, scps=old_scps) == "Allowed"


def test_the_stacksets_execution_role_can_update_the_hook_stack(suite):
    """Issue #10, item 5: StackSets updates each member's hook stack (and its GuardHook calls SetTypeConfiguration)."""
    instance = HOOK_STACK_INSTANCE.format(account=MEMBER_ACCOUNT)
    for action in ("cloudformation:UpdateStack", "cloudformation:DeleteStack"):
        assert _member(STACKSETS_EXEC, action, instance, suite=suite) == "Allowed"
    assert _member(STACKSETS_EXEC, "cloudformation:SetTypeConfiguration", HOOK_TYPE, suite=suite) == "Allowed"
    assert _member(ADMIN, "cloudformation:UpdateStack", instance, suite=suite) == "ExplicitlyDenied"


def test_item_5_reintroduced_blocks_the_stack_set(suite):
    """The old exemption named only principals of the management account."""
    old = [replaced(d, "DenyHookStackChanges", Condition={"ArnNotLike": {"aws:PrincipalArn": [
        f"arn:aws:iam::{ACCOUNT}:role/GuardrailsBreakGlass", f"arn:aws:iam::{ACCOUNT}:role/GuardrailsPlatform"]}})
           for d in suite.scps()]
    instance = HOOK_STACK_INSTANCE.format(account=MEMBER_ACCOUNT)
    assert _member(STACKSETS_EXEC, "cloudformation:UpdateStack", instance, scps=old) == "ExplicitlyDenied"


def test_the_boundary_protects_the_single_account_hook_stack(suite):
    """Issue #10, item 4: the stack the single-account path deploys is BedrockGuardrailsPreventive."""
    assert _single(SINGLE_ADMIN, "cloudformation:DeleteStack", SINGLE_HOOK_STACK, suite.boundary()) == "ExplicitlyDenied"


def test_item_4_reintroduced_leaves_the_hook_stack_open(suite):
    # The boundary has no Sids (it drops them to fit 6,144 characters): find the statement by what it protects.
    old = json.loads(json.dumps(suite.boundary()))
    (stack_statement,) = [s for s in old["Statement"] if "stack/BedrockGuardrailsPreventive/" in json.dumps(s["Resource"])]
    stack_statement["Resource"] = "arn:aws:cloudformation:*:*:stack/BedrockGuardrailsHook/*"
    assert _single(SINGLE_ADMIN, "cloudformation:DeleteStack", SINGLE_HOOK_STACK, old) == "Allowed"


# --- workspace keys --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("action", ["kms:DisableKey", "kms:PutKeyPolicy", "kms:DisableKeyRotation"])
def test_an_account_admin_cannot_weaken_a_workspace_key(suite, action):
    key_arn, key_policy, tags = suite.key("WorkspaceKeys", "SharedWorkspaceKey")
    assert tags["aws:ResourceTag/GuardrailsPurpose"] == "bedrock-workspace"
    member_key = key_arn.replace(ACCOUNT, MEMBER_ACCOUNT)
    # Under the SCP even if the key policy let every administrator of the account in:
    assert _member(ADMIN, action, member_key, suite=suite, **tags) == "ExplicitlyDenied"
    # In the single account, the boundary and the key policy together.
    assert not simulate(Request(SINGLE_ADMIN, action, key_arn, ACCOUNT, tags),
                        Policies(identity=[ALLOW_ALL], boundary=suite.boundary(), resource=key_policy)).allowed


def test_the_key_administrator_can_still_administer_the_key(suite):
    """The denies are not blanket: the key policy's administrators keep their role."""
    key_arn, key_policy, tags = suite.key("WorkspaceKeys", "SharedWorkspaceKey")
    assert simulate(Request(KEY_ADMIN, "kms:DisableKeyRotation", key_arn, ACCOUNT, tags),
                    Policies(identity=[ALLOW_ALL], resource=key_policy, boundary=suite.boundary())).allowed


# --- StackSet assets -------------------------------------------------------------------------------------------

ASSET_OBJECT = f"arn:aws:s3:::bedrock-guardrails-stackset-assets-{ACCOUNT}-us-east-1/code.zip"


def _read_asset(bucket_policy: dict, org_id: str = ORGANIZATION_ID) -> str:
    """A cross-account read, with Block Public Access on as the bucket has it: aws:PrincipalOrgID keeps the grant
    non-public, so BPA lets it through."""
    request = Request(STACKSETS_EXEC, "s3:GetObject", ASSET_OBJECT, ACCOUNT, {"aws:PrincipalOrgID": org_id})
    return simulate(request, Policies(identity=[ALLOW_ALL], resource=bucket_policy, s3_block_public_access=True)).result


def test_member_accounts_can_read_the_stackset_code(suite):
    """Issue #10, item 1: Lambda in each member account reads the code zip with the StackSets role's credentials."""
    policy = suite.bucket_policy("BedrockGuardrailsStackSetAssets-us-east-1", "StackSetAssetsPolicy")
    assert policy.attached_to[1] == ASSET_OBJECT.rsplit("/", 1)[0] + "/*"
    assert _read_asset(policy.document) == "Allowed"
    assert _read_asset(policy.document, org_id="o-someoneelse") != "Allowed"


def test_a_grant_to_everyone_would_be_blocked_by_block_public_access(suite):
    """The simulator applies BPA: the organization condition is what makes the grant work, not luck."""
    policy = suite.bucket_policy("BedrockGuardrailsStackSetAssets-us-east-1", "StackSetAssetsPolicy")
    public = replaced(policy.document, "OrganizationReadsStackSetCode", Condition={}, Principal="*")
    assert _read_asset(public) != "Allowed"


def test_item_1_reintroduced_member_accounts_cannot_read_the_code(suite):
    policy = suite.bucket_policy("BedrockGuardrailsStackSetAssets-us-east-1", "StackSetAssetsPolicy")
    assert _read_asset(without(policy.document, "OrganizationReadsStackSetCode")) == "ImplicitlyDenied"


def test_member_hook_roles_can_read_the_guard_rules(suite):
    """The hook in each member account reads its rules from the organization stack's rules bucket."""
    bucket = suite.bucket_policy("BedrockGuardrailsPreventiveOrg", "RulesBucketRulesPolicy")
    rules_object = bucket.attached_to[0] + "/rules/workspace_encryption.guard"
    hook_role = f"arn:aws:iam::{MEMBER_ACCOUNT}:role/StackSet-BedrockGuardrailsHook-HookExecutionRole-abc"
    request = Request(hook_role, "s3:GetObject", rules_object, ACCOUNT, {"aws:PrincipalOrgID": ORGANIZATION_ID})
    assert simulate(request, Policies(identity=[ALLOW_ALL], resource=bucket.document)).allowed


# --- the hook's rules ------------------------------------------------------------------------------------------

def test_an_account_admin_cannot_rewrite_or_delete_the_hooks_rules(suite):
    """Rewriting the rules switches the hook off without touching it; the bucket policy binds administrators of
    the account even where the boundary is not attached."""
    bucket = suite.bucket_policy("BedrockGuardrailsPreventive", "RulesBucketRulesPolicy")
    rules_object = bucket.attached_to[0] + "/rules/workspace_encryption.guard"
    for action, resource in (("s3:PutObject", rules_object), ("s3:DeleteObject", rules_object),
                             ("s3:PutBucketPolicy", bucket.attached_to[0])):
        decision = simulate(Request(SINGLE_ADMIN, action, resource, ACCOUNT), Policies(identity=[ALLOW_ALL], resource=bucket.document))
        assert decision.result == "ExplicitlyDenied", action
    writers = next(s for s in bucket.document["Statement"] if s.get("Sid") == "DenyRulesChangesOutsideDeployment")[
        "Condition"]["ArnNotLike"]["aws:PrincipalArn"]
    (deployment_role,) = [arn for arn in writers if "bucketdeployment" in arn.lower()]  # the BucketDeployment's role
    assert simulate(Request(deployment_role, "s3:PutObject", rules_object, ACCOUNT),
                    Policies(identity=[ALLOW_ALL], resource=bucket.document)).allowed
