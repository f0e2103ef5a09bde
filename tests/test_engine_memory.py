"""The scan's memory stays bounded: a template's turn leaves nothing of it behind, and a key no later
template can use leaves no bookkeeping once it is judged (benchmarks/ measures the peak RSS; these pin the
mechanism without timing)."""

from __future__ import annotations

import gc
import json
import os
import weakref
from pathlib import Path

from benchmarks.corpus import unit_resources
from guardrails.cloud_assembly import TemplateSource, discover
from guardrails.engine import _Scan, scan
from guardrails.rules.base import KeyUse
from guardrails.settings import Settings
from guardrails.template import Template

RULE_TEMPLATES = Path(__file__).parent / "rules" / "templates"


def _write_corpus(directory: Path, templates: int, units: int, *, compliant=lambda unit: True, extra=None) -> list[Path]:
    paths = []
    for t in range(templates):
        resources = {"ExecutionRole": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}}}
        for u in range(t * units, (t + 1) * units):
            resources.update(unit_resources(u, compliant(u)))
        body = {"Resources": resources, **(extra(t) if extra else {})}
        path = directory / f"stack{t:03d}.json"
        path.write_text(json.dumps(body, indent=1))
        paths.append(path)
    return paths


class _Watched(TemplateSource):
    """A source that, as each template is read, notes which earlier templates and key uses are still alive."""

    loaded: list = []  # weak references to the templates read so far
    alive_at_load: list = []  # (templates still alive, KeyUse objects alive) when each template is read

    def load(self) -> Template:
        gc.collect()
        earlier = [ref for ref in self.loaded[:-1] if ref() is not None]  # the one just scanned may still be in view
        self.alive_at_load.append((len(earlier), sum(isinstance(o, KeyUse) for o in gc.get_objects())))
        template = super().load()
        self.loaded.append(weakref.ref(template))
        return template


def _watched_scan(paths: list[Path]):
    _Watched.loaded, _Watched.alive_at_load = [], []
    report = scan([_Watched(str(p)) for p in paths])
    return report, _Watched.alive_at_load


def test_no_template_outlives_its_turn_with_findings_held(tmp_path):
    paths = _write_corpus(tmp_path, 6, 4, compliant=lambda unit: unit % 2 == 0)
    report, alive = _watched_scan(paths)
    assert not report.errors and len(report.templates) == 6
    assert report.findings  # the non-compliant half is reported: findings do not keep their templates alive
    assert [templates for templates, _ in alive] == [0] * 6


def test_key_uses_of_keys_no_later_template_can_use_are_not_kept(tmp_path):
    """Every key here is used inside its own template and exported by none: judged at the end of its turn."""
    report, alive = _watched_scan(_write_corpus(tmp_path, 6, 4))
    assert not report.findings and not report.errors
    assert [uses for _, uses in alive] == [0] * 6


def test_uses_of_an_exported_key_wait_for_the_end(tmp_path):
    """A later template may import an exported key: its uses are kept until every template is read."""
    exports = lambda t: {"Outputs": {"Key": {"Value": {"Fn::GetAtt": [f"Key{t * 2}", "Arn"]},
                                             "Export": {"Name": f"key-{t}"}}}}
    report, alive = _watched_scan(_write_corpus(tmp_path, 4, 2, extra=exports))
    assert not report.errors
    assert [uses for _, uses in alive] == [0, 2, 4, 6]  # the two uses of each exported key, the others dropped


def _scan_judging_everything_at_the_end(sources: list[TemplateSource]):
    """The scan as it was before keys were judged per turn: every source counts as given twice, so no key is
    judged before the end and every use is kept."""
    run = _Scan(Settings(), lambda path: os.path.relpath(path, "/"))  # as scan(relative_to="/") shows paths
    run.repeated = {source.path for source in sources}
    for source in sources:
        run.template(source)
    return run.finish()


def test_judging_keys_per_turn_gives_the_report_one_judgment_at_the_end_gives(tmp_path):
    sources = discover([str(RULE_TEMPLATES)])
    assert len(sources) > 30
    per_turn = scan(sources, relative_to="/")
    at_the_end = _scan_judging_everything_at_the_end(sources)
    assert any(f.rule_id.endswith("KeyOwnerIsolation") for f in per_turn.findings)
    assert per_turn.findings == at_the_end.findings
    assert [(e.finding, e.acknowledgment) for e in per_turn.exceptions] == \
        [(e.finding, e.acknowledgment) for e in at_the_end.exceptions]
    assert per_turn.summary() == at_the_end.summary() and per_turn.kpis == at_the_end.kpis
