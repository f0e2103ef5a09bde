"""The two-team example: passes every pack, cfn-lint and our own scan, and is in the suite only behind its flag."""

from __future__ import annotations

import json

from aws_cdk import App
from cfnlint.api import ManualArgs, lint_file

from guardrails.cloud_assembly import assembly_sources
from guardrails.engine import scan
from guardrails.key_policy import analyze_key_policy
from guardrails.key_reference import KeyResolver
from guardrails.template import Template as CfnTemplate
from guardrails.settings import settings_from_cdk_context, settings_from_mapping
from guardrails.stacks import build_suite
from tests.stacks.conftest import ROOT


def _settings():
    return settings_from_mapping(json.loads((ROOT / "cdk.json").read_text())["context"]["guardrails"], "cdk.json")


def _template(team_assembly) -> dict:
    return json.loads((team_assembly / "TeamWorkspaces.template.json").read_text())


def test_guardrails_scan_reports_nothing(team_assembly):
    report = scan(assembly_sources(str(team_assembly)), _settings())
    assert not report.errors
    assert report.findings == []
    assert report.kpis["workspaces"] == report.kpis["workspaces_cmk"] == 2


def _account(assembly) -> str:
    """The stack's own account, from its cdk.out environment: the owner of its keys."""
    from guardrails.cloud_assembly import discover

    (source,) = [s for s in discover([str(assembly)]) if s.stack_name == "TeamWorkspaces"]
    assert source.account
    return source.account


def test_two_team_keys_each_accepted_as_scoped_and_tagged_with_its_team(team_assembly):
    template = _template(team_assembly)
    resolver = KeyResolver(CfnTemplate("TeamWorkspaces.template.json", template))
    keys = [r for r in template["Resources"].values() if r["Type"] == "AWS::KMS::Key"]
    owners = sorted({t["Key"]: t["Value"] for t in key["Properties"]["Tags"]}["Owner"] for key in keys)
    assert owners == ["team-a@example.com", "team-b@example.com"]
    for key in keys:
        policy = key["Properties"]["KeyPolicy"]
        assert "aws:PrincipalTag/Owner" in json.dumps(policy)
        assert analyze_key_policy(policy, render=resolver.render, account=_account(team_assembly)) == []


def test_template_is_valid_cloudformation(team_assembly):
    matches = lint_file(team_assembly / "TeamWorkspaces.template.json", ManualArgs(regions=["us-east-1"]))
    assert [m.message for m in matches if m.rule.severity == "error"] == []


def test_only_behind_its_context_flag():
    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    default = App(context=context)
    assert "TeamWorkspaces" not in build_suite(default, settings_from_cdk_context(default.node))
    flagged = App(context={**context, "guardrails:team-example": "true"})
    assert "TeamWorkspaces" in build_suite(flagged, settings_from_cdk_context(flagged.node))
