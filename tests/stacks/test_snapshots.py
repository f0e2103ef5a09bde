"""Snapshots of the synthesized stacks, so every template change is reviewed.

Update after an intended change: UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/stacks/test_snapshots.py
then review `git diff tests/stacks/snapshots/`.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

SNAPSHOTS = Path(__file__).parent / "snapshots"
STACKS = ("WorkspaceKeys", "ExampleWorkspace", "BedrockGuardrailsPreventive", "BedrockGuardrailsPreventiveOrg",
          "BedrockGuardrailsDetective", "BedrockGuardrailsDetectiveOrg", "BedrockGuardrailsStackSetAssets-us-east-1")
# Asset hashes change with every edit to bundled code (the Config rule bundles guardrails/ modules); the code is
# reviewed as code, so snapshots compare everything else.
_ASSET_HASH = re.compile(r"[0-9a-f]{64}")


def _normalised(template: dict) -> dict:
    return json.loads(_ASSET_HASH.sub("<asset-hash>", json.dumps(template)))


@pytest.mark.parametrize("stack", STACKS)
def test_template_matches_snapshot(suite_templates, stack):
    actual = _normalised(json.loads(suite_templates[stack].read_text()))
    snapshot = SNAPSHOTS / f"{stack}.json"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        snapshot.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n")
    assert snapshot.exists(), f"no snapshot for {stack}: run with UPDATE_SNAPSHOTS=1 and review it"
    assert actual == json.loads(snapshot.read_text()), \
        f"{stack} changed: review, then UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/stacks/test_snapshots.py"
