"""The --state file: every target id recorded the moment its create returns, so a rerun resumes without duplicates.

Written whole to a temporary file, flushed to disk, then renamed over the old one (os.replace is atomic
on POSIX and Windows): an interruption leaves either the previous state or the new one, never half a
file. A state file belongs to one (source, target) pair; using it for another pair is refused.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from guardrails.errors import GuardrailsInputError

VERSION = 1


class MigrationState:
    def __init__(self, path: str | None, source: str, target: str):
        self.path = Path(path) if path else None
        self.source, self.target = source, target
        self.done: dict[str, dict[str, str]] = {}  # step key -> recorded values (target ids, revisions)
        if self.path and self.path.exists():
            self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError) as exc:
            raise GuardrailsInputError(str(self.path), f"not a migration state file: {exc}") from None
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("done"), dict):
            raise GuardrailsInputError(str(self.path), f"not a migration state file (version {VERSION} with 'done')")
        if (data.get("source"), data.get("target")) != (self.source, self.target):
            raise GuardrailsInputError(str(self.path), f"records a migration from {data.get('source')} to {data.get('target')}, "
                                       f"not from {self.source} to {self.target}")
        self.done = data["done"]

    def record(self, key: str, values: dict[str, Any]) -> None:
        self.done[key] = {k: str(v) for k, v in values.items()}
        self._save()

    def _save(self) -> None:
        if self.path is None:
            return
        text = json.dumps({"version": VERSION, "source": self.source, "target": self.target, "done": self.done}, indent=2)
        temporary = self.path.with_name(self.path.name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)
