"""BedrockGuardrails-ResourceCMK: template folders, every governed type, every key-reference form."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from guardrails.rules import Severity
from guardrails.rules.governed_types import BEDROCK_KEY_PROPERTIES, KeyProperty, key_properties_for
from guardrails.rules.resource_cmk import RULE
from tests.conftest import KEY_ARN, blocking, scan_template, with_id
from tests.rules.template_cases import template_tests

test_pass, test_fail = template_tests("resource_cmk", RULE.id)

GOOD = {"Fn::GetAtt": ["Key", "Arn"]}
PARAMETERS = {"KeyParam": {"Type": "String"}}
CONDITIONS = {"Prod": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}}
PSEUDO_ARN = {"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab"}


def _set(properties: dict, path: tuple[str, ...], value: Any) -> None:
    """Put `value` at `path`, creating objects, and a one-item list for each "[]" step."""
    node = properties
    for index, step in enumerate(path[:-1]):
        if step == "[]":
            continue
        following = path[index + 1]
        default: Any = [{}] if following == "[]" else {}
        node = node.setdefault(step, default)
        if isinstance(node, list):
            node = node[0]
    if value is not None:
        node[path[-1]] = value


def _template(resource_type: str, values: dict[tuple[str, ...], Any]) -> dict:
    properties: dict = {}
    for key_property in key_properties_for(resource_type):
        _set(properties, key_property.path, copy.deepcopy(values.get(key_property.path, GOOD)))
    return {"Parameters": PARAMETERS, "Conditions": CONDITIONS,
            "Resources": {"Key": {"Type": "AWS::KMS::Key"}, "Res": {"Type": resource_type, "Properties": properties}}}


@pytest.mark.parametrize("key_property", BEDROCK_KEY_PROPERTIES, ids=lambda p: f"{p.resource_type}.{p.dotted}")
def test_every_governed_type_passes_with_a_template_key(key_property: KeyProperty):
    report = scan_template(_template(key_property.resource_type, {}))
    assert not blocking(report, RULE.id)
    assert report.kpis["bedrock_resources"] == report.kpis["bedrock_resources_cmk"] == 1


@pytest.mark.parametrize("key_property", BEDROCK_KEY_PROPERTIES, ids=lambda p: f"{p.resource_type}.{p.dotted}")
def test_every_governed_type_fails_on_an_aws_managed_key(key_property: KeyProperty):
    report = scan_template(_template(key_property.resource_type, {key_property.path: "alias/aws/bedrock"}))
    finding, = with_id(report, RULE.id)
    assert finding.severity is Severity.ERROR and finding.resource_type == key_property.resource_type
    assert finding.property.replace("[0]", ".[]") == key_property.dotted
    assert "AWS-managed" in finding.message
    assert report.kpis["bedrock_resources_cmk"] == 0


# (value, passes where the property takes a full ARN, passes where it takes any key id, message part)
FORMS = {
    "getatt": (GOOD, True, True, None),
    "getatt_string": ({"Fn::GetAtt": "Key.Arn"}, True, True, None),
    "ref_key": ({"Ref": "Key"}, False, True, "Ref returns the key id"),
    "literal_arn": (KEY_ARN, True, True, None),
    "alias_name": ("alias/team", False, False, "can be repointed"),
    "alias_arn": ("arn:aws:kms:us-east-1:111111111111:alias/team", False, False, "can be repointed"),
    "aws_managed": ("alias/aws/bedrock", False, False, "AWS-managed"),
    "parameter": ({"Ref": "KeyParam"}, False, False, "parameter KeyParam"),
    "import_missing": ({"Fn::ImportValue": "missing"}, False, False, "not among the scanned templates"),
    "if_good": ({"Fn::If": ["Prod", GOOD, KEY_ARN]}, True, True, None),
    "if_novalue": ({"Fn::If": ["Prod", GOOD, {"Ref": "AWS::NoValue"}]}, False, False, "AWS::NoValue"),
    "sub_pseudo": (PSEUDO_ARN, True, True, None),
    "join_parameter": ({"Fn::Join": ["", ["arn:aws:kms:us-east-1:111111111111:key/", {"Ref": "KeyParam"}]]},
                       False, False, "parameter KeyParam"),
    "empty": ("", False, False, "empty string"),
    "absent": (None, False, False, "no key is set"),
    "select": ({"Fn::Select": [0, [KEY_ARN]]}, False, False, "Fn::Select cannot be evaluated"),
    "number": (7, False, False, "not a key reference"),
}


@pytest.mark.parametrize("resource_type", ["AWS::Bedrock::Agent", "AWS::Bedrock::DataAutomationProject"])
@pytest.mark.parametrize("form", sorted(FORMS))
def test_key_reference_forms(resource_type: str, form: str):
    value, arn_passes, id_passes, message = FORMS[form]
    key_property, = key_properties_for(resource_type)
    report = scan_template(_template(resource_type, {key_property.path: value}))
    failures = with_id(report, RULE.id)
    if (arn_passes if key_property.arn_required else id_passes):
        assert not failures
    else:
        finding, = failures
        assert message in finding.message
        assert "not provably a customer-managed key" in finding.message


def test_external_key_note_only_for_literal_keys():
    report = scan_template(_template("AWS::Bedrock::Agent", {("CustomerEncryptionKeyArn",): KEY_ARN}))
    assert [f.severity for f in with_id(report, RULE.id + "[ExternalKey]")] == [Severity.INFO]
    assert not with_id(scan_template(_template("AWS::Bedrock::Agent", {})), RULE.id + "[ExternalKey]")
