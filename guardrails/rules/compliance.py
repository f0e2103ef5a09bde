"""The compliance controls each catalog rule evidences, keyed by rule id, with the source of every mapping.

One table serves every output: `guardrails rules`, SARIF rule properties, ASFF
`Compliance.RelatedRequirements`, OCSF `compliance`, the HTML report and the docs (docs/compliance.md).
A mapping says "a passing verdict of this rule is evidence towards this control", never that the
rule satisfies the control alone. Where AWS publishes the mapping (Security Hub's control reference
lists "Related requirements" per control), we take AWS's words and cite the control; otherwise we
cite the framework's own text.

Pure data, like the rest of guardrails/rules/: nothing here imports CDK.
"""

from __future__ import annotations

from dataclasses import dataclass

from guardrails.rules.base import PREFIX


@dataclass(frozen=True)
class Framework:
    key: str
    name: str
    requirement_prefix: str  # how Security Hub spells a requirement of this framework: "<prefix><control>"


NIST = Framework("nist-800-53-r5", "NIST SP 800-53 Rev. 5", "NIST.800-53.r5 ")
CIS = Framework("cis-aws-5.0.0", "CIS AWS Foundations Benchmark v5.0.0", "CIS AWS Foundations Benchmark v5.0.0/")
PCI = Framework("pci-dss-4.0.1", "PCI DSS v4.0.1", "PCI DSS v4.0.1/")
ISO = Framework("iso-27001-2022", "ISO/IEC 27001:2022 Annex A", "ISO/IEC 27001:2022 A.")
SOC2 = Framework("soc2", "SOC 2 (AICPA Trust Services Criteria 2017)", "SOC 2 ")
HIPAA = Framework("hipaa", "HIPAA Security Rule (45 CFR 164)", "HIPAA ")
FRAMEWORKS: tuple[Framework, ...] = (NIST, CIS, PCI, ISO, SOC2, HIPAA)

# Sources, cited by key in each mapping and listed in docs/compliance.md.
SOURCES = {
    "SH-KMS.3": "AWS Security Hub CSPM control reference, [KMS.3] AWS KMS keys should not be deleted unintentionally: "
                "related requirements NIST.800-53.r5 SC-12, SC-12(2) "
                "(https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-3)",
    "SH-KMS.4": "AWS Security Hub CSPM control reference, [KMS.4] AWS KMS key rotation should be enabled: related requirements "
                "CIS AWS Foundations Benchmark v5.0.0/3.6, NIST.800-53.r5 SC-12, SC-12(2), SC-28(3), PCI DSS v4.0.1/3.7.4 "
                "(https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-4)",
    "SH-KMS.1": "AWS Security Hub CSPM control reference, [KMS.1]/[KMS.2] (decrypt on all keys): related requirements "
                "NIST.800-53.r5 AC-3, AC-6 among others "
                "(https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-1)",
    "NIST": "NIST SP 800-53 Rev. 5 (https://doi.org/10.6028/NIST.SP.800-53r5): SC-12 Cryptographic Key Establishment and "
            "Management; SC-13 Cryptographic Protection; SC-28 Protection of Information at Rest and SC-28(1) Cryptographic "
            "Protection; AC-6 Least Privilege; CM-8(4) System Component Inventory | Accountability Information",
    "PCI": "PCI DSS v4.0.1 (https://www.pcisecuritystandards.org/document_library/): 3.5.1 stored PAN rendered unreadable "
           "by strong cryptography; 3.6.1 keys protected against disclosure and misuse, access restricted to the fewest "
           "custodians",
    "ISO": "ISO/IEC 27001:2022 Annex A (https://www.iso.org/standard/27001): 5.9 Inventory of information and other "
           "associated assets (owners); 5.15 Access control; 8.24 Use of cryptography (including key management)",
    "SOC2": "AICPA 2017 Trust Services Criteria (revised points of focus 2022): CC6.1 logical access security over "
            "information assets (points of focus: uses encryption to protect data, protects encryption keys, identifies "
            "and manages the inventory of information assets); CC6.3 least privilege",
    "HIPAA": "45 CFR 164.312(a)(2)(iv) Encryption and decryption (addressable): a mechanism to encrypt and decrypt "
             "electronic protected health information (https://www.ecfr.gov/current/title-45/section-164.312)",
}


@dataclass(frozen=True)
class Control:
    framework: Framework
    control: str
    source: str  # key of SOURCES

    @property
    def requirement(self) -> str:
        """The requirement as Security Hub writes it, e.g. 'NIST.800-53.r5 SC-12'."""
        return self.framework.requirement_prefix + self.control


@dataclass(frozen=True)
class Mapping:
    controls: tuple[Control, ...]
    note: str = ""  # why a rule evidences no control (only a meta rule may say so)


def _c(framework: Framework, source: str, *controls: str) -> tuple[Control, ...]:
    return tuple(Control(framework, control, source) for control in controls)


