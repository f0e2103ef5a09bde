"""KeyResolver: what a key property points at, and that only a customer-managed key passes."""

from __future__ import annotations

import pytest

from guardrails.key_reference import KeyKind, KeyResolver, KeyTarget
from guardrails.template import Template
from tests.conftest import KEY_ARN

TEMPLATE = Template("t.json", {
    "Parameters": {"KeyParam": {"Type": "String"}},
    "Mappings": {"Keys": {"prod": {"arn": KEY_ARN}, "dev": {"arn": "alias/aws/datazone"}}},
    "Resources": {"Key": {"Type": "AWS::KMS::Key"}, "Replica": {"Type": "AWS::KMS::ReplicaKey"},
                  "Alias": {"Type": "AWS::KMS::Alias", "Properties": {"TargetKeyId": {"Ref": "Key"}}},
                  "Role": {"Type": "AWS::IAM::Role"}},
})


def resolve(value, arn_required=True, exports=None):
    return KeyResolver(TEMPLATE, exports).resolve(value, arn_required=arn_required)


@pytest.mark.parametrize("value, kind, passes", [
    ({"Fn::GetAtt": ["Key", "Arn"]}, KeyKind.TEMPLATE_KEY, True),
    ({"Fn::GetAtt": "Replica.Arn"}, KeyKind.TEMPLATE_KEY, True),
    ({"Ref": "Key"}, KeyKind.TEMPLATE_KEY, False),
    ({"Fn::GetAtt": ["Key", "KeyId"]}, KeyKind.TEMPLATE_KEY, False),
    (KEY_ARN, KeyKind.KEY_ARN, True),
    ("arn:aws:kms:us-east-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab", KeyKind.KEY_ARN, True),
    ("alias/team", KeyKind.ALIAS, False),
    ("arn:aws-us-gov:kms:us-gov-west-1:111111111111:alias/team", KeyKind.ALIAS, False),
    ("alias/aws/datazone", KeyKind.AWS_MANAGED_ALIAS, False),
    ({"Ref": "KeyParam"}, KeyKind.PARAMETER, False),
    ({"Ref": "Alias"}, KeyKind.ALIAS, False),  # repointable with UpdateAlias outside CloudFormation
    ({"Ref": "AWS::NoValue"}, KeyKind.ABSENT, False),
    (None, KeyKind.ABSENT, False),
    ("", KeyKind.ABSENT, False),
    ("not-a-key", KeyKind.UNKNOWN, False),
    ({"Fn::GetAtt": ["Role", "Arn"]}, KeyKind.UNKNOWN, False),
    ({"Ref": "Nothing"}, KeyKind.UNKNOWN, False),
    ({"Fn::Select": [0, [KEY_ARN]]}, KeyKind.UNKNOWN, False),
    ({"Fn::ImportValue": "x"}, KeyKind.IMPORT, False),
    ({"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
     KeyKind.KEY_ARN, True),
    ({"Fn::Sub": "${Key.Arn}"}, KeyKind.TEMPLATE_KEY, True),
    ({"Fn::Sub": "arn:aws:kms:us-east-1:111111111111:key/${KeyParam}"}, KeyKind.PARAMETER, False),
    ({"Fn::Sub": ["arn:aws:kms:${R}:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab", {"R": {"Ref": "KeyParam"}}]},
     KeyKind.PARAMETER, False),
    ({"Fn::Join": ["", ["arn:aws:kms:us-east-1:111111111111:key/", {"Fn::GetAtt": ["Key", "KeyId"]}]]}, KeyKind.UNKNOWN, False),
    ([KEY_ARN], KeyKind.UNKNOWN, False),
    (True, KeyKind.UNKNOWN, False),
])
def test_single_forms(value, kind, passes):
    target, = resolve(value)
    assert (target.kind, target.passes) == (kind, passes), target
    assert target.reason


def test_key_id_passes_only_where_the_property_takes_ids():
    assert not resolve("1234abcd-12ab-34cd-56ef-1234567890ab")[0].passes
    assert resolve("1234abcd-12ab-34cd-56ef-1234567890ab", arn_required=False)[0].passes
    assert resolve({"Ref": "Key"}, arn_required=False)[0].passes


def test_every_fn_if_branch_counts():
    targets = resolve({"Fn::If": ["C", {"Fn::GetAtt": ["Key", "Arn"]}, {"Fn::If": ["D", KEY_ARN, {"Ref": "AWS::NoValue"}]}]})
    assert [t.kind for t in targets] == [KeyKind.TEMPLATE_KEY, KeyKind.KEY_ARN, KeyKind.ABSENT]
    assert resolve({"Fn::If": ["C", KEY_ARN]})[0].kind is KeyKind.UNKNOWN


def test_find_in_map_checks_every_value_it_could_return():
    assert [t.passes for t in resolve({"Fn::FindInMap": ["Keys", "prod", "arn"]})] == [True]
    assert [t.passes for t in resolve({"Fn::FindInMap": ["Keys", {"Ref": "Env"}, "arn"]})] == [True, False]
    assert resolve({"Fn::FindInMap": ["Missing", "a", "b"]})[0].kind is KeyKind.UNKNOWN


def test_imports_use_the_export_lookup():
    found = [KeyTarget(KeyKind.TEMPLATE_KEY, "key", "other.json", "Key")]
    resolver = KeyResolver(TEMPLATE, lambda name, arn: found if name == "shared" else None)
    assert resolver.resolve({"Fn::ImportValue": "shared"}, arn_required=True) == found
    assert resolver.resolve({"Fn::ImportValue": "other"}, arn_required=True)[0].kind is KeyKind.IMPORT
    assert resolver.missing_exports == {"other"}


def test_deep_nesting_fails_closed_without_recursion_error():
    value = {"Fn::GetAtt": ["Key", "Arn"]}
    for _ in range(2000):
        value = {"Fn::If": ["C", value, value]} if _ < 3 else {"Fn::If": ["C", value, KEY_ARN]}
    targets = resolve(value)
    assert any(t.kind is KeyKind.UNKNOWN and "nested too deeply" in t.reason for t in targets)


@pytest.mark.parametrize("properties, path, passes", [
    ({"A": {"Fn::If": ["C", {"K": KEY_ARN}, {"K": "alias/x"}]}}, ("A", "K"), [True, False]),
    ({"A": {"Fn::If": ["C", {"K": KEY_ARN}, {"Ref": "AWS::NoValue"}]}}, ("A", "K"), [True, False]),
    ({"L": [{"K": KEY_ARN}, {"K": "alias/aws/ebs"}]}, ("L", "[]", "K"), [True, False]),
    ({"L": {"Fn::If": ["C", [{"K": "alias/aws/ebs"}], {"Ref": "AWS::NoValue"}]}}, ("L", "[]", "K"), [False]),
    ({}, ("L", "[]", "K"), []),
    ({"L": "junk"}, ("L", "[]", "K"), [False]),
    ({"A": {"Fn::Select": [0, []]}}, ("A", "K"), [False]),
    ({1: {"K": KEY_ARN}}, ("A", "K"), [False]),
])
def test_resolve_property_paths(properties, path, passes):
    targets = KeyResolver(TEMPLATE).resolve_property(properties, path, arn_required=True)
    assert [t.passes for t in targets] == passes


def test_render_never_raises_on_yaml_keys():
    assert KeyResolver(TEMPLATE).render({"Fn::Sub": ["${1}", {1: "x"}]}) is None
    assert KeyResolver(TEMPLATE).render({"Fn::Join": ["-", ["a", {"Ref": "AWS::Region"}]]}) == "a-${AWS::Region}"


def test_alias_defined_in_the_template_fails_but_its_key_is_still_checked():
    targets = KeyResolver(TEMPLATE).resolve({"Ref": "Alias"}, arn_required=False)
    assert [t.passes for t in targets] == [False]
    assert "UpdateAlias" in targets[0].reason and targets[0].logical_id == "Key"


def _anchor_bomb(levels: int) -> str:
    """Every level shares the previous node in both Fn::If branches: 2**levels possible values."""
    lines = ["Resources:", "  D:", "    Type: AWS::DataZone::Domain", "    Properties:", "      Name: d", "      X0: &a0 !GetAtt K.Arn"]
    for level in range(1, levels + 1):
        lines.append(f"      X{level}: &a{level} !If [C, *a{level - 1}, *a{level - 1}]")
    lines += [f"      KmsKeyIdentifier: *a{levels}", "  K:", "    Type: AWS::KMS::Key"]
    return "\n".join(lines)


def test_shared_yaml_anchors_are_bounded_and_fail_closed():
    from guardrails.template import parse_template

    template = parse_template("anchors.yaml", _anchor_bomb(13))  # ~16k paths: past the budget, under cfn-lint's node limit
    resolver = KeyResolver(template)
    targets = resolver.resolve_property(template.resource("D").properties, ("KmsKeyIdentifier",), arn_required=True)
    assert any(not t.passes and "too many possible values" in t.reason for t in targets)
    assert resolver._visits < 20000


def test_yaml_alias_amplification_is_bad_input():
    from guardrails.errors import GuardrailsInputError
    from guardrails.template import parse_template

    with pytest.raises(GuardrailsInputError, match="alias"):
        parse_template("anchors.yaml", _anchor_bomb(30))


# -- malformed key ARNs (issue 11): only real partitions, Regions and key-id formats, matched in full ----------
_UUID = "1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.mark.parametrize("arn", [
    f"arn:aws:kms:us-east-1:111111111111:key/{_UUID}",
    f"arn:aws-us-gov:kms:us-gov-west-1:111111111111:key/{_UUID}",
    f"arn:aws-cn:kms:cn-north-1:111111111111:key/{_UUID}",
    f"arn:aws-iso-b:kms:us-isob-east-1:111111111111:key/{_UUID}",
    f"arn:aws-eusc:kms:eusc-de-east-1:111111111111:key/{_UUID}",
    "arn:aws:kms:eu-west-2:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab",
])
def test_real_key_arns_pass(arn):
    assert resolve(arn)[0].kind is KeyKind.KEY_ARN


