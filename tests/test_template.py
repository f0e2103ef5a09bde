"""Template loading: JSON and YAML, line numbers, acknowledgments from Metadata, and what is not a template."""

from __future__ import annotations

import json

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


# -- inputs that used to be mis-read (issue 11) ------------------------------------------------------------

def test_line_numbers_ignore_a_nested_resources_key_before_the_top_level_one():
    text = ('{\n "Metadata": {\n  "Resources": {\n   "Decoy": 1,\n   "D": 2\n  }\n },\n'
            ' "Resources": {\n  "Other": {"Type": "AWS::SQS::Queue"},\n  "D": {"Type": "AWS::DataZone::Domain"}\n }\n}')
    template = parse_template("t.json", text)
    assert template.line_of("D") == 10 and template.line_of("Other") == 9 and template.line_of("Decoy") is None
    compact = '{"Metadata": {"Resources": {"D": 1}},\n"Resources": {\n"X": {"Type": "A::B::C"},\n"D": {"Type": "A::B::C"}}}'
    assert parse_template("t.json", compact).line_of("D") == 4


def test_a_json_file_that_does_not_parse_is_invalid_json_not_yaml():
    with pytest.raises(GuardrailsInputError, match="invalid JSON"):
        parse_template("stack.json", "Resources: [oops")
    with pytest.raises(GuardrailsInputError, match="invalid JSON"):
        parse_template("STACK.JSON", "\n\n  // comment\n{}")


def test_an_integer_over_the_conversion_limit_is_an_input_error():
    text = '{"Resources": {"A": {"Type": "AWS::SQS::Queue", "Properties": {"N": ' + "9" * 5000 + "}}}}"
    with pytest.raises(GuardrailsInputError, match="invalid JSON") as error:
        parse_template("big.json", text)
    assert error.value.source == "big.json"
    with pytest.raises(GuardrailsInputError, match="invalid YAML"):
        parse_template("big.yaml", "Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties:\n      N: " + "9" * 5000 + "\n")


def test_named_pipe_is_refused_without_being_opened(tmp_path):
    import os

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(GuardrailsInputError, match="not a regular file"):
        load_template(fifo)  # opening a FIFO for reading would block this test forever


def test_stack_set_template_body_is_a_template_of_its_own():
    body = json.dumps({"Resources": {"Domain": {"Type": "AWS::DataZone::Domain", "Properties": {"Name": "x"}}}})
    text = json.dumps({"Resources": {"Set": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateBody": body}}}},
                      indent=1)
    template = parse_template("app.json", text)
    [inner] = template.embedded
    assert inner.path == "app.json#/Resources/Set/Properties/TemplateBody" and inner.file == "app.json"
    assert [(r.logical_id, r.template is inner) for r in template.resources("AWS::DataZone::Domain")] == [("Domain", True)]
    assert inner.line_of("Domain") == template.line_of("Set") == 3  # located at the StackSet in the real file


def test_stack_set_body_that_does_not_parse_names_the_file_and_the_stack_set():
    text = json.dumps({"Resources": {"Set": {"Type": "AWS::CloudFormation::StackSet",
                                             "Properties": {"TemplateBody": "{\"Resources\": "}}}}, indent=1)
    with pytest.raises(GuardrailsInputError, match="StackSet Set TemplateBody: invalid JSON") as error:
        parse_template("app.json", text)
    assert error.value.source == "app.json" and error.value.line == 3


def test_computed_stack_set_body_is_not_parsed():
    text = json.dumps({"Resources": {"Set": {"Type": "AWS::CloudFormation::StackSet",
                                             "Properties": {"TemplateBody": {"Fn::Join": ["", ["{", "}"]]}}}}})
    assert parse_template("app.json", text).embedded == []  # reported by InputCoverage instead


LANGUAGE_EXTENSIONS = """
Transform: AWS::LanguageExtensions
Parameters:
  Names: {Type: CommaDelimitedList, Default: "a,b"}
Resources:
  Fn::ForEach::Literal:
    - Suffix
    - [One, Two]
    - Domain${Suffix}:
        Type: AWS::DataZone::Domain
        Properties: {Name: !Sub "ws-${Suffix}"}
  Fn::ForEach::FromParameter:
    - Name
    - !Ref Names
    - Queue${Name}:
        Type: AWS::SQS::Queue
"""


def test_language_extensions_are_expanded_with_cfn_lint():
    template = parse_template("le.yaml", LANGUAGE_EXTENSIONS)
    assert sorted(template.resources_map) == ["DomainOne", "DomainTwo", "Queuea", "Queueb"]
    assert template.resource("DomainTwo").properties["Name"] == "ws-Two"  # cfn-lint resolves the Sub it made concrete
    assert template.expanded_for_each == ["Fn::ForEach::FromParameter"]  # expanded with the default only


def test_for_each_without_the_transform_says_what_is_missing():
    with pytest.raises(GuardrailsInputError, match="needs `Transform: AWS::LanguageExtensions`"):
        parse_template("le.yaml", LANGUAGE_EXTENSIONS.replace("Transform: AWS::LanguageExtensions\n", ""))


def test_for_each_cfn_lint_cannot_expand_is_a_clear_input_error():
    broken = LANGUAGE_EXTENSIONS.replace("    - [One, Two]\n", "    - {NotAList: 1}\n")
    with pytest.raises(GuardrailsInputError, match="AWS::LanguageExtensions: cannot expand"):
        parse_template("le.yaml", broken)


def test_include_in_resources_is_not_a_resource():
    template = parse_template("i.json", json.dumps({"Resources": {
        "Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/snippet.yaml"}},
        "Q": {"Type": "AWS::SQS::Queue"}}}))
    assert list(template.resources_map) == ["Q"] and template.uses_transform_function
