"""The ownership-tag judgment both tag rules share: its verdict is reused for equal Tags within a scan
(RuleContext.memoised), never across values, types or settings that judge differently."""

from __future__ import annotations

from guardrails.rules.workspace_ownership_tags import RULE
from guardrails.settings import Settings
from tests.conftest import domain, resources, scan_template, scan_templates

STRICT = Settings(required_tags={"CostCenter": "^CC-[0-9]{4,}$"})


def tags(cost_center) -> list[dict]:
    return [{"Key": "CostCenter", "Value": cost_center}]


def flagged(report) -> list[str]:
    return sorted(f.logical_id for f in report.findings if f.rule_id == RULE.id)


def test_equal_tags_share_a_verdict_and_tags_that_differ_in_a_value_or_type_do_not():
    template = resources(
        Good=domain(Tags=tags("CC-1234")), Bad=domain(Tags=tags("CC-12")), GoodAgain=domain(Tags=tags("CC-1234")),
        Number=domain(Tags=tags(1234)), Computed=domain(Tags=tags({"Ref": "AWS::NoValue"})),
        BadAgain=domain(Tags=tags("CC-12")), Missing=domain(Tags=[{"Key": "Other", "Value": "CC-1234"}]),
        Lower=domain(Tags=tags("cc-1234")), Spaced=domain(Tags=tags("CC-1234 ")))
    assert flagged(scan_template(template, STRICT)) == ["Bad", "BadAgain", "Computed", "Lower", "Missing", "Number", "Spaced"]


def test_a_scan_with_other_settings_judges_the_same_tags_anew():
    template = resources(Domain=domain(Tags=tags("cc-1")))
    assert flagged(scan_template(template, STRICT)) == ["Domain"]
    assert flagged(scan_template(template, Settings(required_tags={"CostCenter": None}))) == []
    assert flagged(scan_templates([template, template], STRICT)) == ["Domain", "Domain"]