@pytest.mark.parametrize("arn", [
    "arn:aws:kms:us-east-1:111111111111:key/" + "-" * 36,  # 36 dashes is not a key id
    f"arn:aws:kms:us-east-1:111111111111:key/{_UUID}\n",  # `$` matched before a trailing newline
    f"arn:aws-evil:kms:us-east-1:111111111111:key/{_UUID}",  # no such partition
    f"arn:awsx:kms:us-east-1:111111111111:key/{_UUID}",
    f"arn:aws:kms:us-east-1:111111111111:key/{_UUID.upper()}",  # KMS key ids are lower-case hex (kms_identifiers)
    f"arn:aws:kms:us-east-1:111111111111:key/{_UUID}/extra",
    f"arn:aws:kms::111111111111:key/{_UUID}",  # no Region
    f"arn:aws:kms:us-east-1:1111:key/{_UUID}",
    "arn:aws:kms:us-east-1:111111111111:key/mrk-1234",
    "arn:aws:kms:us-east-1:111111111111:key/1234abcd12ab34cd56ef1234567890abcdef",  # 36 characters, no dashes
])
def test_malformed_key_arns_fail(arn):
    [target] = resolve(arn)
    assert not target.passes and target.kind is KeyKind.UNKNOWN


@pytest.mark.parametrize("key_id", [_UUID + "\n", _UUID.upper()])
def test_malformed_key_ids_are_not_key_ids(key_id):
    [target] = resolve(key_id, arn_required=False)
    assert not target.passes
