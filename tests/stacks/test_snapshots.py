"""Snapshots of the synthesized stacks, so every template change is reviewed.

Update after an intended change: UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/stacks/test_snapshots.py
then review `git diff tests/stacks/snapshots/`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

SNAPSHOTS = Path(__file__).parent / "snapshots"
STACKS = ("WorkspaceKeys", "ExampleWorkspace")


@pytest.mark.parametrize("stack", STACKS)
def test_template_matches_snapshot(suite_templates, stack):
    actual = json.loads(suite_templates[stack].read_text())
    snapshot = SNAPSHOTS / f"{stack}.json"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        snapshot.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n")
    assert snapshot.exists(), f"no snapshot for {stack}: run with UPDATE_SNAPSHOTS=1 and review it"
    assert actual == json.loads(snapshot.read_text()), \
        f"{stack} changed: review, then UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/stacks/test_snapshots.py"
