"""The catalog: every id the pack must be able to report, written out so that no rule is lost silently,
and every rule covering or exempting each enforcement point, so that no backend can drift."""

import re
from pathlib import Path

import pytest

from guardrails.preventive.guard_rules import catalog_id, render
from guardrails.rules import CATALOG, KEY_RULES, RESOURCE_RULES, Severity, live_ids, reportable_ids
from guardrails.rules.base import POINTS
from guardrails.settings import Settings

TESTS = Path(__file__).parent

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
    "BedrockGuardrails-KeyOwnerIsolation",
    "BedrockGuardrails-WorkspaceOwnershipTags",
    "BedrockGuardrails-AcknowledgmentReason",
    "BedrockGuardrails-InputCoverage",
    "BedrockGuardrails-InputCoverage[NestedStack]",
    "BedrockGuardrails-InputCoverage[StackSetTemplate]",
    "BedrockGuardrails-InputCoverage[ProvisionedProduct]",
    "BedrockGuardrails-InputCoverage[Macro]",
    "BedrockGuardrails-InputCoverage[Include]",
    "BedrockGuardrails-InputCoverage[ForEachDefaults]",
    "BedrockGuardrails-InputCoverage[DuplicateExport]",
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
        # what was not examined is a warning: it may be safe, but a clean verdict cannot vouch for it
        assert rule.severity is (Severity.WARNING if rule.id == "BedrockGuardrails-InputCoverage" else Severity.ERROR), rule.id
        assert rule.scope in ("resource", "key", "key_usage", "acknowledgment", "meta"), rule.id


def test_scopes_match_the_types_looked_at():
    assert all(r.resource_types[0] == "AWS::KMS::Key" and set(r.resource_types) <= {"AWS::KMS::Key", "AWS::KMS::ReplicaKey"}
               for r in KEY_RULES)
    # a replica key rotates with its primary and has no KeySpec of its own
    assert {r.id for r in KEY_RULES if "AWS::KMS::ReplicaKey" not in r.resource_types} == {
        "BedrockGuardrails-KeyRotation", "BedrockGuardrails-KeySpec"}
    assert all(r.resource_types and "AWS::KMS::Key" not in r.resource_types for r in RESOURCE_RULES)


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("rule", CATALOG, ids=lambda r: r.short_name)
def test_every_rule_covers_or_exempts_every_enforcement_point(rule, point):
    """Adding a rule with only a template check fails here for guard, config and audit until it declares them."""
    served, reason = rule.served(point), rule.exempt.get(point)
    assert served or reason, f"{rule.id}: {point} is neither served nor exempted with a reason"
    assert not (served and reason), f"{rule.id}: {point} is both served and exempted"
    if reason:
        assert len(reason.strip()) >= 40, f"{rule.id}: the {point} exemption must say why"
    assert set(rule.exempt) <= set(POINTS), rule.exempt


def _module(rule) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", rule.short_name).lower().replace("c_m_k", "cmk")


@pytest.mark.parametrize("rule", CATALOG, ids=lambda r: r.short_name)
def test_every_rule_has_its_test_module_and_pass_fail_templates(rule):
    module = _module(rule)
    assert (TESTS / f"test_{module}.py").is_file(), f"tests/rules/test_{module}.py is missing"
    for verdict in ("pass", "fail"):
        folder = TESTS / "templates" / module / verdict
        assert folder.is_dir() and any(folder.iterdir()), f"no {verdict} templates in {folder}"


@pytest.mark.parametrize("rule", [r for r in CATALOG if r.guard is not None], ids=lambda r: r.short_name)
def test_every_guarded_rule_renders_rules_for_both_input_shapes(rule):
    names = re.findall(r"^rule (\w+)", render(Settings()), re.M)
    own = [n for n in names if catalog_id(n) == rule.id]
    assert own, f"{rule.id} declares a Guard rendering but no Guard rule maps back to it"
    text = "\n".join(rule.guard(Settings()))
    assert "ResourceProperties" in text and re.search(r"(?<!Resource)Properties", text), "both input shapes"


def test_guard_rule_names_map_back_to_exactly_the_guarded_rules():
    names = re.findall(r"^rule (\w+)", render(Settings()), re.M)
    mapped = {catalog_id(n) for n in names} - {None}
    assert mapped == {r.id for r in CATALOG if r.guard is not None}
    assert all(n.startswith("bg_") for n in names if catalog_id(n) is None)


def test_live_only_ids_are_declared():
    assert "BedrockGuardrails-WorkspaceCMK[Unverifiable]" in live_ids()
    assert "BedrockGuardrails-ResourceCMK[KeyNotEnabled]" in live_ids()
    assert not set(live_ids()) - set(reportable_ids()) - {f"{r.id}[{d}]" for r in CATALOG for d in r.live_details}
    assert all(r.live is not None for r in CATALOG if r.live_details)


def test_the_engine_the_live_judge_and_the_guard_generator_name_no_rule():
    """They iterate over the catalog: a rule is added, changed or exempted in its own module only."""
    root = TESTS.parents[1] / "guardrails"
    modules = [root / "engine.py", root / "live_verdict.py", root / "preventive" / "guard_rules.py",
               root / "audit" / "evaluate.py", root / "detective" / "lambda" / "workspace_rule" / "handler.py"]
    names = {r.short_name for r in CATALOG} | {_module(r) for r in CATALOG}
    for path in modules:
        code = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("#"))
        code = re.sub(r'"""(.|\n)*?"""', "", code)  # docstrings may explain, code may not name
        found = sorted(n for n in names if re.search(rf"\b{n}\b", code))
        assert not found, f"{path.name} names {found}"
