"""A generated CDK app for the synth benchmark (run by `npx cdk synth` through benchmarks/synth.py).

Environment:
  BENCH_STACKS            number of stacks (1)
  BENCH_KEYS              KMS keys per stack (240)
  BENCH_DOMAINS           DataZone domains per stack (240), each on a key; one execution role per stack
  BENCH_PLUGIN            none | guardrails | cdk-nag
  BENCH_PLUGIN_TIMES      file to append the guardrails plugin's own validate() seconds to (optional)
"""

from __future__ import annotations

import os
import time

import aws_cdk as cdk
from aws_cdk import Validations, aws_datazone as datazone, aws_iam as iam, aws_kms as kms

TAGS = {"Owner": "platform-team", "CostCenter": "cc-1234", "DataClassification": "internal"}


ADMIN_ACTIONS = ["kms:CreateAlias", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
                 "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
                 "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"]


def _key_policy(stack: cdk.Stack, role: iam.IRole) -> iam.PolicyDocument:
    """Least privilege, so that both plugins judge a compliant app and neither prints a report."""
    return iam.PolicyDocument(statements=[
        iam.PolicyStatement(sid="KeyAdministration", actions=ADMIN_ACTIONS, resources=["*"],
                            principals=[iam.AccountRootPrincipal()]),
        iam.PolicyStatement(sid="DataZoneUse", actions=["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:CreateGrant"],
                            resources=["*"], principals=[role],
                            conditions={"StringEquals": {"kms:ViaService": f"datazone.{stack.region}.amazonaws.com"}}),
    ])


def build_stack(app: cdk.App, name: str, keys: int, domains: int) -> cdk.Stack:
    stack = cdk.Stack(app, name)
    role = iam.Role(stack, "DomainExecutionRole", assumed_by=iam.ServicePrincipal("datazone.amazonaws.com"))
    key_objects = []
    for i in range(keys):
        key = kms.Key(stack, f"Key{i}", enable_key_rotation=True, removal_policy=cdk.RemovalPolicy.RETAIN,
                      policy=_key_policy(stack, role))
        cdk.Tags.of(key).add("GuardrailsPurpose", "bedrock-workspace")
        key_objects.append(key)
    for i in range(domains):
        key = key_objects[i % len(key_objects)] if key_objects else None
        datazone.CfnDomain(stack, f"Domain{i}", name=f"{name.lower()}-workspace-{i}", domain_execution_role=role.role_arn,
                           kms_key_identifier=key.key_arn if key else None,
                           tags=[cdk.CfnTag(key=k, value=v) for k, v in TAGS.items()])
    for k, v in TAGS.items():
        cdk.Tags.of(stack).add(k, v)
    return stack


def main() -> None:
    stacks = int(os.environ.get("BENCH_STACKS", "1"))
    keys = int(os.environ.get("BENCH_KEYS", "240"))
    domains = int(os.environ.get("BENCH_DOMAINS", "240"))
    plugin = os.environ.get("BENCH_PLUGIN", "none")
    app = cdk.App(analytics_reporting=False)
    for s in range(stacks):
        build_stack(app, f"Workspaces{s}", keys, domains)
    if plugin == "guardrails":
        import jsii
        from aws_cdk import IPolicyValidationPlugin
        from guardrails.checks import BedrockGuardrailsChecks

        times_file = os.environ.get("BENCH_PLUGIN_TIMES")
        inner = BedrockGuardrailsChecks(app)

        @jsii.implements(IPolicyValidationPlugin)
        class Timed:
            name = property(lambda self: inner.name)
            rule_ids = property(lambda self: inner.rule_ids)
            version = property(lambda self: inner.version)

            def validate(self, context):
                start = time.perf_counter()
                try:
                    return inner.validate(context)
                finally:
                    if times_file:
                        with open(times_file, "a") as handle:
                            handle.write(f"{time.perf_counter() - start:.6f}\n")

        Validations.of(app).add_plugins(Timed() if times_file else inner)
    elif plugin == "cdk-nag":
        from cdk_nag import AwsSolutionsChecks

        Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    elif plugin != "none":
        raise SystemExit(f"unknown BENCH_PLUGIN {plugin!r}")
    app.synth()


if __name__ == "__main__":
    main()
