"""The benchmark corpus generators at tiny sizes: valid templates, exact counts, the promised split.

Not timed: a real test that the benchmarks measure what they claim to (and that the findings
comparison reads each tool's report shape correctly).
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from benchmarks import findings
from benchmarks.corpus import write_scan_corpus, write_yaml_copy
from benchmarks.run import _linear_fit
from guardrails.cloud_assembly import discover
from guardrails.engine import scan
from guardrails.reports import render
from guardrails.settings import Settings
from guardrails.template import load_template


@pytest.mark.parametrize("templates, resources", [(1, 7), (4, 100), (5, 301)])
def test_scan_corpus_counts_and_split(tmp_path, templates, resources):
    corpus = write_scan_corpus(tmp_path, templates, resources)
    files = sorted(tmp_path.glob("*.template.json"))
    assert len(files) == corpus.templates == templates
    types: Counter = Counter()
    for path in files:
        template = load_template(path)  # the product's own loader: valid JSON, a real template
        types.update(r.type for r in template.resources())
    assert sum(types.values()) == corpus.resources == resources
    units = corpus.units
    assert units % 2 == 0 and corpus.noncompliant_units == units // 2
    assert types["AWS::KMS::Key"] == types["AWS::DataZone::Domain"] == types["AWS::Bedrock::Agent"] == units
    assert {rule: len(flagged) for rule, flagged in corpus.expected.items()} == {
        "WorkspaceCMK": units // 2, "AgentCMK": units // 2, "KeyRotation": units // 2}


def test_compliant_half_is_clean_and_guardrails_flags_exactly_the_expected(tmp_path):
    corpus = write_scan_corpus(tmp_path, 3, 40)
    report = scan(discover([str(tmp_path)]), Settings())
    assert not report.errors and report.resources == 40
    assert report.kpis["workspaces"] == corpus.units and report.kpis["workspaces_cmk"] == corpus.units // 2
    got = findings.from_guardrails(render("json", report, "test"))
    assert got == corpus.expected
    # nothing else fires: the compliant half is compliant with the whole catalog
    assert {f.base_rule_id for f in report.findings} == {
        "BedrockGuardrails-WorkspaceCMK", "BedrockGuardrails-ResourceCMK", "BedrockGuardrails-KeyRotation"}


def test_yaml_copy_holds_the_same_templates(tmp_path):
    corpus = write_scan_corpus(tmp_path / "json", 2, 20)
    yaml_dir = write_yaml_copy(corpus, tmp_path / "yaml")
    for path in sorted((tmp_path / "json").glob("*.json")):
        twin = load_template(yaml_dir / path.name.replace(".json", ".yaml"))
        assert twin.format == "yaml"
        assert json.loads(json.dumps(twin.data)) == json.loads(path.read_text())


def test_checkov_and_guard_report_readers(tmp_path):
    corpus = write_scan_corpus(tmp_path, 1, 7)  # units 0 (compliant) and 1 (not)
    name = "stack00000.template.json"
    checkov = {"check_type": "cloudformation", "results": {"failed_checks": [
        {"check_id": "CKV_AWS_7", "file_path": f"/{name}", "resource": "AWS::KMS::Key.Key1"},
        {"check_id": "CKV_AWS_373", "file_path": f"/{name}", "resource": "AWS::Bedrock::Agent.Agent1"}]}}
    got = findings.from_checkov(json.dumps(checkov))
    assert got["KeyRotation"] == {(name, "Key1")} and got["AgentCMK"] == {(name, "Agent1")}
    guard = [{"name": str(tmp_path / name), "not_compliant": [
        {"Rule": {"name": "WorkspaceCMK", "checks": [{"path": "/Resources/Domain1/Properties"},
                                                     {"path": "/Resources/Key1/Properties"}]}}]}]
    assert findings.from_guard(json.dumps(guard))["WorkspaceCMK"] == {(name, "Domain1")}  # the key is not a domain
    agreement = findings.agreement(corpus.expected, got, ("AgentCMK", "KeyRotation"))
    assert all(a["identical"] for a in agreement.values())


def test_linear_fit():
    fit = _linear_fit([(1000, 0.3), (2000, 0.5), (4000, 0.9)])
    assert fit["r_squared"] == 1.0 and fit["seconds_per_1000_resources"] == pytest.approx(0.2)
