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


# -- line numbers: the index against lines counted while the text is written ------------------------------------

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from guardrails.template import _json_resource_lines  # noqa: E402

# Logical ids as a clever input may write them: plain, with characters JSON escapes (quote, backslash, control),
# non-ASCII, and ids that also appear as keys of other sections at the same indentation.
IDS = st.text(st.sampled_from(list("AbZ09") + ['"', "\\", "\n", "\t", " ", ":", "é", "✓", "\x01"]), min_size=1, max_size=6)


@st.composite
def written_templates(draw):
    """(text, the line of each logical id's first key in Resources), the text written section by section so the
    lines are counted as they are written, not found afterwards."""
    ids = draw(st.lists(IDS, min_size=1, max_size=6))
    ids += draw(st.lists(st.sampled_from(ids), max_size=2))  # a logical id written twice: json keeps the last,
    indent = draw(st.sampled_from([" ", "  ", "    ", "\t", None]))  # the line is the first's (as before)
    ascii_only = draw(st.booleans())
    escapes = st.sets(st.sampled_from("AbZ09"), max_size=2)  # letters a key writes as \u00XX (each key its own)

    def key(text: str) -> str:
        escaped = draw(escapes)
        return '"' + "".join(f"\\u{ord(c):04x}" if c in escaped else json.dumps(c, ensure_ascii=ascii_only)[1:-1]
                             for c in text) + '"'

    if indent is None:  # not pretty-printed: every id on line 1
        body = ", ".join(f'{key(i)}: {{"Type": "AWS::SQS::Queue"}}' for i in ids)
        text = '{"Metadata": {"Resources": {' + ", ".join(f"{key(i)}: 1" for i in ids) + '}}, "Resources": {' + body + "}}"
        return text, {i: 1 for i in ids}
    lines: list[str] = ["{"]
    decoys = json.dumps({"Resources": {i: 1 for i in ids}}, indent=indent).replace("\n", "\n" + indent)
    lines.append(f'{indent}"Metadata": {decoys},')
    lines.append(f'{indent}"Resources": {{')
    expected: dict[str, int] = {}
    for n, logical_id in enumerate(ids):
        expected.setdefault(logical_id, sum(part.count("\n") + 1 for part in lines) + 1)
        definition = json.dumps({"Type": "AWS::SQS::Queue", "Properties": {"QueueName": logical_id}},
                                indent=indent).replace("\n", "\n" + indent * 2)
        lines.append(f"{indent * 2}{key(logical_id)}: {definition}" + ("," if n < len(ids) - 1 else ""))
    lines.append(f"{indent}}},")
    outputs = json.dumps({i: {"Value": i} for i in ids}, indent=indent).replace("\n", "\n" + indent)  # same indentation
    lines.append(f'{indent}"Outputs": {outputs}')
    lines.append("}")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return "\n".join(lines).replace("\n", newline), expected


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(written_templates(), IDS)
def test_a_logical_ids_line_is_where_it_was_written(written, absent):
    text, expected = written
    assert json.loads(text)["Resources"].keys() == expected.keys()
    assert _json_resource_lines(text).items() >= expected.items()  # Outputs' keys may follow at the same indentation
    template = parse_template("t.json", text)
    assert [template.line_of(i) for i in expected] == list(expected.values())
    if absent not in expected:
        assert template.line_of(absent) is None


def test_an_id_written_as_a_value_at_the_logical_ids_indentation_is_not_a_logical_id():
    text = ('{\n "Resources": {\n  "A": {"Type": "AWS::SQS::Queue", "DependsOn": [\n  "B"\n  ]},\n'
            '  "B": {"Type": "AWS::SQS::Queue"}\n }\n}')
    assert _json_resource_lines(text) == {"A": 3, "B": 6}
