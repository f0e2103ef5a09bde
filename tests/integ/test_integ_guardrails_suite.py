"""`make integ`'s app in synth/snapshot mode (it cannot deploy here): it synthesizes, integ-runner discovers it,
its assertions ask what docs/deploy.md says they ask, and its templates match the reviewed snapshot.

Update after an intended change: UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/integ
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from guardrails.settings import Settings
from tests.aws_semantics.simulator import Policies, Request, simulate
from tests.aws_semantics.template_policies import ACCOUNT, Deployment, Resolver
from tests.conftest import ROOT, scan_template, with_id

APP = ROOT / "integ" / "integ_guardrails_suite.py"
SNAPSHOTS = Path(__file__).parent / "snapshots"
_ASSET_HASH = re.compile(r"[0-9a-f]{64}")
# integ-tests salts each assertion with the synth time so that it reruns on every deployment.
_SALT = re.compile(r'"salt": "\d+"')


@pytest.fixture(scope="module")
def integ_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("integ") / "cdk.out"
    env = {**os.environ, "CDK_OUTDIR": str(out), "CDK_DEFAULT_ACCOUNT": ACCOUNT, "CDK_DEFAULT_REGION": "us-east-1"}
    subprocess.run([sys.executable, str(APP)], check=True, env=env, cwd=ROOT, capture_output=True, timeout=600)
    return out


def _template(out: Path, stack: str) -> dict:
    return json.loads((out / f"{stack}.template.json").read_text())


def _sdk_calls(out: Path) -> dict[str, dict]:
    """service.api -> {"expected": ..., "parameters": {...}}, decoded (integ-tests JSON-encodes each value)."""
    template = _template(out, "GuardrailsIntegAssertions")
    resolver = Resolver(template, Deployment())

    def decoded(value):
        return json.loads(resolver.resolve(value)) if value is not None else None

    return {f"{r['Properties']['service']}.{r['Properties']['api']}": {
        "expected": decoded(r["Properties"].get("expected")),
        "parameters": {k: decoded(v) for k, v in r["Properties"].get("parameters", {}).items()}}
        for r in template["Resources"].values() if r["Type"].startswith("Custom::DeployAssert@SdkCall")}


def test_integ_runner_discovers_the_test():
    completed = subprocess.run([str(Path(sys.executable).parent / "npx"), "integ-runner", "--list", "--directory", "integ",
                                "--language", "python"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert "integ_guardrails_suite.py" in completed.stdout


def test_the_test_case_deploys_the_single_account_suite(integ_out):
    (case,) = json.loads((integ_out / "integ.json").read_text())["testCases"].values()
    assert case["stacks"] == ["GuardrailsIntegPreventive", "GuardrailsIntegWorkspace", "GuardrailsIntegProbes"]
    assert case["assertionStack"] == "GuardrailsIntegAssertions"
    preventive = _template(integ_out, "GuardrailsIntegPreventive")["Resources"]
    assert {r["Type"] for r in preventive.values()} >= {"AWS::IAM::ManagedPolicy", "AWS::CloudFormation::GuardHook"}


def test_it_asserts_the_key_and_the_domain(integ_out):
    calls = _sdk_calls(integ_out)
    assert calls["KMS.describeKey"]["expected"]["$ObjectLike"]["KeyMetadata"] == {
        "$ObjectLike": {"KeyManager": "CUSTOMER", "KeyState": "Enabled"}}
    assert calls["KMS.getKeyRotationStatus"]["expected"] == {"$ObjectLike": {"KeyRotationEnabled": True}}
    domain = calls["DataZone.getDomain"]["expected"]["$ObjectLike"]
    assert domain["status"] == "AVAILABLE" and domain["kmsKeyIdentifier"] == calls["KMS.describeKey"]["parameters"]["KeyId"]


def test_the_keyless_create_domain_probe_runs_as_a_boundary_role_that_is_no_provisioning_role(integ_out):
    calls = _sdk_calls(integ_out)
    assert calls["Lambda.invoke"]["expected"] == {"$ObjectLike": {"Payload": '"AccessDeniedException"'}}
    probes = _template(integ_out, "GuardrailsIntegProbes")
    (role,) = [r for r in probes["Resources"].values() if r["Type"] == "AWS::IAM::Role"]
    assert "PermissionsBoundary" in role["Properties"]
    identity = Resolver(probes, Deployment()).resolve(role["Properties"]["Policies"][0]["PolicyDocument"])
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/GuardrailsIntegProbes-NonProvisioningRole-ABC123"
    assert not any(fnmatch.fnmatchcase(role_arn, p) for p in Settings().provisioning_roles)
    # What the probe expects is what AWS's evaluation says: the boundary alone refuses the call its identity allows.
    (boundary,) = [r["Properties"]["PolicyDocument"] for r in _template(integ_out, "GuardrailsIntegPreventive")["Resources"].values()
                   if r["Type"] == "AWS::IAM::ManagedPolicy"]
    request = Request(role_arn, "datazone:CreateDomain", "*", ACCOUNT)
    assert simulate(request, Policies(identity=[identity])).allowed
    assert simulate(request, Policies(identity=[identity], boundary=boundary)).result == "ExplicitlyDenied"


def test_the_keyless_stack_must_be_failed_by_this_tests_hook_and_is_deleted(integ_out):
    calls = _sdk_calls(integ_out)
    body = json.loads(calls["CloudFormation.createStack"]["parameters"]["TemplateBody"])
    (domain,) = body["Resources"].values()
    assert domain["Type"] == "AWS::DataZone::Domain" and "KmsKeyIdentifier" not in domain["Properties"]
    assert with_id(scan_template(body), "BedrockGuardrails-WorkspaceCMK"), "our own rules must fail it too"
    (hook,) = [r["Properties"] for r in _template(integ_out, "GuardrailsIntegPreventive")["Resources"].values()
               if r["Type"] == "AWS::CloudFormation::GuardHook"]
    event = calls["CloudFormation.describeStackEvents"]["expected"]["$ObjectLike"]["StackEvents"]["$ArrayWith"][0]["$ObjectLike"]
    assert event == {"LogicalResourceId": "KeylessDomain", "HookType": hook["Alias"], "HookStatus": "HOOK_COMPLETE_FAILED"}
    assert "CloudFormation.deleteStack" in calls


def test_teardown_leaves_only_buckets_that_hold_objects(integ_out):
    for stack in ("GuardrailsIntegPreventive", "GuardrailsIntegWorkspace", "GuardrailsIntegProbes"):
        retained = {r["Type"] for r in _template(integ_out, stack)["Resources"].values() if r.get("DeletionPolicy") == "Retain"}
        assert retained <= {"AWS::S3::Bucket"}, (stack, retained)


@pytest.mark.parametrize("stack", ["GuardrailsIntegPreventive", "GuardrailsIntegWorkspace", "GuardrailsIntegProbes",
                                   "GuardrailsIntegAssertions"])
def test_template_matches_snapshot(integ_out, stack):
    text = _ASSET_HASH.sub("<asset-hash>", json.dumps(_template(integ_out, stack)))
    actual = json.loads(_SALT.sub('"salt": "<synth-time>"', text))
    snapshot = SNAPSHOTS / f"{stack}.json"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(exist_ok=True)
        snapshot.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n")
    assert snapshot.exists(), f"no snapshot for {stack}: run with UPDATE_SNAPSHOTS=1 and review it"
    assert actual == json.loads(snapshot.read_text()), \
        f"{stack} changed: review, then UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/integ"
