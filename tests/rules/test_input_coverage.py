"""BedrockGuardrails-InputCoverage: what a template deploys unseen is a warning, never a silent pass;
StackSet bodies are scanned; an export defined twice is judged on every exporter, in any file order."""

from __future__ import annotations

import itertools
import json

import pytest

from guardrails.rules import Severity
from guardrails.rules.input_coverage import RULE
from tests.conftest import KEY_ARN, domain, good_key, resources, scan_template, scan_templates
from tests.rules.template_cases import template_tests

test_pass, test_fail = template_tests("input_coverage", RULE.id)

RULE = "BedrockGuardrails-InputCoverage"


def coverage(report) -> list[tuple[str, str]]:
    return sorted((f.rule_id.removeprefix(RULE), f.logical_id) for f in report.findings if f.base_rule_id == RULE)


def stack_set(body) -> dict:
    return {"Type": "AWS::CloudFormation::StackSet", "Properties": {"StackSetName": "s", "TemplateBody": body}}


@pytest.mark.parametrize("template, expected", [
    (resources(N={"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://b.s3.amazonaws.com/t.json"}}),
     [("[NestedStack]", "N")]),
    (resources(A={"Type": "AWS::Serverless::Application", "Properties": {"Location": "s3://b/app.yaml"}}),
     [("[NestedStack]", "A")]),
    (resources(S={"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateURL": "https://b.s3.amazonaws.com/t.json"}}),
     [("[StackSetTemplate]", "S")]),
    (resources(S=stack_set({"Fn::Join": ["", ["{\"Resources\":", "{}}"]]})), [("[StackSetTemplate]", "S")]),
    (resources(P={"Type": "AWS::ServiceCatalog::CloudFormationProvisionedProduct", "Properties": {"ProductName": "p"}}),
     [("[ProvisionedProduct]", "P")]),
    ({"Transform": "MyCompanyMacro", "Resources": {}}, [("[Macro]", "Transform")]),
    ({"Transform": [{"Name": "AWS::Include", "Parameters": {"Location": "s3://b/x.yaml"}}], "Resources": {}},
     [("[Include]", "Transform")]),
    ({"Resources": {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/x.yaml"}}}},
     [("[Include]", "Fn::Transform")]),
    ({"Transform": "AWS::Serverless-2016-10-31", "Resources": {}}, []),  # SAM expands only its own types
])
def test_what_is_deployed_unseen_is_a_warning(template, expected):
    report = scan_template(template)
    assert coverage(report) == expected
    assert all(f.severity is Severity.WARNING for f in report.findings if f.base_rule_id == RULE)
    assert report.summary()["not_examined"] == len(expected)


def test_stack_set_body_is_scanned_and_its_findings_name_the_stack_set():
    body = json.dumps(resources(Domain=domain()))
    report = scan_template(resources(Set=stack_set(body)))
    [finding] = [f for f in report.findings if f.rule_id == "BedrockGuardrails-WorkspaceCMK"]
    assert finding.template.endswith("#/Resources/Set/Properties/TemplateBody") and finding.logical_id == "Domain"
    assert finding.line is None or finding.line >= 1
    assert report.kpis["workspaces"] == 1 and report.kpis["workspaces_cmk"] == 0 and not coverage(report)


def test_stack_set_body_keys_are_their_own_not_the_parents():
    """Same logical ids inside and outside: the body's domain on the body's key, the parent's key unused."""
    body = json.dumps(resources(Key=good_key(EnableKeyRotation=False), Domain=domain({"Fn::GetAtt": ["Key", "Arn"]})))
    report = scan_template(resources(Key=good_key(), Set=stack_set(body)))
    rotation = [f for f in report.findings if f.base_rule_id == "BedrockGuardrails-KeyRotation"]
    assert [f.template.endswith("TemplateBody") for f in rotation] == [True]


def test_stack_set_body_in_yaml_with_short_forms():
    body = "Resources:\n  Domain:\n    Type: AWS::DataZone::Domain\n    Properties:\n      KmsKeyIdentifier: !Ref AWS::NoValue\n"
    report = scan_template("Resources:\n  Set:\n    Type: AWS::CloudFormation::StackSet\n    Properties:\n"
                           f"      TemplateBody: {json.dumps(body)}\n")
    assert [f.rule_id for f in report.findings if f.severity is Severity.ERROR][:1] == ["BedrockGuardrails-WorkspaceCMK"]


def test_for_each_over_a_parameter_is_expanded_and_reported():
    from tests.test_template import LANGUAGE_EXTENSIONS

    report = scan_template(LANGUAGE_EXTENSIONS)
    assert coverage(report) == [("[ForEachDefaults]", "Fn::ForEach::FromParameter")]
    assert sorted(f.logical_id for f in report.findings if f.rule_id == "BedrockGuardrails-WorkspaceCMK") == ["DomainOne", "DomainTwo"]


def _exporter(value) -> dict:
    return {"Resources": {"Key": good_key()},
            "Outputs": {"Out": {"Value": value, "Export": {"Name": "shared-key"}}}}


def test_an_export_defined_twice_is_judged_on_every_exporter_in_any_order():
    good = _exporter({"Fn::GetAtt": ["Key", "Arn"]})
    bad = _exporter("alias/aws/datazone")
    importer = resources(Domain=domain({"Fn::ImportValue": "shared-key"}))
    verdicts = set()
    for order in itertools.permutations([good, bad, importer]):
        report = scan_templates(list(order))
        cmk = [f for f in report.findings if f.rule_id == "BedrockGuardrails-WorkspaceCMK"]
        duplicates = [f for f in report.findings if f.rule_id == f"{RULE}[DuplicateExport]"]
        assert len(duplicates) == 2 and all("shared-key" in f.message for f in duplicates)
        verdicts.add((len(cmk), "AWS-managed" in cmk[0].message if cmk else None))
    assert verdicts == {(1, True)}  # always fails, on the AWS-managed exporter, whatever the order


def test_a_single_export_still_resolves():
    report = scan_templates([resources(Domain=domain({"Fn::ImportValue": "shared-key"})), _exporter(KEY_ARN)])
    assert not [f for f in report.findings if f.base_rule_id in ("BedrockGuardrails-WorkspaceCMK", RULE) and
                f.severity is not Severity.INFO]


def test_coverage_findings_can_be_acknowledged_on_the_resource():
    nested = {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://b.s3.amazonaws.com/t.json"},
              "Metadata": {"guardrails": {"acknowledged": [{"id": f"{RULE}[NestedStack]",
                                                            "reason": "vendor stack, reviewed in SEC-88 (no Bedrock)"}]}}}
    report = scan_template(resources(N=nested))
    assert not coverage(report) and [e.finding.rule_id for e in report.exceptions] == [f"{RULE}[NestedStack]"]
