#!/usr/bin/env python3
"""Real-account integration test of the single-account suite (`make integ`; docs/deploy.md, "make integ").

Deploys the preventive stack (permissions boundary, Guard Hook and its rules), the shared workspace keys and the
example workspace, then asserts in the account:
1. the workspace key is customer-managed, enabled and rotating, and the domain is AVAILABLE on that key;
2. a keyless datazone:CreateDomain by a role that carries the boundary and is no provisioning role is refused
   with AccessDeniedException;
3. a keyless AWS::DataZone::Domain deployed through CloudFormation is failed by the Guard Hook
   (HookStatus HOOK_COMPLETE_FAILED on the domain), and that stack is deleted again.
integ-runner destroys the test stacks afterwards. Names differ from the real suite's (hook alias, stack names), so
the test never collides with a deployed suite; use a sandbox account all the same.
"""

from __future__ import annotations

import json
import os

from aws_cdk import App, Aspects, CfnResource, Duration, IAspect, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk.integ_tests_alpha import ExpectedResult, IntegTest, Match
from jsii import implements

from guardrails.settings import Settings
from guardrails.stacks.example_workspace import ExampleWorkspaceStack
from guardrails.stacks.preventive import PreventiveAccountStack
from guardrails.stacks.suite_config import SuiteConfig

SETTINGS = Settings(hook_alias="GuardrailsInteg::Bedrock::WorkspaceEncryption",
                    preventive_stack_name="GuardrailsIntegPreventive").validate()
KEYLESS_STACK = "GuardrailsIntegKeylessDomain"
HOOK_TYPE = SETTINGS.hook_alias

# The probe runs as a role that carries the boundary and is allowed CreateDomain by its identity policy: only the
# boundary's DenyGovernedCreateOutsideProvisioning can refuse it.
PROBE_CODE = """
import uuid
import boto3
from botocore.exceptions import ClientError


def handler(event, _context):
    try:
        domain = boto3.client("datazone").create_domain(
            name=f"guardrails-integ-{uuid.uuid4().hex[:8]}", domainExecutionRole=event["executionRole"])
    except ClientError as error:
        return error.response["Error"]["Code"]
    boto3.client("datazone").delete_domain(identifier=domain["id"])
    return "Created"
"""


@implements(IAspect)
class DestroyOnTeardown:
    """The suite retains keys and log groups on delete (evidence in production); a test leaves nothing behind
    that CloudFormation can delete. Buckets that still hold objects stay: docs/deploy.md lists them."""

    def visit(self, node) -> None:
        if isinstance(node, CfnResource) and node.cfn_resource_type != "AWS::S3::Bucket":
            node.apply_removal_policy(RemovalPolicy.DESTROY)


def keyless_domain_template(execution_role_arn: str) -> str:
    return json.dumps({"Resources": {"KeylessDomain": {"Type": "AWS::DataZone::Domain", "Properties": {
        "Name": "guardrails-integ-keyless", "DomainExecutionRole": execution_role_arn,
        "Tags": [{"Key": "Owner", "Value": "integ@example.com"}, {"Key": "CostCenter", "Value": "CC-0001"},
                 {"Key": "DataClassification", "Value": "internal"}]}}}})


def build(app: App) -> IntegTest:
    config = SuiteConfig(account=os.environ.get("CDK_DEFAULT_ACCOUNT", "111111111111"),
                         region=os.environ.get("CDK_DEFAULT_REGION", "us-east-1"))
    preventive = PreventiveAccountStack(app, "GuardrailsIntegPreventive", settings=SETTINGS, env=config.env,
                                        stack_name=SETTINGS.preventive_stack_name)
    workspace = ExampleWorkspaceStack(app, "GuardrailsIntegWorkspace", config=config)
    workspace.add_stack_dependency(preventive, "the hook checks the workspace's deployment")

    probes = Stack(app, "GuardrailsIntegProbes", env=config.env)
    probes.add_stack_dependency(preventive)
    probe_role = iam.Role(probes, "NonProvisioningRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                          permissions_boundary=iam.ManagedPolicy.from_managed_policy_arn(
                              probes, "Boundary", preventive.boundary.policy.managed_policy_arn),
                          inline_policies={"CreateDomain": iam.PolicyDocument(statements=[
                              iam.PolicyStatement(actions=["datazone:CreateDomain", "datazone:DeleteDomain"], resources=["*"]),
                              iam.PolicyStatement(actions=["iam:PassRole"], resources=["*"], conditions={
                                  "StringEquals": {"iam:PassedToService": "datazone.amazonaws.com"}})])})
    probe = lambda_.Function(probes, "KeylessCreateDomain", runtime=lambda_.Runtime.PYTHON_3_13, handler="index.handler",
                             code=lambda_.Code.from_inline(PROBE_CODE), role=probe_role, timeout=Duration.minutes(1))

    for stack in (preventive, workspace, probes):
        Aspects.of(stack).add(DestroyOnTeardown())
    # The assertions live in the test's account and region, so they can read the other stacks' outputs.
    assertion_stack = Stack(app, "GuardrailsIntegAssertions", env=config.env)
    integ = IntegTest(app, "GuardrailsSuite", test_cases=[preventive, workspace, probes], assertion_stack=assertion_stack,
                      regions=[config.region], stack_update_workflow=False)
    assertions = integ.assertions

    key_arn = workspace.workspace.workspace_key.key_arn
    assertions.aws_api_call("KMS", "describeKey", {"KeyId": key_arn}).expect(ExpectedResult.object_like(
        {"KeyMetadata": Match.object_like({"KeyManager": "CUSTOMER", "KeyState": "Enabled"})}))
    assertions.aws_api_call("KMS", "getKeyRotationStatus", {"KeyId": key_arn}).expect(
        ExpectedResult.object_like({"KeyRotationEnabled": True}))
    assertions.aws_api_call("DataZone", "getDomain", {"identifier": workspace.workspace.domain.attr_id}).expect(
        ExpectedResult.object_like({"kmsKeyIdentifier": key_arn, "status": "AVAILABLE"})).wait_for_assertions(
        total_timeout=Duration.minutes(15), interval=Duration.seconds(30))

    assertions.invoke_function(function_name=probe.function_name,
                               payload=json.dumps({"executionRole": probe_role.role_arn})).expect(
        ExpectedResult.object_like({"Payload": '"AccessDeniedException"'}))

    create = assertions.aws_api_call("CloudFormation", "createStack", {
        "StackName": KEYLESS_STACK, "TemplateBody": keyless_domain_template(probe_role.role_arn)})
    hook_failed = assertions.aws_api_call("CloudFormation", "describeStackEvents", {"StackName": KEYLESS_STACK})
    hook_failed.expect(ExpectedResult.object_like({"StackEvents": Match.array_with([Match.object_like(
        {"LogicalResourceId": "KeylessDomain", "HookType": HOOK_TYPE, "HookStatus": "HOOK_COMPLETE_FAILED"})])}))
    hook_failed.wait_for_assertions(total_timeout=Duration.minutes(10), interval=Duration.seconds(20))
    delete = assertions.aws_api_call("CloudFormation", "deleteStack", {"StackName": KEYLESS_STACK})
    create.next(hook_failed).next(delete)
    return integ


if __name__ == "__main__":
    application = App()
    build(application)
    application.synth()
