"""The optional-dependency table agrees with pyproject.toml, and a missing extra is a clear message with exit 4."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions

from guardrails.extras import DISTRIBUTION, EXTRA_FOR_MODULE, PURPOSE
from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def test_every_optional_module_comes_from_its_extra_and_every_extra_is_known():
    extras = PYPROJECT["optional-dependencies"]
    installed_by = {module: {d.lower().replace("_", "-") for d in dists} for module, dists in packages_distributions().items()}
    for module, extra in EXTRA_FOR_MODULE.items():
        assert installed_by[module] & _names(extras[extra]), f"{module} is not installed by [{extra}]"
    for extra, requirements in extras.items():
        if extra == "all":
            continue
        assert extra in PURPOSE
        for name in _names(requirements):
            assert any(name in installed_by[m] for m, e in EXTRA_FOR_MODULE.items() if e == extra), \
                f"[{extra}] installs {name}, which EXTRA_FOR_MODULE does not map"
    assert _names(extras["all"]) == {DISTRIBUTION}
    assert set(re.search(r"\[(.*)\]", extras["all"][0]).group(1).split(",")) == set(extras) - {"all"}


def test_core_dependencies_are_not_optional():
    core = _names(PYPROJECT["dependencies"])
    assert {"aws-cdk-lib", "constructs", "jsii", "rich"} == core
    assert not core & {n for r in PYPROJECT["optional-dependencies"].values() for n in _names(r)}


def run_without(module: str, *args: str) -> subprocess.CompletedProcess:
    """The CLI in a fresh interpreter where `module` cannot be imported (as if its extra were not installed)."""
    code = (f"import sys; sys.modules[{module!r}] = None; sys.argv[0] = 'bedrock-guardrails'; "
            f"from guardrails.cli.main import main; sys.exit(main({list(args)!r}))")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_sarif_without_reports_extra_names_the_extra(tmp_path):
    template = tmp_path / "t.json"
    template.write_text('{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}')
    result = run_without("sarif_om", "scan", str(template), "--format", "sarif")
    assert result.returncode == 4, result.stderr
    assert f"pip install '{DISTRIBUTION}[reports]'" in result.stderr and "internal error" not in result.stderr


def test_audit_without_boto3_names_the_audit_extra():
    result = run_without("boto3", "audit", "--regions", "us-east-1")
    assert result.returncode == 4, result.stderr
    assert f"pip install '{DISTRIBUTION}[audit]'" in result.stderr


def test_yaml_template_without_yaml_extra_names_it(tmp_path):
    template = tmp_path / "t.yaml"
    template.write_text("Resources:\n  B:\n    Type: AWS::S3::Bucket\n")
    result = run_without("cfnlint", "scan", str(template))
    assert result.returncode == 4, result.stderr
    assert "[yaml]" in result.stderr


def test_an_optional_module_too_old_to_have_a_name_says_upgrade():
    from guardrails.extras import missing_extra_message

    message = missing_extra_message(ImportError("cannot import name 'Skipped' from 'junitparser'", name="junitparser"))
    assert "installed but cannot be used" in message
    assert f"pip install --upgrade '{DISTRIBUTION}[reports]'" in message
    assert missing_extra_message(ModuleNotFoundError("No module named 'x'", name="x")) is None


def test_a_missing_module_of_no_extra_is_still_an_internal_error(tmp_path):
    template = tmp_path / "t.json"
    template.write_text('{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}')
    result = run_without("guardrails.engine", "scan", str(template))
    assert result.returncode == 2 and "internal error" in result.stderr and "pip install" not in result.stderr
