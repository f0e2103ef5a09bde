"""`guardrails rules`: every rule's enforcement points in JSON, and the README / docs tables generated from them."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from guardrails.cli.main import main
from guardrails.cli.rules import docs_reference, readme_table
from guardrails.rules import CATALOG
from guardrails.rules.base import POINTS

ROOT = Path(__file__).resolve().parents[2]
# (file, marker, generator): the generated block runs from the marker comment to the end marker.
BLOCKS = [(ROOT / "README.md", "rules-table", "markdown", readme_table),
          (ROOT / "docs" / "rules.md", "rules-reference", "docs", docs_reference)]


def test_json_shows_every_rules_enforcement(capsys):
    assert main(["rules", "--format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rules] == [r.id for r in CATALOG]
    for rule in rules:
        assert list(rule["enforcement"]) == list(POINTS)
        assert all(v is True or (isinstance(v, str) and v) for v in rule["enforcement"].values()), rule["id"]
    by_id = {r["id"]: r for r in rules}
    assert by_id["BedrockGuardrails-KeyRetention"]["enforcement"]["guard"].startswith("DeletionPolicy")
    assert by_id["BedrockGuardrails-WorkspaceCMK"]["live_details"] == ["Unverifiable", "KeyNotEnabled"]


def test_text_names_where_each_rule_is_enforced(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "BedrockGuardrails-KeyRetention" in out and "Enforced at: synth, scan\n" in out


@pytest.mark.parametrize("path, marker, fmt, generate", BLOCKS, ids=lambda b: str(b))
def test_generated_tables_are_fresh(path, marker, fmt, generate):
    text = path.read_text(encoding="utf-8")
    block = re.compile(rf"(<!-- generated: guardrails rules --format {fmt} -->\n)(.*?)(<!-- {marker}:end -->)", re.S)
    assert block.search(text), f"{path.name} lacks the generated {marker} block"
    if os.environ.get("UPDATE_DOCS"):
        path.write_text(block.sub(lambda m: m.group(1) + generate() + m.group(3), text), encoding="utf-8")
        text = path.read_text(encoding="utf-8")
    assert block.search(text).group(2) == generate(), f"{path.name} {marker} is stale: rerun with UPDATE_DOCS=1"
