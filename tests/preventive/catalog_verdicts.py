"""The Python catalog's verdict per (logical id, rule id), through the scan engine, for comparison with Guard
(and, every rule, with the live judge)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from guardrails.cloud_assembly import TemplateSource
from guardrails.engine import scan
from guardrails.preventive.guard_rules import RULE_IDS
from guardrails.rules import Severity
from guardrails.settings import Settings
from guardrails.template import Template

COMPARED = set(RULE_IDS.values())


def all_catalog_failures(template: Template, settings: Settings, account: str | None = None) -> set[tuple[str, str]]:
    """Failing (logical id, base rule id) pairs of every rule; INFO findings are not failures. `account`: the account
    the template is deployed to, as cdk.out's environment would say (the key policy's owner)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "template.json"
        path.write_text(json.dumps(template.data), encoding="utf-8")
        report = scan([TemplateSource(str(path), account=account)], settings)
    assert not report.errors, report.errors
    return {(f.logical_id, f.base_rule_id) for f in report.findings if f.severity is not Severity.INFO}


def catalog_failures(template: Template, settings: Settings) -> set[tuple[str, str]]:
    """Failing (logical id, rule id) pairs for the rules the Guard file enforces."""
    return {(lid, rule) for lid, rule in all_catalog_failures(template, settings) if rule in COMPARED}
