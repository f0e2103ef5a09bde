"""Baselines: today's findings accepted, new ones reported; stable across line shifts and checkouts."""

from __future__ import annotations

import json
import shutil

import pytest

from guardrails.baseline import Baseline, write_baseline
from guardrails.cloud_assembly import TemplateSource
from guardrails.engine import scan
from guardrails.errors import GuardrailsInputError
from tests.conftest import domain, good_key, resources


def scan_dir(directory):
    report = scan([TemplateSource(str(p)) for p in sorted(directory.glob("*.json"))])
    assert not report.errors
    return report.findings


def test_known_findings_are_accepted_and_new_ones_are_not(tmp_path):
    templates = tmp_path / "infra"
    templates.mkdir()
    (templates / "a.json").write_text(json.dumps(resources(Old=domain())))
    written = write_baseline(tmp_path / ".guardrails-baseline.json", scan_dir(templates))
    assert written == len(scan_dir(templates)) > 0

    # Shift every line and add a new keyless domain: only the new one is new.
    (templates / "a.json").write_text(json.dumps(resources(Old=domain(), New=domain()), indent=4))
    new, known, stale = Baseline.load(tmp_path / ".guardrails-baseline.json").split(scan_dir(templates))
    assert {f.logical_id for f in new} == {"New"} and {f.logical_id for f in known} == {"Old"} and stale == 0


def test_a_fixed_finding_leaves_a_stale_entry_that_is_counted(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(resources(Old=domain())))
    count = write_baseline(tmp_path / "b.json.baseline", scan_dir_only(tmp_path))
    (tmp_path / "a.json").write_text(json.dumps(resources(Key=good_key(), Old=domain({"Fn::GetAtt": ["Key", "Arn"]}))))
    new, known, stale = Baseline.load(tmp_path / "b.json.baseline").split(scan_dir_only(tmp_path))
    assert new == [] and known == [] and stale == count


def scan_dir_only(directory):
    report = scan([TemplateSource(str(directory / "a.json"))])
    assert not report.errors
    return report.findings


def test_a_baseline_travels_with_the_repository(tmp_path):
    repo = tmp_path / "one"
    (repo / "infra").mkdir(parents=True)
    (repo / "infra" / "a.json").write_text(json.dumps(resources(Old=domain())))
    write_baseline(repo / "baseline.json", scan_dir(repo / "infra"))
    moved = tmp_path / "elsewhere" / "two"
    shutil.copytree(repo, moved)
    new, known, _ = Baseline.load(moved / "baseline.json").split(scan_dir(moved / "infra"))
    assert new == [] and known


@pytest.mark.parametrize("content, message", [
    ("{not json", "invalid JSON"), ('{"version": 2, "findings": []}', "version-1 baseline"),
    ('{"version": 1, "findings": [{"rule_id": "x"}]}', "version-1 baseline"), ("[]", "version-1 baseline")])
def test_a_broken_baseline_is_an_input_error_naming_the_file(tmp_path, content, message):
    path = tmp_path / "baseline.json"
    path.write_text(content)
    with pytest.raises(GuardrailsInputError, match=message) as error:
        Baseline.load(path)
    assert error.value.source == str(path)


def test_a_missing_baseline_is_an_input_error(tmp_path):
    with pytest.raises(GuardrailsInputError, match="cannot read baseline"):
        Baseline.load(tmp_path / "absent.json")
