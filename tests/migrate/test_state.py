"""The state file: written whole on every record, refused for another pair of domains, readable after a crash."""

from __future__ import annotations

import json

import pytest

from guardrails.errors import GuardrailsInputError
from guardrails.migrate.state import MigrationState


def test_every_record_is_on_disk_at_once(tmp_path):
    path = tmp_path / "state.json"
    state = MigrationState(str(path), "dzd_a", "dzd_b")
    state.record("project:p", {"id": "123"})
    assert json.loads(path.read_text())["done"] == {"project:p": {"id": "123"}}  # no close or flush needed by the caller
    state.record("form-type:F", {"id": "F", "revision": 2})
    again = MigrationState(str(path), "dzd_a", "dzd_b")
    assert again.done == {"project:p": {"id": "123"}, "form-type:F": {"id": "F", "revision": "2"}}
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # the temporary file was renamed, not left behind


def test_a_state_file_of_another_migration_is_refused(tmp_path):
    path = tmp_path / "state.json"
    MigrationState(str(path), "dzd_a", "dzd_b").record("project:p", {"id": "1"})
    with pytest.raises(GuardrailsInputError, match="records a migration from dzd_a to dzd_b, not from dzd_a to dzd_c"):
        MigrationState(str(path), "dzd_a", "dzd_c")


@pytest.mark.parametrize("text", ["{not json", "[]", '{"version": 1}', '{"version": 9, "done": {}}'])
def test_a_file_that_is_not_a_state_file_is_refused(tmp_path, text):
    path = tmp_path / "state.json"
    path.write_text(text)
    with pytest.raises(GuardrailsInputError, match="not a migration state file"):
        MigrationState(str(path), "dzd_a", "dzd_b")
