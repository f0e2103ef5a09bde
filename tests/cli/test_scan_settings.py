"""`guardrails scan` in a CDK app judges templates with cdk.json's `guardrails` context, as synth does, and its
text output says which settings file it used."""

from __future__ import annotations

import json

from tests.conftest import compliant_template


def _project(tmp_path, guardrails_context: dict | None):
    project = tmp_path / "app"
    project.mkdir()
    (project / "pyproject.toml").write_text('[tool.guardrails]\nrequired_tags = { Owner = "", CostCenter = "" }\n')
    if guardrails_context is not None:
        (project / "cdk.json").write_text(json.dumps({"app": "python app.py", "context": {"guardrails": guardrails_context}}))
    return project


def test_scan_in_a_cdk_app_applies_the_cdk_json_tag_patterns(run_cli, write_template, tmp_path):
    template = write_template(compliant_template())  # CostCenter "cc-1"
    project = _project(tmp_path, {"required_tags": {"Owner": "", "CostCenter": "^CC-[0-9]{4,}$"}})
    result = run_cli("scan", template, cwd=project)
    assert result.returncode == 1, result.stdout
    assert "WorkspaceOwnershipTags" in result.stdout and "^CC-[0-9]{4,}$" in result.stdout
    assert result.stdout.rstrip().endswith("Settings: cdk.json context 'guardrails'")


def test_without_cdk_json_scan_uses_pyproject_and_says_so(run_cli, write_template, tmp_path):
    project = _project(tmp_path, None)
    result = run_cli("scan", write_template(compliant_template()), cwd=project)
    assert result.returncode == 0, result.stdout
    assert result.stdout.rstrip().endswith("Settings: pyproject.toml [tool.guardrails]")


def test_no_settings_file_says_built_in_defaults(run_cli, write_template):
    result = run_cli("scan", write_template(compliant_template()))
    assert "Settings: built-in defaults" in result.stdout


def test_machine_formats_carry_no_settings_line(run_cli, write_template, tmp_path):
    project = _project(tmp_path, {"max_rotation_days": 365})
    result = run_cli("scan", write_template(compliant_template()), "--format", "json", cwd=project)
    json.loads(result.stdout)  # still a single JSON document


def test_summary_in_a_cdk_app_judges_with_the_same_settings_as_scan(run_cli, write_template, tmp_path):
    # summary's counts must be scan's: with cdk.json's tag pattern the template pyproject would pass fails both
    template = write_template(compliant_template())  # CostCenter "cc-1"
    project = _project(tmp_path, {"required_tags": {"Owner": "", "CostCenter": "^CC-[0-9]{4,}$"}})
    scanned = json.loads(run_cli("scan", template, "--format", "json", cwd=project).stdout)["findings"]
    summary = run_cli("summary", template, cwd=project)
    errors = sum(f["severity"] == "error" for f in scanned)
    assert errors and summary.returncode == 1, summary.stdout
    assert f"Findings: {errors} errors" in summary.stdout
