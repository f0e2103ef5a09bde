"""guardrails.reports.json_stream writes, piece by piece, exactly what json.dumps(document, indent=2) writes."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from guardrails.reports import json_report, json_stream
from guardrails.rules import CATALOG, Finding

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                      max_leaves=12)
documents = st.dictionaries(st.text(), values | st.lists(values, max_size=5).map(lambda items: ("lazy", items)), max_size=5)


def _lazy(document: dict) -> dict:
    return {k: iter(v[1]) if isinstance(v, tuple) else v for k, v in document.items()}


def _whole(document: dict) -> dict:
    return {k: v[1] if isinstance(v, tuple) else v for k, v in document.items()}


@given(documents)
def test_the_pieces_are_the_whole_encoding(document):
    """Newlines, quotes and non-ASCII text inside strings, empty and nested containers, lazy lists."""
    assert "".join(json_stream.chunks(_lazy(document))) == json.dumps(_whole(document), indent=2)


def test_a_lazy_list_is_read_one_item_at_a_time():
    taken = []

    def items():
        for n in range(3):
            taken.append(n)
            yield {"n": n}

    pieces = json_stream.chunks({"items": items()})
    assert next(pieces) == '{\n  "items": '
    assert next(pieces) == '[\n    {\n      "n": 0\n    }' and taken == [0]


class _Report:
    """A report's fields as the JSON writer reads them."""

    def __init__(self, findings):
        self.findings = findings

    def summary(self):
        return {"templates": 1, "acknowledged": []}

    kpis = {"workspaces": 0, "cmk_coverage_pct": None}


def test_the_json_report_is_the_document_json_dumps_writes():
    rule = CATALOG[0]
    findings = [Finding(rule.id, rule.severity, "t.json", f"R{n}", "AWS::DataZone::Domain", "KmsKeyIdentifier",
                        'no key: "quoted"\nsecond line é', rule.remediation, None, n) for n in range(3)]
    for report in (_Report(findings), _Report([])):
        expected = json.dumps({"tool": {"name": "bedrock-cmk-guardrails", "version": "9.9"},
                               "findings": [json_report.finding_dict(f) for f in report.findings],
                               "summary": report.summary(), "kpis": report.kpis}, indent=2) + "\n"
        assert json_report.render(report, "9.9") == expected
