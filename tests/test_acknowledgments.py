"""One acknowledgment module for CDK metadata, template Metadata and the exception tag."""

from guardrails.acknowledgments import (
    EVERY_RULE, MIN_REASON, RESOURCE_SCOPE, Acknowledgment, from_construct_paths, from_exception_tag, from_metadata,
    most_specific, normalise,
)

LONG = "accepted by security, SEC-1 until 2027"


def test_cdk_nag_and_own_metadata():
    metadata = {"cdk_nag": {"rules_to_suppress": [{"id": "BedrockGuardrails-WorkspaceCMK", "reason": "because it is so"}]},
                "guardrails": {"acknowledged": [{"id": "BedrockGuardrails-KeyRetention", "reason": "ephemeral test key"}]}}
    acks = from_metadata(metadata)
    assert [(a.rule_id, a.source) for a in acks] == [("BedrockGuardrails-WorkspaceCMK", "cdk-nag metadata"),
                                                     ("BedrockGuardrails-KeyRetention", "template metadata")]
    assert from_metadata({"cdk_nag": {"rules_to_suppress": "junk"}}) == []
    assert from_metadata("junk") == []


def test_ids_are_normalised():
    assert normalise("Annotation::BedrockGuardrails-KeySpec") == normalise("BedrockGuardrails::BedrockGuardrails-KeySpec") \
        == normalise(" BedrockGuardrails-KeySpec ") == "BedrockGuardrails-KeySpec"


def test_an_id_names_exactly_its_findings_as_in_cdk_nag_v3():
    ack = Acknowledgment("BedrockGuardrails-KeyRotation", LONG, "cdk")
    assert most_specific("BedrockGuardrails-KeyRotation", [ack]) is ack
    assert most_specific("BedrockGuardrails-KeyRotation[RotationDisabled]", [ack]) is None
    assert most_specific("BedrockGuardrails-KeyRotationX", [ack]) is None
    granular = Acknowledgment("BedrockGuardrails-KeyRotation[RotationPeriod]", LONG, "cdk")
    assert most_specific("BedrockGuardrails-KeyRotation[RotationDisabled]", [granular]) is None
    assert most_specific("BedrockGuardrails-KeyRotation[RotationPeriod]", [granular]) is granular


def test_the_most_specific_acknowledgment_decides_whatever_the_order():
    stack = Acknowledgment("BedrockGuardrails-WorkspaceCMK", LONG, "cdk", 1)
    construct = Acknowledgment("BedrockGuardrails-WorkspaceCMK", "short", "cdk", 3)
    resource = Acknowledgment("BedrockGuardrails-WorkspaceCMK", "resource-level reason", "template metadata", RESOURCE_SCOPE)
    for order in ([stack, construct], [construct, stack]):
        assert most_specific("BedrockGuardrails-WorkspaceCMK", order) is construct  # deeper scope wins, short or not
    assert most_specific("BedrockGuardrails-WorkspaceCMK", [stack, construct, resource]) is resource
    named = Acknowledgment("BedrockGuardrails-KeyRotation[RotationDisabled]", LONG, "exception tag", RESOURCE_SCOPE)
    every = Acknowledgment(EVERY_RULE, "short", "exception tag", RESOURCE_SCOPE)
    assert most_specific("BedrockGuardrails-KeyRotation[RotationDisabled]", [every, named]) is named


def test_construct_path_acknowledgments_rank_by_depth():
    by_path = {"/App": [Acknowledgment("X", LONG, "cdk")], "/App/Stack/Key": [Acknowledgment("X", "tiny", "cdk")]}
    found = from_construct_paths(by_path, "App/Stack/Key/Resource")
    assert [(a.reason, a.scope) for a in found] == [(LONG, 1), ("tiny", 3)]
    assert most_specific("X", found).reason == "tiny"
    assert from_construct_paths(by_path, None) == []


def test_exception_tag_plain_reason_covers_every_rule_and_a_prefixed_one_its_rule():
    plain = from_exception_tag({"GuardrailsException": LONG}, "GuardrailsException")
    assert [(a.rule_id, a.reason, a.scope) for a in plain] == [(EVERY_RULE, LONG, RESOURCE_SCOPE)]
    assert most_specific("BedrockGuardrails-KeySpec", plain) is plain[0]
    prefixed = from_exception_tag({"GuardrailsException": f"BedrockGuardrails-KeySpec: {LONG}"}, "GuardrailsException")
    assert most_specific("BedrockGuardrails-KeySpec", prefixed).reason == LONG
    assert most_specific("BedrockGuardrails-KeyRotation", prefixed) is None
    assert from_exception_tag({"Other": LONG}, "GuardrailsException") == [] == from_exception_tag(None, "GuardrailsException")
    # a reason that merely contains a colon is still a plain reason
    assert from_exception_tag({"E": "migration: SEC-42"}, "E")[0].rule_id == EVERY_RULE


def test_short_reasons_are_not_honoured():
    assert not Acknowledgment("X", "x" * (MIN_REASON - 1), "cdk").honoured
    assert not Acknowledgment("X", " " * 20, "cdk").honoured
    assert Acknowledgment("X", "x" * MIN_REASON, "cdk").honoured
