"""The catalog: every id the pack must be able to report, written out so that no rule is lost silently."""

from guardrails.rules import CATALOG, KEY_RULES, RESOURCE_RULES, Severity, reportable_ids

EXPECTED_IDS = [
    "BedrockGuardrails-WorkspaceCMK",
    "BedrockGuardrails-WorkspaceCMK[ExternalKey]",
    "BedrockGuardrails-ResourceCMK",
    "BedrockGuardrails-ResourceCMK[ExternalKey]",
    "BedrockGuardrails-KeyRotation",
    "BedrockGuardrails-KeyRotation[RotationDisabled]",
    "BedrockGuardrails-KeyRotation[RotationPeriod]",
    "BedrockGuardrails-KeyDeletionWindow",
    "BedrockGuardrails-KeyRetention",
    "BedrockGuardrails-KeySpec",
    "BedrockGuardrails-KeyPolicyLeastPrivilege",
    "BedrockGuardrails-KeyPolicyLeastPrivilege[NoKeyPolicy]",
    "BedrockGuardrails-KeyPolicyLeastPrivilege[Unevaluable]",
    "BedrockGuardrails-KeyPolicyLeastPrivilege[PublicPrincipal]",
    "BedrockGuardrails-KeyPolicyLeastPrivilege[WildcardAction]",
    "BedrockGuardrails-KeyPolicyLeastPrivilege[UnscopedUsage]",
    "BedrockGuardrails-KeyPolicyLeastPrivilege[MixedAdminUsage]",
    "BedrockGuardrails-KeyPolicyLeastPrivilege[ForeignAdministration]",
    "BedrockGuardrails-KeyOwnershipTags",
    "BedrockGuardrails-WorkspaceOwnershipTags",
    "BedrockGuardrails-AcknowledgmentReason",
]


def test_every_expected_id_is_reportable():
    assert sorted(reportable_ids()) == sorted(EXPECTED_IDS)


def test_ids_are_unique_and_prefixed():
    ids = reportable_ids()
    assert len(ids) == len(set(ids))
    assert all(i.startswith("BedrockGuardrails-") for i in ids)
    assert len({r.id for r in CATALOG}) == len(CATALOG)


def test_every_rule_explains_itself():
    for rule in CATALOG:
        for text in (rule.title, rule.explanation, rule.remediation):
            assert isinstance(text, str) and len(text.strip()) >= 10, rule.id
        assert rule.severity is Severity.ERROR, rule.id
        assert rule.scope in ("resource", "key", "meta"), rule.id


def test_scopes_match_the_types_looked_at():
    assert all(r.resource_types[0] == "AWS::KMS::Key" and set(r.resource_types) <= {"AWS::KMS::Key", "AWS::KMS::ReplicaKey"}
               for r in KEY_RULES)
    # a replica key rotates with its primary and has no KeySpec of its own
    assert {r.id for r in KEY_RULES if "AWS::KMS::ReplicaKey" not in r.resource_types} == {
        "BedrockGuardrails-KeyRotation", "BedrockGuardrails-KeySpec"}
    assert all(r.resource_types and "AWS::KMS::Key" not in r.resource_types for r in RESOURCE_RULES)
