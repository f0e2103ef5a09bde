"""`guardrails policy`: prints reviewable documents, and never starts CDK."""

import json
import subprocess
import sys

import yaml

from guardrails.cli.main import main
from guardrails.preventive.documents import boundary_document, scp_documents
from guardrails.settings import Settings


def test_scp_json_is_the_list_of_documents(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no pyproject.toml here: default settings
    assert main(["policy", "scp"]) == 0
    assert json.loads(capsys.readouterr().out) == scp_documents(Settings())


def test_boundary_yaml_uses_the_config_file(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "g.json"
    config.write_text(json.dumps({"break_glass_role": "arn:aws:iam::111122223333:role/bg"}))
    assert main(["policy", "boundary", "--format", "yaml", "--config", str(config)]) == 0
    documents = yaml.safe_load(capsys.readouterr().out)
    assert documents == [boundary_document(Settings(break_glass_role="arn:aws:iam::111122223333:role/bg"))]


def test_bad_settings_exit_2(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "g.json"
    config.write_text(json.dumps({"provisioning_roles": ["not-an-arn"]}))
    assert main(["policy", "scp", "--config", str(config)]) == 2
    assert "not an IAM role ARN" in capsys.readouterr().err


def test_policy_does_not_import_aws_cdk(tmp_path):
    code = ("import sys; from guardrails.cli.main import main; main(['policy','scp']); "
            "sys.exit(1 if any(m.startswith(('aws_cdk', 'jsii')) for m in sys.modules) else 0)")
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(__import__('pathlib').Path(__file__).parents[2])})
    assert run.returncode == 0, run.stderr


def test_policy_uses_the_cdk_json_settings_the_stacks_deploy_with(run_cli, tmp_path):
    admin = "arn:aws:iam::111111111111:role/KeyAdminFromCdkJson"
    (tmp_path / "cdk.json").write_text(json.dumps({"context": {"guardrails": {"key_admin_roles": [admin]}}}))
    result = run_cli("policy", "scp", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert admin in result.stdout
    assert admin not in run_cli("policy", "scp").stdout  # an empty directory: the built-in defaults
