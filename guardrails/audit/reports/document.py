"""The one report document every format renders: findings, KPIs, not-evaluated scopes, history stats."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from guardrails.audit.model import COMPLIANT, NON_COMPLIANT, AuditResult

EXIT_COMPLIANT, EXIT_NON_COMPLIANT, EXIT_USAGE, EXIT_INCOMPLETE = 0, 1, 2, 3


@dataclass
class AuditReport:
    result: AuditResult
    kpis: dict[str, Any]
    history: dict[str, Any] | None = None
    generated_at: str = ""
    tool_version: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def findings(self):
        """COMPLIANT and NON_COMPLIANT findings, worst first (not-applicable resources are only counted)."""
        kept = [f for f in self.result.findings if f.status in (COMPLIANT, NON_COMPLIANT)]
        return sorted(kept, key=lambda f: (f.status != NON_COMPLIANT, f.account, f.region, f.resource_type, f.resource, f.rule))

    def as_dict(self) -> dict[str, Any]:
        return {
            "generated_at": self.generated_at,
            "tool_version": self.tool_version,
            "interrupted": self.result.interrupted,
            **self.meta,
            "findings": [f.as_dict() for f in self.findings],
            "kpis": {**self.kpis, **({"history": self.history} if self.history else {})},
            "not_evaluated": [n.as_dict() for n in self.result.not_evaluated],
        }


def exit_code(result: AuditResult) -> int:
    """1 beats 3: an open finding is news even when part of the estate was unreadable. Accepted exceptions
    are not open findings, as acknowledged findings do not fail a scan."""
    if result.open_findings:
        return EXIT_NON_COMPLIANT
    if result.not_evaluated or result.interrupted:
        return EXIT_INCOMPLETE
    return EXIT_COMPLIANT
