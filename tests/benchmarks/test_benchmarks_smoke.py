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


def test_realistic_corpus_is_cdk_shaped_about_five_percent_governed_and_flagged_as_planted(tmp_path):
    from benchmarks.realistic_corpus import write_realistic_corpus

    corpus = write_realistic_corpus(tmp_path, 6)
    report = scan(discover([str(tmp_path)]), Settings())
    assert not report.errors and report.resources == corpus.resources and len(report.templates) == corpus.templates == 6
    assert 0.04 <= corpus.governed_share <= 0.07
    got = findings.from_guardrails(render("json", report, "test"))
    assert got["WorkspaceCMK"] == corpus.expected_workspace_cmk and len(corpus.expected_workspace_cmk) == 3
    # CDK-shaped: every resource carries its construct path, and the stacks are mostly not governed
    template = load_template(sorted(tmp_path.glob("*.template.json"))[0])
    assert all("aws:cdk:path" in r.definition["Metadata"] for r in template.resources())
    assert Counter(r.type for r in template.resources())["AWS::Lambda::Function"] == 5


def test_scaled_report_and_format_growth_measure_every_format(tmp_path):
    from benchmarks.formats import format_growth, scaled_report
    from guardrails.reports import FORMATS

    write_scan_corpus(tmp_path, 2, 40)
    base = scan(discover([str(tmp_path)]), Settings())
    scaled = scaled_report(base, 100)
    assert len(scaled.findings) == 100 and len({(f.template, f.logical_id, f.rule_id) for f in scaled.findings}) == 100
    growth = format_growth(base, [20, 40], FORMATS, runs=1)
    assert set(growth) == set(FORMATS)
    assert all([p["findings"] for p in g["points"]] == [20, 40] and g["growth"] is not None for g in growth.values())


def test_report_renders_the_realistic_and_format_sections():
    from benchmarks.report import build_markdown

    measurement = {"median_s": 1.0, "min_s": 1.0, "max_s": 1.0, "peak_rss_mb": 50.0}
    results = {"runs": 1, "machine": {}, "realistic": {
        "corpus": {"templates": 2, "resources": 118, "governed": 6, "governed_pct": 5.1, "megabytes": 0.1},
        "measurements": {"guardrails scan": {**measurement, "median_s": 2.0}, "parse floor (json.loads)": measurement},
        "same_findings": True, "in_process": {"engine.scan": {"median_s": 0.2}, "parse floor": {"median_s": 0.1}}},
        "formats": {"junit": {"points": [{"findings": 10, "median_s": 0.01}, {"findings": 20, "median_s": 0.02}], "growth": 1.0}}}
    text, goals = build_markdown(results, None)
    assert "realistic corpus" in text and "| junit |" in text
    assert [(name.split(",")[0], ok) for name, ok, _ in goals] == [("2. scan ≤ 3× the parse floor", True),
                                                                    ("2. every report format grows linearly", True)]


def test_report_renders_the_aggregator_comparison_and_a_merge():
    from benchmarks.report import build_markdown

    runs = [{"source": "crawl", "seconds": 12.0, "calls": 3000}, {"source": "aggregator", "seconds": 2.0, "calls": 100}]
    table = {"account_regions": 100, "resources": 300, "latency_ms_per_call": 50.0, "max_workers": 8, "repeats": 3,
             "cpu_count": 2, "runs": runs}
    results = {"runs": 1, "machine": {}, "aggregator": {"result": table, "markdown": "| source | seconds | AWS calls |"},
               "merged_from": {"started": "2026-11-30 11:00:00 UTC", "elapsed_s": 1436.2, "sections": ["scan", "synth"]}}
    text, _ = build_markdown(results, None)
    assert "## Audit: a Config aggregator against the crawl (issue 13)" in text
    assert "30.0× fewer AWS calls (100 against 3,000) and takes 6.0× less time" in text
    assert "figures kept from the run started 2026-11-30 11:00:00 UTC (1436.2 s; BENCH_MERGE) | scan, synth |" in text
