"""CLI conventions checkov, cfn-lint and cdk-nag users expect: help for every option, --debug anywhere,
-o on every report, --quiet, --fail-on info, --rule/--skip-rule, --baseline/--create-baseline."""

from __future__ import annotations

import argparse
import json

import pytest

from guardrails.cli.common import each_parser
from guardrails.cli.main import COMMANDS, build_parser
from tests.conftest import KEY_ARN, compliant_template, domain, noncompliant_template, resources

REPORTING = ("scan", "summary", "rules", "policy", "audit", "migrate-plan", "migrate", "kill-switch")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_option_of_every_command_has_help_and_every_command_a_description(command):
    for parser in list(each_parser(build_parser(command)))[1:]:
        assert parser.description, f"{parser.prog} has no description"
        for action in parser._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            assert action.help and action.help != argparse.SUPPRESS, f"{parser.prog} {action.option_strings or action.dest}"


@pytest.mark.parametrize("command", REPORTING)
def test_every_command_that_prints_a_report_takes_output(command):
    parsers = list(each_parser(build_parser(command)))[1:]
    leaves = [p for p in parsers if not any(isinstance(a, argparse._SubParsersAction) for a in p._actions)]
    assert leaves and all("--output" in p._option_string_actions and "-o" in p._option_string_actions for p in leaves)


def test_debug_is_accepted_after_the_subcommand(run_cli, write_template):
    path = write_template(compliant_template())
    assert run_cli("scan", path, "--debug").returncode == 0
    assert run_cli("--debug", "scan", path).returncode == 0


@pytest.mark.parametrize("command", [("rules", "--format", "json"), ("policy", "scp"), ("summary", "TEMPLATE")])
def test_output_writes_the_report_to_a_file(run_cli, write_template, tmp_path, command):
    template = write_template(compliant_template())
    out = tmp_path / "report.txt"
    result = run_cli(*[str(template) if part == "TEMPLATE" else part for part in command], "-o", out)
    assert result.returncode == 0 and result.stdout == "" and out.read_text().strip()


def test_fail_on_info_fails_on_an_info_finding(run_cli, write_template):
    path = write_template(resources(Domain=domain(KEY_ARN)))  # a literal key ARN: [ExternalKey], info
    assert run_cli("scan", path).returncode == 0
    assert run_cli("scan", path, "--fail-on", "info").returncode == 1


def test_rule_and_skip_rule_select_what_is_reported_and_judged(run_cli, write_template):
    path = write_template(noncompliant_template())  # WorkspaceCMK only
    skipped = run_cli("scan", path, "--skip-rule", "WorkspaceCMK", "--format", "json")
    assert skipped.returncode == 0 and json.loads(skipped.stdout)["findings"] == []
    only = run_cli("scan", path, "--rule", "BedrockGuardrails-Workspace*", "--format", "json")
    assert only.returncode == 1 and {f["rule_id"] for f in json.loads(only.stdout)["findings"]} == {"BedrockGuardrails-WorkspaceCMK"}
    typo = run_cli("scan", path, "--rule", "WorkspaceCKM")
    assert typo.returncode == 2 and "matches no rule id" in typo.stderr


def test_a_baseline_accepts_todays_findings_and_fails_on_new_ones(run_cli, write_template, tmp_path):
    path = write_template(noncompliant_template())
    baseline = tmp_path / "baseline.json"
    created = run_cli("scan", path, "--create-baseline", baseline)
    assert created.returncode == 0 and "1 findings recorded" in created.stderr
    again = run_cli("scan", path, "--baseline", baseline, "--format", "json")
    assert again.returncode == 0 and json.loads(again.stdout)["findings"] == [] and "1 findings accepted" in again.stderr
    path.write_text(json.dumps(resources(Domain=domain(), Second=domain())))
    new = run_cli("scan", path, "--baseline", baseline, "--format", "json")
    assert new.returncode == 1 and [f["logical_id"] for f in json.loads(new.stdout)["findings"]] == ["Second"]
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    assert run_cli("scan", path, "--baseline", broken).returncode == 2


def test_quiet_prints_nothing_when_clean_and_only_blocking_findings_otherwise(run_cli, write_template):
    clean = run_cli("scan", write_template(compliant_template(), "clean.json"), "--quiet")
    assert clean.returncode == 0 and clean.stdout == ""
    info = run_cli("scan", write_template(resources(Domain=domain(KEY_ARN)), "info.json"), "--quiet")
    assert info.returncode == 0 and info.stdout == ""  # the info finding is below --fail-on
    bad = run_cli("scan", write_template(noncompliant_template(), "bad.json"), "--quiet")
    assert bad.returncode == 1 and "BedrockGuardrails-WorkspaceCMK" in bad.stdout and "Settings:" not in bad.stdout
