"""What to do about one audit finding, in one sentence every format shares (text, HTML fix column, ASFF,
OCSF): fixable in place (`guardrails audit --fix`), a migration (`guardrails migrate-plan`), or the
rule's remediation."""

from __future__ import annotations

import re

from guardrails.rules import RULES_BY_ID
from guardrails.rules.workspace_cmk import RULE as WORKSPACE_CMK

_DOMAIN_ARN = re.compile(r"^arn:[^:]+:datazone:(?P<region>[^:]+):\d{12}:domain/(?P<id>[^/]+)$")
# Granular ids `guardrails audit --fix` repairs in place (see guardrails/audit/fix.py).
FIXABLE = {"BedrockGuardrails-KeyRotation[RotationDisabled]": "enable automatic rotation",
           "BedrockGuardrails-WorkspaceCMK[KeyNotEnabled]": "cancel the key's scheduled deletion",
           "BedrockGuardrails-ResourceCMK[KeyNotEnabled]": "cancel the key's scheduled deletion"}


def migrate_plan_command(resource_arn: str) -> str | None:
    """The `guardrails migrate-plan` command for a DataZone domain ARN; None for anything else."""
    match = _DOMAIN_ARN.match(resource_arn or "")
    return f"guardrails migrate-plan --domain-id {match['id']} --region {match['region']}" if match else None


def fix_for(finding) -> str:
    if finding.rule == WORKSPACE_CMK.id:  # no usable key at all: a domain's key is fixed at creation
        command = migrate_plan_command(finding.resource)
        if command:
            return f"A domain's key is fixed at creation: create a new domain on a customer-managed key and migrate: `{command}`"
    if finding.rule in FIXABLE:
        when = " when the key is pending deletion (a disabled key needs its owner's `aws kms enable-key`)" \
            if finding.rule.endswith("[KeyNotEnabled]") else ""
        return f"`guardrails audit --fix` can {FIXABLE[finding.rule]}{when}"
    rule = RULES_BY_ID.get(finding.rule.split("[", 1)[0])
    return rule.remediation if rule else ""
