"""Property-based tests: generated templates never crash the engine, and a workspace only passes when
every value its KmsKeyIdentifier can take is provably a customer-managed key (checked by an oracle
written here, independently of the resolver)."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st

from guardrails.rules import Severity
from guardrails.rules.governed_types import BEDROCK_KEY_PROPERTIES
from tests.conftest import scan_template

WORKSPACE_CMK = "BedrockGuardrails-WorkspaceCMK"
KEYS = ["Key0", "Key1"]
# The key ARN form DataZone accepts (AWS-FACTS), written out here rather than taken from the resolver.
SCHEMA_KEY_ARN = re.compile(r"^arn:aws(|-cn|-us-gov):kms:[a-zA-Z0-9-]*:[0-9]{12}:key/[a-zA-Z0-9-]{36}$")
LITERAL_ARNS = ["arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "arn:aws-cn:kms:cn-north-1:222222222222:key/abcdef01-2345-6789-abcd-ef0123456789"]
INTRINSIC_NAMES = ["Fn::If", "Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::ImportValue", "Fn::FindInMap"]

junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(INTRINSIC_NAMES) | st.text(max_size=6), inner, max_size=2),
    max_leaves=6)
good_leaf = st.sampled_from(
    [{"Fn::GetAtt": [k, "Arn"]} for k in KEYS] + [{"Fn::GetAtt": f"{k}.Arn"} for k in KEYS] + LITERAL_ARNS)
bad_leaf = st.sampled_from([
    {"Ref": "Key0"}, {"Fn::GetAtt": ["Key0", "KeyId"]}, {"Fn::GetAtt": ["Role", "Arn"]}, {"Fn::GetAtt": ["Nope", "Arn"]},
    "alias/team", "arn:aws:kms:us-east-1:111111111111:alias/team", "alias/aws/datazone",
    "arn:aws:kms:us-east-1:111111111111:alias/aws/datazone", {"Ref": "KeyParam"}, "", " ", {"Ref": "AWS::NoValue"},
    {"Fn::Select": [0, LITERAL_ARNS]}, {"Fn::Base64": "x"}, {"Fn::ImportValue": "nowhere"},
    {"Fn::Sub": "arn:aws:kms:us-east-1:111111111111:key/${KeyParam}"}, "1234abcd-12ab-34cd-56ef-1234567890ab",
    {"Fn::If": ["Cond", LITERAL_ARNS[0]]},
])
key_value = st.recursive(good_leaf | bad_leaf | junk,
                         lambda inner: st.builds(lambda a, b: {"Fn::If": ["Cond", a, b]}, inner, inner), max_leaves=8)


def branches(value: Any) -> list[Any]:
    """Every value an Fn::If tree can take (a well-formed Fn::If has a condition and two branches)."""
    if isinstance(value, dict) and list(value) == ["Fn::If"] and isinstance(value["Fn::If"], list) and len(value["Fn::If"]) == 3:
        return branches(value["Fn::If"][1]) + branches(value["Fn::If"][2])
    return [value]


def provably_customer_managed(value: Any) -> bool:
    def good(leaf: Any) -> bool:
        if isinstance(leaf, str):
            return bool(SCHEMA_KEY_ARN.match(leaf))
        if isinstance(leaf, dict) and list(leaf) == ["Fn::GetAtt"]:
            target = leaf["Fn::GetAtt"]
            target = target.split(".", 1) if isinstance(target, str) else target
            return target in ([k, "Arn"] for k in KEYS)
        return False
    return all(good(leaf) for leaf in branches(value))


@st.composite
def workspaces(draw) -> tuple[dict, list[Any]]:
    """Domain properties, and the KmsKeyIdentifier values they can take (Properties may be an Fn::If)."""
    def props() -> tuple[Any, Any]:
        value = draw(st.one_of(st.none(), key_value))
        base = {"Name": "ws", "DomainExecutionRole": "arn:aws:iam::111111111111:role/x",
                "DomainVersion": draw(st.sampled_from(["V1", "V2"]))}
        if value is not None or draw(st.booleans()):
            base["KmsKeyIdentifier"] = value
        return base, value
    first, value = props()
    if draw(st.integers(0, 4)) == 0:
        second, other = props()
        second = draw(st.sampled_from([second, {"Ref": "AWS::NoValue"}]))
        return {"Fn::If": ["Cond", first, second]}, [value, other if isinstance(second, dict) and "Name" in second else None]
    return first, [value]


def _put(path: tuple[str, ...], value: Any) -> Any:
    if not path:
        return value
    if path[0] == "[]":
        return [_put(path[1:], value)]
    return {path[0]: _put(path[1:], value)}


@st.composite
def templates(draw) -> tuple[dict, dict[str, list[Any]]]:
    resources: dict[str, Any] = {"Role": {"Type": "AWS::IAM::Role", "Properties": {}}}
    for key in KEYS:
        resources[key] = {"Type": "AWS::KMS::Key", "Properties": draw(st.dictionaries(
            st.sampled_from(["KeyPolicy", "KeySpec", "KeyUsage", "EnableKeyRotation", "RotationPeriodInDays",
                             "PendingWindowInDays", "Tags"]), junk, max_size=4))}
        if draw(st.booleans()):
            resources[key]["DeletionPolicy"] = draw(st.sampled_from(["Retain", "Delete", "Snapshot"]))
    expected = {}
    for index in range(draw(st.integers(0, 3))):
        properties, values = draw(workspaces())
        resources[f"Ws{index}"] = {"Type": "AWS::DataZone::Domain", "Properties": properties}
        expected[f"Ws{index}"] = values
    for index in range(draw(st.integers(0, 3))):
        key_property = draw(st.sampled_from(BEDROCK_KEY_PROPERTIES))
        value = draw(key_value)
        resources[f"Res{index}"] = {"Type": key_property.resource_type,
                                    "Properties": draw(st.sampled_from([_put(key_property.path, value), value]))}
    template = {"Parameters": {"KeyParam": {"Type": "String"}}, "Conditions": {"Cond": {"Fn::Equals": ["a", "b"]}},
                "Resources": resources}
    return template, expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(templates())
def test_workspace_passes_exactly_when_its_key_is_provably_customer_managed(case):
    template, expected = case
    report = scan_template(template)  # never raises, and no input errors
    failed = {f.logical_id for f in report.findings if f.rule_id == WORKSPACE_CMK and f.severity is Severity.ERROR}
    for logical_id, values in expected.items():
        provable = all(provably_customer_managed(v) for v in values)
        if logical_id not in failed:
            assert provable, (logical_id, values)
        else:
            assert not provable, (logical_id, values, [f.message for f in report.findings if f.logical_id == logical_id])
    assert report.kpis["workspaces"] == len(expected)
    assert report.kpis["workspaces_cmk"] == len(expected) - len(failed)


@settings(max_examples=40, deadline=None)
@given(st.integers(33, 300), good_leaf)
def test_deep_nesting_fails_closed(depth, leaf):
    value = leaf
    for _ in range(depth):
        value = {"Fn::If": ["Cond", value, LITERAL_ARNS[0]]}
    report = scan_template({"Conditions": {"Cond": {"Fn::Equals": ["a", "b"]}},
                            "Resources": {"Key0": {"Type": "AWS::KMS::Key"}, "Key1": {"Type": "AWS::KMS::Key"},
                                          "Ws": {"Type": "AWS::DataZone::Domain", "Properties": {"KmsKeyIdentifier": value}}}})
    finding, = [f for f in report.findings if f.rule_id == WORKSPACE_CMK]
    assert "nested too deeply" in finding.message
