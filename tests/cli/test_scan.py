"""`guardrails scan`: formats, exit codes, SARIF validity, bad inputs, settings, and no Node."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from tests.conftest import ROOT, SARIF_SCHEMA, compliant_template, domain, noncompliant_template


def test_clean_template_exits_zero(run_cli, write_template):
    result = run_cli("scan", write_template(compliant_template()))
    assert result.returncode == 0, result.stderr
    assert "0 errors" in result.stdout


def test_findings_exit_one_with_finding_and_fix_in_text(run_cli, write_template):
    result = run_cli("scan", write_template(noncompliant_template()))
    assert result.returncode == 1
    assert "BedrockGuardrails-WorkspaceCMK" in result.stdout
    assert "migration" in result.stdout  # the fix for a deployed domain is a new one plus a migration


@pytest.mark.parametrize("fail_on, expected", [("error", 0), ("warning", 0), ("never", 0)])
def test_info_findings_never_fail(run_cli, write_template, fail_on, expected):
    from tests.conftest import KEY_ARN

    result = run_cli("scan", write_template({"Resources": {"Domain": domain(KEY_ARN)}}), "--fail-on", fail_on)
    assert result.returncode == expected, result.stdout + result.stderr
    assert "ExternalKey" in result.stdout


def test_fail_on_never_exits_zero_despite_errors(run_cli, write_template):
    assert run_cli("scan", write_template(noncompliant_template()), "--fail-on", "never").returncode == 0


def test_json_output_shape(run_cli, write_template, tmp_path):
    out = tmp_path / "report.json"
    result = run_cli("scan", write_template(noncompliant_template()), "--format", "json", "--output", out)
    assert result.returncode == 1 and result.stdout == ""
    report = json.loads(out.read_text())
    finding = next(f for f in report["findings"] if f["rule_id"] == "BedrockGuardrails-WorkspaceCMK")
    assert set(finding) >= {"rule_id", "severity", "template", "logical_id", "path", "property", "message", "remediation"}
    assert finding["severity"] == "error" and finding["logical_id"] == "Domain" and finding["property"] == "KmsKeyIdentifier"
    assert report["kpis"] == {"workspaces": 1, "workspaces_cmk": 0, "cmk_coverage_pct": 0.0, "bedrock_resources": 0,
                              "bedrock_resources_cmk": 0, "bedrock_cmk_coverage_pct": None, "exceptions": 0}
    assert report["summary"]["errors"] == len([f for f in report["findings"] if f["severity"] == "error"])


def test_sarif_is_valid_and_locates_the_line(run_cli, write_template):
    result = run_cli("scan", write_template(noncompliant_template()), "--format", "sarif")
    assert result.returncode == 1
    log = json.loads(result.stdout)
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    run = log["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} >= {"BedrockGuardrails-WorkspaceCMK", "BedrockGuardrails-KeyRotation"}
    result_ = next(r for r in run["results"] if r["ruleId"] == "BedrockGuardrails-WorkspaceCMK")
    location = result_["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("template.json")
    assert location["region"]["startLine"] == 3  # json.dumps(indent=1): Resources on 2, Domain on 3
    assert result_["level"] == "error"


def test_sarif_marks_acknowledged_findings_as_suppressed(run_cli, write_template):
    template = noncompliant_template()
    template["Resources"]["Domain"]["Metadata"] = {"guardrails": {"acknowledged": [
        {"id": "BedrockGuardrails-WorkspaceCMK", "reason": "legacy domain, migration ticket SEC-42 due 2027-01"}]}}
    log = json.loads(run_cli("scan", write_template(template), "--format", "sarif").stdout)
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    suppressed = [r for r in log["runs"][0]["results"] if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == ["BedrockGuardrails-WorkspaceCMK"]
    assert suppressed[0]["suppressions"][0]["justification"].startswith("legacy domain")


def test_junit_has_a_failure_per_error_finding(run_cli, write_template):
    result = run_cli("scan", write_template({"Resources": {"Domain": domain(Tags=None)}}), "--format", "junit")
    assert result.returncode == 1
    root = ET.fromstring(result.stdout)
    failures = root.findall(".//failure")
    assert {f.get("type") for f in failures} == {"BedrockGuardrails-WorkspaceCMK", "BedrockGuardrails-WorkspaceOwnershipTags"}


def test_junit_clean_template_is_one_passing_case(run_cli, write_template):
    root = ET.fromstring(run_cli("scan", write_template(compliant_template()), "--format", "junit").stdout)
    assert len(root.findall(".//testcase")) == 1 and not root.findall(".//failure")


def test_yaml_short_form_intrinsics(run_cli, write_template):
    text = """
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Domain:
    Type: AWS::DataZone::Domain
    Properties:
      Name: research
      DomainExecutionRole: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/exec"
      KmsKeyIdentifier: !If [UseCmk, !GetAtt Key.Arn, !Ref AWS::NoValue]
