"""Checkov-style rule tests: templates/<rule_module>/pass/* and .../fail/*, run through the engine.

A case template may carry top-level `Metadata: GuardrailsTest:` with
- `expect`: rule ids (granular where relevant) that must be reported. For a fail case each must be an
  error or warning finding (default: the rule's own id); for a pass case, e.g. the info `[ExternalKey]`;
- `message`: a text some expected finding's message must contain;
- `settings`: settings overrides for this scan (same keys as [tool.guardrails]);
- `with`: companion templates (paths relative to the rule's template folder) scanned before this one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from guardrails.cloud_assembly import TemplateSource
from guardrails.engine import ScanReport, scan
from guardrails.rules import Severity
from guardrails.settings import settings_from_mapping
from guardrails.template import load_template

TEMPLATES = Path(__file__).parent / "templates"


def cases(module: str, verdict: str) -> list:
    folder = TEMPLATES / module / verdict
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
    assert files, f"no {verdict} templates in {folder}"
    return [pytest.param(p, id=f"{verdict}/{p.name}") for p in files]


def run_case(path: Path) -> tuple[ScanReport, dict]:
    metadata = load_template(path).data.get("Metadata") or {}
    spec = dict(metadata.get("GuardrailsTest") or {})
    settings = settings_from_mapping(spec.get("settings") or {}, str(path))
    companions = [TemplateSource(str(path.parent.parent / name)) for name in spec.get("with") or []]
    report = scan([*companions, TemplateSource(str(path))], settings)
    assert not report.errors, [str(e) for e in report.errors]
    return report, spec


def _own(report: ScanReport, path: Path):
    return [f for f in report.findings if Path(f.template).resolve() == path.resolve()]


def _expected_present(findings, expected: list[str], message: str | None, *, blocking: bool) -> None:
    matching = [f for f in findings if f.rule_id in expected]
    for rule_id in expected:
        hits = [f for f in matching if f.rule_id == rule_id]
        assert hits, f"expected {rule_id}, got {[(f.rule_id, f.message) for f in findings]}"
        if blocking:
            assert all(f.severity is not Severity.INFO for f in hits), hits
    if message:
        assert any(message in f.message for f in matching), (message, [f.message for f in matching])


def template_tests(module: str, rule_id: str):
    """The pass and fail tests of one rule module, parametrized over its template folders."""

    @pytest.mark.parametrize("path", cases(module, "pass"))
    def test_pass(path: Path) -> None:
        report, spec = run_case(path)
        findings = _own(report, path)
        assert not [(f.rule_id, f.message) for f in findings
                    if f.base_rule_id == rule_id and f.severity is not Severity.INFO]
        _expected_present(findings, list(spec.get("expect") or []), spec.get("message"), blocking=False)

    @pytest.mark.parametrize("path", cases(module, "fail"))
    def test_fail(path: Path) -> None:
        report, spec = run_case(path)
        expected = list(spec.get("expect") or [rule_id])
        assert all(e == rule_id or e.startswith(rule_id + "[") for e in expected), expected
        _expected_present(_own(report, path), expected, spec.get("message"), blocking=True)

    return test_pass, test_fail
