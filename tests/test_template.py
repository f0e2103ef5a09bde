"""Template loading: JSON and YAML, line numbers, acknowledgments from Metadata, and what is not a template."""

from __future__ import annotations

import pytest

from guardrails.errors import GuardrailsInputError
from guardrails.template import load_template, parse_template


def test_yaml_short_forms_become_long_forms():
    template = parse_template("t.yaml", "Resources:\n  D:\n    Type: AWS::DataZone::Domain\n    Properties:\n"
                                        "      KmsKeyIdentifier: !GetAtt Key.Arn\n      Name: !Sub '${AWS::StackName}'\n")
    props = template.resource("D").properties
    assert props["KmsKeyIdentifier"] == {"Fn::GetAtt": ["Key", "Arn"]}
    assert props["Name"] == {"Fn::Sub": "${AWS::StackName}"}
    assert template.line_of("D") == 2 and template.format == "yaml"


def test_json_line_numbers_are_found_lazily():
    text = '{\n "Resources": {\n  "Other": {"Type": "AWS::SQS::Queue"},\n  "D": {"Type": "AWS::DataZone::Domain"}\n }\n}'
    template = parse_template("t.json", text)
    assert template.line_of("D") == 4 and template.line_of("Other") == 3 and template.line_of("Missing") is None


def test_logical_id_named_like_a_property_is_not_confused():
    text = '{"Resources": {"A": {"Type": "AWS::SQS::Queue", "Properties": {"Name": {"Ref": "X"}}},\n"Name": {"Type": "AWS::SQS::Queue"}}}'
    assert parse_template("t.json", text).line_of("Name") == 2


@pytest.mark.parametrize("text, message", [
    ("[1, 2]", "not a CloudFormation template"),
    ("just a string", "not a CloudFormation template"),
    ('{"Resources": []}', "Resources must be an object"),
    ('{"Resources": {"A": {"Type": 5}}}', "has no Type"),
    ("Resources:\n  A: !GetAtt\n  - [", "invalid YAML"),
])
def test_not_templates(text, message):
    with pytest.raises(GuardrailsInputError, match=message):
        parse_template("x", text)


def test_utf8_bom_and_non_utf8(tmp_path):
    bom = tmp_path / "bom.json"
    bom.write_bytes(b'\xef\xbb\xbf{"Resources": {}}')
    assert load_template(bom).resources_map == {}
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"Resources:\n  A:\n    Type: caf\xe9\n")
    with pytest.raises(GuardrailsInputError) as error:
        load_template(latin)
    assert "not UTF-8" in error.value.message and error.value.line == 3
