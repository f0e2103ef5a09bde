"""A generated CDK app for the synth benchmark: run by `npx cdk synth` (benchmarks/run.py), or with
`--in-process RUNS none,guardrails,cdk-nag` to synthesize repeatedly in one warm process.

Environment:
  BENCH_STACKS            number of stacks (1)
  BENCH_KEYS              KMS keys per stack (240)
  BENCH_DOMAINS           DataZone domains per stack (240), each on a key; one execution role per stack
  BENCH_PLUGIN            none | guardrails | cdk-nag
  BENCH_PLUGIN_TIMES      file to append directly measured seconds to (optional), one line each:
                          "<plugin> setup" (import + construction) and "guardrails validate"
"""

from __future__ import annotations

import os
import sys
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


def build_app(plugin: str, stacks: int, keys: int, domains: int, outdir: str | None = None,
              times_file: str | None = None) -> cdk.App:
    app = cdk.App(analytics_reporting=False, outdir=outdir)
    for s in range(stacks):
        build_stack(app, f"Workspaces{s}", keys, domains)
    if plugin == "guardrails":
        import jsii
        from aws_cdk import IPolicyValidationPlugin

        start = time.perf_counter()
        from guardrails.checks import BedrockGuardrailsChecks

        inner = BedrockGuardrailsChecks(app)
        setup = time.perf_counter() - start

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
                    _record(times_file, "guardrails validate", time.perf_counter() - start)

        _record(times_file, "guardrails setup", setup)
        Validations.of(app).add_plugins(Timed() if times_file else inner)
    elif plugin == "cdk-nag":
        start = time.perf_counter()
        from cdk_nag import AwsSolutionsChecks  # loads cdk-nag's jsii assembly into Node

        checks = AwsSolutionsChecks(app)
        _record(times_file, "cdk-nag setup", time.perf_counter() - start)
        Validations.of(app).add_plugins(checks)
    elif plugin != "none":
        raise SystemExit(f"unknown BENCH_PLUGIN {plugin!r}")
    return app


def _record(times_file: str | None, what: str, seconds: float) -> None:
    if times_file:
        with open(times_file, "a") as handle:
            handle.write(f"{what}\t{seconds:.6f}\n")


def in_process(runs: int, plugins: list[str]) -> dict[str, list[float]]:
    """Build and synthesize the app `runs` times per plugin, interleaved, in this one warm process (the
    jsii kernel and Node stay up): start-up is out of the figure, so the plugins' own cost stands out."""
    import tempfile

    stacks, keys, domains = (int(os.environ.get(k, d)) for k, d in (("BENCH_STACKS", "1"), ("BENCH_KEYS", "240"),
                                                                      ("BENCH_DOMAINS", "240")))
    times: dict[str, list[float]] = {p: [] for p in plugins}
    for round_ in range(runs + 1):
        for plugin in plugins:
            with tempfile.TemporaryDirectory() as outdir:
                start = time.perf_counter()
                build_app(plugin, stacks, keys, domains, outdir).synth()
                if round_:  # round 0 warms imports and the kernel
                    times[plugin].append(time.perf_counter() - start)
    return times


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--in-process":
        import json

        print(json.dumps(in_process(int(sys.argv[2]), sys.argv[3].split(","))))
        return
    app = build_app(os.environ.get("BENCH_PLUGIN", "none"), int(os.environ.get("BENCH_STACKS", "1")),
                    int(os.environ.get("BENCH_KEYS", "240")), int(os.environ.get("BENCH_DOMAINS", "240")),
                    times_file=os.environ.get("BENCH_PLUGIN_TIMES"))
    app.synth()


if __name__ == "__main__":
    main()
