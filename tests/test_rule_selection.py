"""--rule / --skip-rule: wildcards, granular ids, the optional prefix, and typos as usage errors."""

from __future__ import annotations

import pytest

from guardrails.errors import GuardrailsInputError
from guardrails.rule_selection import RuleSelection
from tests.conftest import domain, resources, scan_template

UNSCOPED = "BedrockGuardrails-KeyPolicyLeastPrivilege[UnscopedUsage]"


@pytest.fixture(scope="module")
def findings():
    """A keyless domain (WorkspaceCMK) and a key with CDK's default policy, no rotation, no tags."""
    template = resources(Domain=domain(), Key={"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
                                                "Action": "kms:*", "Resource": "*"}]}}, "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain"}, Other=domain({"Fn::GetAtt": ["Key", "Arn"]}))
    return scan_template(template).findings


def ids(findings):
    return {f.rule_id for f in findings}


def test_no_options_select_everything(findings):
    assert RuleSelection.from_options(None, None).filter(findings) == findings


def test_include_by_exact_id_without_prefix_and_by_wildcard(findings):
    assert ids(RuleSelection.from_options(["WorkspaceCMK"], None).filter(findings)) == {"BedrockGuardrails-WorkspaceCMK"}
    keys = RuleSelection.from_options(["BedrockGuardrails-Key*"], None).filter(findings)
    assert keys and all(f.rule_id.startswith("BedrockGuardrails-Key") for f in keys)


def test_a_base_id_selects_its_granular_findings_and_brackets_are_literal(findings):
    assert UNSCOPED in ids(RuleSelection.from_options(["KeyPolicyLeastPrivilege"], None).filter(findings))
    only = RuleSelection.from_options(["KeyPolicyLeastPrivilege[UnscopedUsage]"], None).filter(findings)
    assert ids(only) == {UNSCOPED}


def test_skip_wins_over_include_and_takes_comma_lists(findings):
    kept = RuleSelection.from_options(["*"], ["WorkspaceCMK,KeyRotation*"]).filter(findings)
    assert kept and not any(f.base_rule_id in ("BedrockGuardrails-WorkspaceCMK", "BedrockGuardrails-KeyRotation")
                            for f in kept)


@pytest.mark.parametrize("option, value", [("--rule", "WorkspaceCMKK"), ("--skip-rule", "Key*Typo"),
                                           ("--rule", "KeyPolicyLeastPrivilege[Nope]")])
def test_a_pattern_matching_no_rule_is_a_usage_error(option, value):
    with pytest.raises(GuardrailsInputError, match="matches no rule id"):
        RuleSelection.from_options([value] if option == "--rule" else None, [value] if option == "--skip-rule" else None)


def test_the_fixture_has_the_findings_the_tests_rely_on(findings):
    assert {"BedrockGuardrails-WorkspaceCMK", UNSCOPED} <= ids(findings)
    assert any(f.base_rule_id == "BedrockGuardrails-KeyRotation" for f in findings)