# Data at rest under a customer-managed key: the core of SC-28(1), HIPAA's encryption mechanism, ISO 8.24.
_DATA_ON_CMK = (*_c(NIST, "NIST", "SC-12", "SC-13", "SC-28", "SC-28(1)"), *_c(PCI, "PCI", "3.5.1", "3.6.1"),
                *_c(ISO, "ISO", "8.24"), *_c(SOC2, "SOC2", "CC6.1"), *_c(HIPAA, "HIPAA", "164.312(a)(2)(iv)"))
# A key that must not vanish: AWS maps KMS.3 (deletion) to SC-12 and SC-12(2).
_KEY_SURVIVES = (*_c(NIST, "SH-KMS.3", "SC-12", "SC-12(2)"), *_c(ISO, "ISO", "8.24"), *_c(SOC2, "SOC2", "CC6.1"))
_OWNED = (*_c(NIST, "NIST", "CM-8(4)"), *_c(ISO, "ISO", "5.9"), *_c(SOC2, "SOC2", "CC6.1"))

COMPLIANCE: dict[str, Mapping] = {
    PREFIX + "WorkspaceCMK": Mapping(_DATA_ON_CMK),
    PREFIX + "ResourceCMK": Mapping(_DATA_ON_CMK),
    PREFIX + "KeyRotation": Mapping((*_c(NIST, "SH-KMS.4", "SC-12", "SC-12(2)", "SC-28(3)"), *_c(CIS, "SH-KMS.4", "3.6"),
                                     *_c(PCI, "SH-KMS.4", "3.7.4"), *_c(ISO, "ISO", "8.24"), *_c(SOC2, "SOC2", "CC6.1"))),
    PREFIX + "KeyDeletionWindow": Mapping(_KEY_SURVIVES),
    PREFIX + "KeyRetention": Mapping(_KEY_SURVIVES),
    PREFIX + "KeySpec": Mapping((*_c(NIST, "NIST", "SC-12", "SC-13"), *_c(ISO, "ISO", "8.24"), *_c(SOC2, "SOC2", "CC6.1"))),
    PREFIX + "KeyPolicyLeastPrivilege": Mapping((*_c(NIST, "SH-KMS.1", "AC-3", "AC-6"), *_c(NIST, "NIST", "SC-12"),
                                                 *_c(PCI, "PCI", "3.6.1"), *_c(ISO, "ISO", "5.15", "8.24"),
                                                 *_c(SOC2, "SOC2", "CC6.1", "CC6.3"))),
    PREFIX + "KeyOwnershipTags": Mapping(_OWNED),
    PREFIX + "WorkspaceOwnershipTags": Mapping(_OWNED),
    # One owner per key: access to each team's data bounded by its own key (least privilege, key access to the
    # fewest custodians).
    PREFIX + "KeyOwnerIsolation": Mapping((*_c(NIST, "NIST", "AC-6", "SC-12"), *_c(PCI, "PCI", "3.6.1"),
                                           *_c(ISO, "ISO", "5.15", "8.24"), *_c(SOC2, "SOC2", "CC6.1", "CC6.3"))),
    PREFIX + "AcknowledgmentReason": Mapping((), note="governs the exceptions themselves; evidences no control on its own"),
    PREFIX + "InputCoverage": Mapping((), note="says what a scan could not examine; evidences no control on its own"),
}


def mapping_for(rule_id: str) -> Mapping:
    """The mapping of a rule id, granular ids (`Rule[detail]`) included; an unknown id maps to nothing."""
    return COMPLIANCE.get(rule_id.split("[", 1)[0], Mapping((), note="not in the catalog"))


def related_requirements(rule_id: str) -> list[str]:
    """Security Hub's spelling, for ASFF Compliance.RelatedRequirements and SARIF tags."""
    return [c.requirement for c in mapping_for(rule_id).controls]


def by_framework(rule_id: str) -> dict[str, list[str]]:
    """Framework name -> its controls, in FRAMEWORKS order, frameworks without a control left out."""
    controls = mapping_for(rule_id).controls
    table = {f.name: [c.control for c in controls if c.framework == f] for f in FRAMEWORKS}
    return {name: ids for name, ids in table.items() if ids}


def controls_by_framework(rule_ids) -> dict[str, list[str]]:
    """Framework name -> every control the given rules evidence together (dashboard, report summaries)."""
    table: dict[str, list[str]] = {}
    for rule_id in rule_ids:
        for name, controls in by_framework(rule_id).items():
            table.setdefault(name, [])
            table[name] += [c for c in controls if c not in table[name]]
    return {f.name: table[f.name] for f in FRAMEWORKS if f.name in table}


def markdown_table(rule_ids) -> str:
    """The mapping as the Markdown table in docs/compliance.md (a test keeps the two equal)."""
    names = [f.name for f in FRAMEWORKS]
    lines = ["| rule | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for rule_id in rule_ids:
        table = by_framework(rule_id)
        cells = [", ".join(table.get(name, [])) or "-" for name in names]
        note = mapping_for(rule_id).note
        lines.append(f"| `{rule_id}`{f' ({note})' if note else ''} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
