"""`--rule` / `--skip-rule`: which rule ids a run reports, with shell-style wildcards (as checkov's --check).

A pattern matches a finding's full id (`BedrockGuardrails-KeyPolicyLeastPrivilege[UnscopedUsage]`) or its
base id, and may omit the `BedrockGuardrails-` prefix. A pattern that matches no id the catalog can report is
a usage error: a typo must not silently select nothing (or skip nothing).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from guardrails.errors import GuardrailsInputError
from guardrails.rules import PREFIX, Finding, reportable_ids

_BRACKET = re.compile(r"[\[\]]")


def _variants(pattern: str) -> tuple[str, ...]:
    pattern = pattern.strip()
    return (pattern,) if pattern.startswith(PREFIX) or pattern.startswith("*") else (pattern, PREFIX + pattern)


def _matches(rule_id: str, patterns: Sequence[str]) -> bool:
    base = rule_id.split("[", 1)[0]
    return any(fnmatch.fnmatchcase(candidate, _escape_brackets(variant))
               for pattern in patterns for variant in _variants(pattern) for candidate in (rule_id, base))


def _escape_brackets(pattern: str) -> str:
    """Brackets in ids are literal: `[` becomes the class `[[]`, `]` the class `[]]`, in one pass."""
    return _BRACKET.sub(lambda m: f"[{m.group(0)}]", pattern)


@dataclass(frozen=True)
class RuleSelection:
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @classmethod
    def from_options(cls, include: Iterable[str] | None, exclude: Iterable[str] | None) -> "RuleSelection":
        selection = cls(tuple(_split(include)), tuple(_split(exclude)))
        known = reportable_ids()
        for option, patterns in (("--rule", selection.include), ("--skip-rule", selection.exclude)):
            for pattern in patterns:
                if not any(_matches(rule_id, (pattern,)) for rule_id in known):
                    raise GuardrailsInputError(option, f"{pattern!r} matches no rule id (see `guardrails rules`)")
        return selection

    def selects(self, rule_id: str) -> bool:
        if self.include and not _matches(rule_id, self.include):
            return False
        return not (self.exclude and _matches(rule_id, self.exclude))

    def filter(self, findings: Iterable[Finding]) -> list[Finding]:
        return [f for f in findings if self.selects(f.rule_id)]


def _split(values: Iterable[str] | None) -> list[str]:
    """Repeatable options that also take comma-separated lists, as checkov's do."""
    return [part.strip() for value in (values or ()) for part in value.split(",") if part.strip()]