"""
    result = run_cli("scan", write_template(text, "t.yaml"), "--format", "json")
    finding = next(f for f in json.loads(result.stdout)["findings"] if f["rule_id"] == "BedrockGuardrails-WorkspaceCMK")
    assert "AWS::NoValue" in finding["message"] and finding["line"] == 4  # the line of "Domain:" (the text opens with a blank line)


BAD_INPUTS = {
    "malformed.json": ('{"Resources": {"A": }', "invalid JSON", ":1"),
    "malformed.yaml": ("Resources:\n  A: [1,\n  b: :", "invalid YAML", ":3"),
    "empty.yaml": ("", "empty file", None),
    "notatemplate.json": ('{"name": "package"}', "not a CloudFormation template", None),
    "notype.yaml": ("Resources:\n  A:\n    Properties: {}\n", "has no Type", ":3"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_a_clear_error_with_exit_two(run_cli, write_template, name):
    text, message, line = BAD_INPUTS[name]
    path = write_template(text, name)
    result = run_cli("scan", path)
    assert result.returncode == 2
    assert message in result.stderr and str(path) in result.stderr
    if line:
        assert f"{path}{line}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_binary_file(run_cli, tmp_path):
    path = tmp_path / "blob.template"
    path.write_bytes(b"\x7fELF\x00\x01\x02" * 100)
    result = run_cli("scan", path)
    assert result.returncode == 2 and "binary file" in result.stderr and "Traceback" not in result.stderr


def test_ten_megabyte_template_is_refused_clearly(run_cli, tmp_path):
    path = tmp_path / "huge.json"
    resources = {f"Queue{i}": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "q" * 100}} for i in range(70000)}
    path.write_text(json.dumps({"Resources": resources}))
    assert path.stat().st_size > 10 * 1024 * 1024
    result = run_cli("scan", path)
    assert result.returncode == 2 and "1 MB" in result.stderr and "Traceback" not in result.stderr


def test_deeply_nested_json_is_a_clear_error(run_cli, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"Resources": {"D": {"Type": "AWS::DataZone::Domain", "Properties": {"KmsKeyIdentifier": '
                    + '{"Fn::If": ["C", ' * 100000 + '"x"' + ', "y"]}' * 100000 + "}}}}")
    result = run_cli("scan", path)
    assert result.returncode == 2 and "nested too deeply" in result.stderr and "Traceback" not in result.stderr


def test_deep_but_parseable_intrinsics_fail_closed(run_cli, write_template):
    value = {"Fn::GetAtt": ["Key", "Arn"]}
    for _ in range(60):
        value = {"Fn::If": ["C", value, {"Fn::GetAtt": ["Key", "Arn"]}]}
    template = compliant_template()
    template["Resources"]["Domain"] = domain(value)
    report = json.loads(run_cli("scan", write_template(template), "--format", "json").stdout)
    messages = [f["message"] for f in report["findings"] if f["rule_id"] == "BedrockGuardrails-WorkspaceCMK"]
    assert messages and "nested too deeply" in messages[0]


def test_unknown_intrinsic_fails_closed_naming_it(run_cli, write_template):
    template = compliant_template()
    template["Resources"]["Domain"] = domain({"Fn::Frobnicate": ["Key", "Arn"]})
    result = run_cli("scan", write_template(template), "--format", "json")
    assert result.returncode == 1
    finding = next(f for f in json.loads(result.stdout)["findings"] if f["rule_id"] == "BedrockGuardrails-WorkspaceCMK")
    assert "Fn::Frobnicate" in finding["message"]


def test_missing_path_and_unreadable_file(run_cli, tmp_path):
    missing = run_cli("scan", tmp_path / "nope.json")
    assert missing.returncode == 2 and "no such file" in missing.stderr
    unreadable = tmp_path / "locked.json"
    unreadable.write_text("{}")
    unreadable.chmod(0)
    result = run_cli("scan", unreadable)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_usage_error_exits_two(run_cli):
    assert run_cli("scan").returncode == 2
    assert run_cli("scan", "x", "--format", "pdf").returncode == 2


def test_directory_scan_skips_non_templates_but_scans_templates(run_cli, tmp_path):
    (tmp_path / "package.json").write_text('{"name": "x"}')
    (tmp_path / "config.json").write_text('{"name": "x"}')
    (tmp_path / "stack.json").write_text(json.dumps(noncompliant_template()))
    result = run_cli("scan", tmp_path, "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert report["summary"]["templates"] == 1
    assert [s["file"].endswith("config.json") for s in report["summary"]["skipped"]] == [True]


def test_settings_from_config_file(run_cli, write_template, tmp_path):
    config = tmp_path / "guardrails.toml"
    config.write_text('[tool.guardrails]\nrequired_tags = { Owner = "^[^@]+@example\\\\.com$" }\n')
    template = compliant_template()
    template["Resources"]["Domain"]["Properties"]["Tags"] = [{"Key": "Owner", "Value": "not-an-email"}]
    report = json.loads(run_cli("scan", write_template(template), "--format", "json", "--config", config).stdout)
    tag_findings = [f for f in report["findings"] if f["rule_id"] == "BedrockGuardrails-WorkspaceOwnershipTags"]
    assert len(tag_findings) == 1 and "does not match" in tag_findings[0]["message"]
    assert "CostCenter" not in tag_findings[0]["message"]  # the config replaced the default tag set


def test_bad_config_is_exit_two_naming_the_setting(run_cli, write_template, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[tool.guardrails]\nmax_rotation_days = 5000\n")
    result = run_cli("scan", write_template(compliant_template()), "--config", config)
    assert result.returncode == 2 and "max_rotation_days" in result.stderr and str(config) in result.stderr


def test_scan_never_imports_aws_cdk():
    code = ("import sys, json, tempfile, os\n"
            "from guardrails.cli.main import main\n"
            "d = tempfile.mkdtemp(); p = os.path.join(d, 't.json')\n"
            "open(p, 'w').write(json.dumps({'Resources': {'D': {'Type': 'AWS::DataZone::Domain', 'Properties': {}}}}))\n"
            "for fmt in ('text', 'json', 'sarif', 'junit'):\n"
            "    main(['scan', p, '--format', fmt, '--output', os.path.join(d, 'out')])\n"
            "main(['scan', '--help']) if False else None\n"
            "bad = [m for m in sys.modules if m.startswith(('aws_cdk', 'jsii', 'cdk_nag'))]\n"
            "print(bad); sys.exit(1 if bad else 0)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                            env={"JSII_RUNTIME": "/bin/false", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_help_works_without_node(run_cli):
    result = run_cli("scan", "--help")
    assert result.returncode == 0 and "--fail-on" in result.stdout


def test_rules_command_lists_the_catalog(run_cli):
    from guardrails.rules import CATALOG

    listed = json.loads(run_cli("rules", "--format", "json").stdout)
    assert [r["id"] for r in listed] == [r.id for r in CATALOG]


# -- inputs and output hygiene (issue 11) -----------------------------------------------------------------

def test_partial_failure_reports_the_findings_it_could_compute_and_exits_two(run_cli, write_template, tmp_path):
    good = write_template(noncompliant_template(), "good.json")
    broken = write_template('{"Resources": ', "broken.json")
    result = run_cli("scan", good, broken, "--format", "json")
    assert result.returncode == 2 and "invalid JSON" in result.stderr and "broken.json" in result.stderr
    report = json.loads(result.stdout)
    assert [f["rule_id"] for f in report["findings"]] == ["BedrockGuardrails-WorkspaceCMK"]


def test_stdin_is_read_for_dash(run_cli, tmp_path):
    env = {**__import__("os").environ, "JSII_RUNTIME": "/bin/false"}
    result = subprocess.run([sys.executable, "-m", "guardrails.cli.main", "scan", "-", "--format", "json"],
                            input=json.dumps(noncompliant_template()), capture_output=True, text=True, cwd=ROOT, env=env,
                            timeout=120)
    assert result.returncode == 1, result.stderr
    [finding] = [f for f in json.loads(result.stdout)["findings"] if f["rule_id"] == "BedrockGuardrails-WorkspaceCMK"]
    assert finding["template"] == "<stdin>"
    yaml_in = subprocess.run([sys.executable, "-m", "guardrails.cli.main", "scan", "-"], input="Resources: [",
                             capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert yaml_in.returncode == 2 and "<stdin>" in yaml_in.stderr and "invalid YAML" in yaml_in.stderr


def test_language_extensions_template_is_scanned_not_refused(run_cli, write_template):
    text = ("Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::D:\n    - N\n    - [A, B]\n"
            "    - Domain${N}:\n        Type: AWS::DataZone::Domain\n        Properties: {Name: x}\n")
    result = run_cli("scan", write_template(text, "le.yaml"), "--format", "json")
    assert result.returncode == 1, result.stderr
    ids = sorted(f["logical_id"] for f in json.loads(result.stdout)["findings"] if f["rule_id"] == "BedrockGuardrails-WorkspaceCMK")
    assert ids == ["DomainA", "DomainB"]


HOSTILE = "Evil\x1b[2J\x1b]0;pwned\x07\x00\x0b"


def _hostile_template() -> dict:
    template = noncompliant_template()
    template["Resources"]["Domain"]["Metadata"] = {"aws:cdk:path": f"Stack/{HOSTILE}/Resource"}
    template["Resources"][f"Q{HOSTILE}"] = {"Type": "AWS::SQS::Queue"}
    template["Resources"]["Domain"]["Properties"]["KmsKeyIdentifier"] = f"alias/{HOSTILE}"
    return template


def test_control_characters_never_reach_the_terminal_or_break_junit(run_cli, write_template):
    path = write_template(_hostile_template(), "hostile.json")
    text = run_cli("scan", path)
    assert "\x1b" not in text.stdout and "\x00" not in text.stdout and "\\x1b" in text.stdout
    junit = run_cli("scan", path, "--format", "junit")
    root = ET.fromstring(junit.stdout)  # parses: no character XML forbids
    from junitparser import JUnitXml

    assert JUnitXml.fromstring(junit.stdout.encode()).failures >= 1
    assert "\x1b" not in junit.stdout and len(root.findall(".//failure")) >= 1


def test_rich_markup_in_values_is_shown_not_interpreted(monkeypatch):
    from guardrails.reports import text as text_report
    from tests.conftest import scan_template

    template = noncompliant_template()
    template["Resources"]["Domain"]["Metadata"] = {"aws:cdk:path": "Stack/[bold red]x[/]/Resource"}
    monkeypatch.setenv("COLUMNS", "250")
    out = text_report.render(scan_template(template), "0", terminal=True)
    assert "[bold red]x[/]" in out


def test_sarif_uris_are_percent_encoded(run_cli, tmp_path):
    folder = tmp_path / "my templates #1"
    folder.mkdir()
    (folder / "a%b.json").write_text(json.dumps(noncompliant_template()))
    result = run_cli("scan", folder / "a%b.json", "--format", "sarif")
    log = json.loads(result.stdout)
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith("file:///") and uri.endswith("/my%20templates%20%231/a%25b.json")
