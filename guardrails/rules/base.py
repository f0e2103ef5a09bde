"""What a rule is, what it reports, and what it is given to look at.

Pure Python: nothing here (or anywhere under rules/) imports aws_cdk, so `guardrails scan` never
starts Node.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Callable, Iterable

if TYPE_CHECKING:
    from guardrails.key_reference import KeyResolver, KeyTarget
    from guardrails.settings import Settings
    from guardrails.template import Resource

PREFIX = "BedrockGuardrails-"
MIGRATION_NOTE = ("Domain encryption is fixed at creation: if this domain is already deployed, the fix is a new "
                  "domain on a customer-managed key plus a migration (`guardrails migrate-plan --domain-id <id>`).")


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


@dataclass(frozen=True)
class Finding:
    """One problem on one resource. `rule_id` carries `[detail]` for granular findings."""

    rule_id: str
    severity: Severity
    template: str
    logical_id: str
    resource_type: str
    property: str
    message: str
    remediation: str
    path: str | None = None  # cdk construct path, where Metadata has one
    line: int | None = None

    @property
    def base_rule_id(self) -> str:
        return self.rule_id.split("[", 1)[0]


@dataclass
class RuleContext:
    """What a check may use besides the resource: settings, key resolution, and a note of protected keys."""

    settings: "Settings"
    resolver: "KeyResolver"
    protected_keys: set[tuple[str, str]] = field(default_factory=set)
    workspace_keys: set[tuple[str, str]] = field(default_factory=set)

    def note_protection(self, target: "KeyTarget", workspace: bool) -> None:
        if target.template and target.logical_id:
            self.protected_keys.add((target.template, target.logical_id))
            if workspace:
                self.workspace_keys.add((target.template, target.logical_id))


Check = Callable[["Resource", RuleContext], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A catalog entry. `scope` is "resource" (governed resources) or "key" (AWS::KMS::Key)."""

    id: str
    title: str
    explanation: str
    remediation: str
    resource_types: tuple[str, ...]
    check: Check
    scope: str = "resource"
    severity: Severity = Severity.ERROR
    details: tuple[str, ...] = ()  # granular ids this rule can report, for the catalog test and docs

    def finding(self, resource: "Resource", prop: str, message: str, *, detail: str | None = None,
                severity: Severity | None = None, remediation: str | None = None) -> Finding:
        return Finding(
            rule_id=f"{self.id}[{detail}]" if detail else self.id,
            severity=severity or self.severity,
            template=resource.template.path,
            logical_id=resource.logical_id,
            resource_type=resource.type,
            property=prop,
            message=message,
            remediation=remediation or self.remediation,
            path=resource.cdk_path,
        )
