"""The CI recipes in docs/ci/ and the pre-commit hook run as written.

- The GitHub Actions workflow validates against SchemaStore's github-workflow schema (vendored by
  check-jsonschema), and its Scan step, run as written in a checkout holding a cdk.out, writes a SARIF
  log that validates against SARIF 2.1.0 and exits 1 on findings.
- The CodeBuild buildspec's report file format is one CodeBuild reads ("Test reports in AWS CodeBuild":
  Cucumber JSON, JUnit XML, NUnit XML, NUnit3 XML, TestNG XML, Visual Studio TRX), and its scan command
  writes the JUnit file the report section names.
- `.pre-commit-hooks.yaml` passes pre-commit's own manifest validation, and `pre-commit try-repo` runs
  the hook against a throwaway repository: a keyless workspace fails the commit, a compliant one passes.
Steps that need a CDK app or the network (pip install, npm ci, cdk synth, upload-sarif) are not run here;
every guardrails command is.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from junitparser import JUnitXml

from tests.conftest import ROOT, SARIF_SCHEMA, compliant_template, noncompliant_template

BIN = Path(sys.executable).parent
WORKFLOW = ROOT / "docs" / "ci" / "github-actions.yml"
BUILDSPEC = ROOT / "docs" / "ci" / "buildspec.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
CODEBUILD_TEST_REPORT_FORMATS = {"CUCUMBERJSON", "JUNITXML", "NUNITXML", "NUNIT3XML", "TESTNGXML", "VISUALSTUDIOTRX"}


def checkout_with_cdk_out(tmp_path: Path, template: dict) -> Path:
    """A working directory as the recipe's steps find it after `cdk synth`: ./cdk.out with a manifest."""
    out = tmp_path / "cdk.out"
    out.mkdir()
    (out / "App.template.json").write_text(json.dumps(template))
    (out / "manifest.json").write_text(json.dumps({"version": "48.0.0", "artifacts": {"App": {
        "type": "aws:cloudformation:stack", "environment": "aws://unknown-account/unknown-region",
        "properties": {"templateFile": "App.template.json"}}}}))
    return tmp_path


def run_step(command: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a recipe's shell command as its runner would (bash), with this environment's console scripts."""
    return subprocess.run(["bash", "-ec", command], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **(env or {})})


def guardrails_commands(commands: list[str]) -> list[str]:
    return [c for c in commands if c.lstrip().startswith("bedrock-guardrails ")]


def test_the_console_script_the_recipes_call_is_installed():
    assert (BIN / "bedrock-guardrails").exists()


def test_github_workflow_is_valid_for_github():
    result = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_github_workflow_scan_step_writes_valid_sarif_that_fails_the_job(tmp_path):
    workflow = yaml.safe_load(WORKFLOW.read_text())
    steps = workflow["jobs"]["guardrails"]["steps"]
    scan = next(s for s in steps if s.get("name") == "Scan")
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["if"] == "always()"  # findings fail the Scan step; the upload must still run
    assert workflow["jobs"]["guardrails"]["permissions"]["security-events"] == "write"

    checkout = checkout_with_cdk_out(tmp_path, noncompliant_template())
    result = run_step(scan["run"], checkout)
    assert result.returncode == 1, result.stderr
    log = json.loads((checkout / upload["with"]["sarif_file"]).read_text())
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    assert {r["ruleId"] for r in log["runs"][0]["results"]} >= {"BedrockGuardrails-WorkspaceCMK"}


def test_github_workflow_scan_step_passes_a_compliant_app(tmp_path):
    scan = next(s for s in yaml.safe_load(WORKFLOW.read_text())["jobs"]["guardrails"]["steps"] if s.get("name") == "Scan")
    result = run_step(scan["run"], checkout_with_cdk_out(tmp_path, compliant_template()))
    assert result.returncode == 0, result.stdout + result.stderr


def test_buildspec_publishes_the_junit_file_its_scan_writes(tmp_path):
    spec = yaml.safe_load(BUILDSPEC.read_text())
    assert spec["version"] == 0.2
    (group,) = spec["reports"].values()
    assert group["file-format"] in CODEBUILD_TEST_REPORT_FORMATS and group["file-format"] == "JUNITXML"
    checkout = checkout_with_cdk_out(tmp_path, noncompliant_template())
    (command,) = guardrails_commands(spec["phases"]["build"]["commands"])
    result = run_step(command, checkout, {k: str(v) for k, v in spec["env"]["variables"].items()})
    assert result.returncode == 1, result.stderr
    (report_file,) = [checkout / group["base-directory"] / name for name in group["files"]]
    suites = JUnitXml.fromfile(str(report_file))
    failures = [case for suite in suites for case in suite if case.result]
    assert failures and any("WorkspaceCMK" in (case.name + str(case.result[0].message)) for case in failures)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    """One pre-commit cache for the module: the hook's environment (our package from this checkout) is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def test_hook_manifest_is_valid_for_pre_commit():
    result = subprocess.run([str(BIN / "pre-commit"), "validate-manifest", str(HOOKS)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def _repo_with(tmp_path: Path, files: dict[str, dict]) -> Path:
    repo = tmp_path / "app"
    repo.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    for name, template in files.items():
        (repo / name).write_text(json.dumps(template))
    (repo / "package.json").write_text('{"name": "not-a-template"}')  # must not be handed to the hook
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    return repo


def _try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess:
    if shutil.which("git") is None:
        pytest.fail("git is needed to run pre-commit")
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run([str(BIN / "pre-commit"), "try-repo", str(ROOT), "bedrock-guardrails-scan", "--all-files",
                           "--color", "never"], cwd=repo, capture_output=True, text=True, timeout=600, env=env)


def test_pre_commit_hook_fails_a_keyless_workspace_and_passes_a_compliant_one(tmp_path, pre_commit_home):
    bad = _try_repo(_repo_with(tmp_path / "bad", {"workspace.template.json": noncompliant_template()}), pre_commit_home)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "BedrockGuardrails-WorkspaceCMK" in bad.stdout and "package.json" not in bad.stdout
    good = _try_repo(_repo_with(tmp_path / "good", {"workspace.template.json": compliant_template()}), pre_commit_home)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
