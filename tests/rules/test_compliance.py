"""The compliance mapping table: every catalog rule has an entry, every mapping cites a source, and the
mappings AWS publishes (Security Hub KMS.3 / KMS.4 related requirements) are reproduced as AWS spells them."""

from __future__ import annotations

from guardrails.rules import CATALOG, reportable_ids
from guardrails.rules.compliance import COMPLIANCE, FRAMEWORKS, SOURCES, by_framework, mapping_for, related_requirements


def test_every_catalog_rule_has_an_entry_and_nothing_else_does():
    assert set(COMPLIANCE) == {rule.id for rule in CATALOG}


def test_every_rule_evidences_controls_or_says_why_not():
    for rule_id, mapping in COMPLIANCE.items():
        assert mapping.controls or mapping.note, rule_id
        assert not (mapping.controls and mapping.note), rule_id
        assert all(control.source in SOURCES for control in mapping.controls), rule_id
        assert len({c.requirement for c in mapping.controls}) == len(mapping.controls), f"{rule_id} repeats a control"


def test_every_framework_the_issue_names_is_used():
    used = {control.framework for mapping in COMPLIANCE.values() for control in mapping.controls}
    assert used == set(FRAMEWORKS)


def test_key_rotation_carries_what_security_hub_lists_for_kms_4():
    # https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-4 (related requirements)
    published = {"CIS AWS Foundations Benchmark v5.0.0/3.6", "NIST.800-53.r5 SC-12", "NIST.800-53.r5 SC-12(2)",
                 "NIST.800-53.r5 SC-28(3)", "PCI DSS v4.0.1/3.7.4"}
    assert published <= set(related_requirements("BedrockGuardrails-KeyRotation"))
    assert all(c.source == "SH-KMS.4" for c in mapping_for("BedrockGuardrails-KeyRotation").controls
               if c.requirement in published)


def test_deletion_rules_carry_what_security_hub_lists_for_kms_3():
    for rule_id in ("BedrockGuardrails-KeyDeletionWindow", "BedrockGuardrails-KeyRetention"):
        assert {"NIST.800-53.r5 SC-12", "NIST.800-53.r5 SC-12(2)"} <= set(related_requirements(rule_id))


def test_granular_ids_inherit_their_rule_and_unknown_ids_map_to_nothing():
    for rid in reportable_ids():
        assert related_requirements(rid) == related_requirements(rid.split("[", 1)[0])
    assert related_requirements("BedrockGuardrails-WorkspaceCMK[Unverifiable]") == \
        related_requirements("BedrockGuardrails-WorkspaceCMK")
    assert related_requirements("SomethingElse") == [] and mapping_for("SomethingElse").note


def test_data_on_a_cmk_evidences_encryption_at_rest_in_each_framework():
    table = by_framework("BedrockGuardrails-WorkspaceCMK")
    assert "SC-28(1)" in table["NIST SP 800-53 Rev. 5"]
    assert table["ISO/IEC 27001:2022 Annex A"] == ["8.24"]
    assert table["SOC 2 (AICPA Trust Services Criteria 2017)"] == ["CC6.1"]
    assert table["HIPAA Security Rule (45 CFR 164)"] == ["164.312(a)(2)(iv)"]
    assert list(table) == [f.name for f in FRAMEWORKS if f.name in table]  # framework order is stable


def test_docs_table_is_the_code_table():
    from pathlib import Path

    from guardrails.rules.compliance import markdown_table

    docs = (Path(__file__).parents[2] / "docs" / "compliance.md").read_text(encoding="utf-8")
    assert markdown_table(rule.id for rule in CATALOG) in docs
