"""`--create-baseline FILE` / `--baseline FILE`: accept today's findings, fail only on new ones.

A finding's fingerprint is its rule id, the template it is in, the resource's logical id and the property,
not its line or message: editing a template elsewhere does not make an old finding new. Template paths are
stored relative to the baseline file's directory (POSIX separators), so a baseline committed to a repository
works from any checkout of it. Fixing a finding drops it from the next `--create-baseline`; a baseline
entry that no longer matches anything is reported, so a stale baseline is visible.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from guardrails.errors import GuardrailsInputError
from guardrails.rules import Finding

FORMAT_VERSION = 1


def _template_key(template: str, base: Path) -> str:
    try:
        return Path(os.path.relpath(Path(template).resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return Path(template).resolve().as_posix()


def fingerprint(finding: Finding, base: Path) -> str:
    parts = (finding.rule_id, _template_key(finding.template, base), finding.logical_id, finding.property)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def write_baseline(path: str | Path, findings: Iterable[Finding]) -> int:
    path = Path(path)
    base = path.parent if str(path.parent) else Path(".")
    entries = sorted({fingerprint(f, base): {"fingerprint": fingerprint(f, base), "rule_id": f.rule_id,
                                             "template": _template_key(f.template, base), "logical_id": f.logical_id,
                                             "property": f.property} for f in findings}.values(),
                     key=lambda e: (e["template"], e["logical_id"], e["rule_id"], e["property"]))
    document = {"version": FORMAT_VERSION, "tool": "bedrock-cmk-guardrails",
                "created": datetime.now(timezone.utc).isoformat(timespec="seconds"), "findings": entries}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise GuardrailsInputError(str(path), f"cannot write baseline: {exc.strerror or exc}") from None
    return len(entries)


@dataclass(frozen=True)
class Baseline:
    path: Path
    fingerprints: frozenset[str]

    @classmethod
    def load(cls, path: str | Path) -> "Baseline":
        path = Path(path)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise GuardrailsInputError(str(path), f"cannot read baseline: {exc.strerror or exc}") from None
        except (UnicodeDecodeError, ValueError) as exc:
            line = getattr(exc, "lineno", None)
            raise GuardrailsInputError(str(path), f"not a baseline file (invalid JSON: {getattr(exc, 'msg', exc)})",
                                       line) from None
        findings = document.get("findings") if isinstance(document, dict) else None
        if (not isinstance(document, dict) or document.get("version") != FORMAT_VERSION or not isinstance(findings, list)
                or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in findings)):
            raise GuardrailsInputError(str(path), f"not a version-{FORMAT_VERSION} baseline file (create one with "
                                       "--create-baseline)")
        return cls(path, frozenset(e["fingerprint"] for e in findings))

    def split(self, findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding], int]:
        """(new findings, findings in the baseline, baseline entries that matched nothing)."""
        base = self.path.parent if str(self.path.parent) else Path(".")
        new, known, seen = [], [], set()
        for finding in findings:
            mark = fingerprint(finding, base)
            if mark in self.fingerprints:
                known.append(finding)
                seen.add(mark)
            else:
                new.append(finding)
        return new, known, len(self.fingerprints - seen)
