"""The data an audit produces, kept plain so every report format renders the same facts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Mapping

from guardrails.live_verdict import COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE  # noqa: F401 - one set of statuses


@dataclass(frozen=True)
class Scope:
    account: str
    region: str

    def __str__(self) -> str:
        return f"{self.account}/{self.region}"


@dataclass(frozen=True)
class Resource:
    """One workspace or Bedrock resource and the key identifier its API reports (None: AWS-owned key)."""

    resource_type: str  # the CloudFormation type name, so findings read like `guardrails scan`'s
    arn: str
    name: str
    account: str
    region: str
    key: str | None
    workspace: bool = False
    applicable: bool = True  # False when the resource kind takes no key (a vector knowledge base)
    tags: Mapping[str, str] | None = field(default=None, compare=False)  # None: its Get* call does not return them


@dataclass(frozen=True)
class Finding:
    resource: str
    resource_type: str
    name: str
    account: str
    region: str
    status: str
    rule: str
    reason: str
    key: str | None = None
    on_cmk: bool = False  # KMS confirmed a customer-managed key, whatever else is wrong with it
    exception: str | None = None  # NON_COMPLIANT but an accepted exception: the reason its exception tag gives
    owner: str | None = None  # the resource's Owner tag where its tags were read (domains always, others when NON_COMPLIANT)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class NotEvaluated:
    """A scope (account, region, resource kind) the audit could not read, and why."""

    account: str
    region: str
    what: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class AuditResult:
    findings: list[Finding] = field(default_factory=list)
    not_evaluated: list[NotEvaluated] = field(default_factory=list)
    scopes: list[Scope] = field(default_factory=list)
    interrupted: bool = False

    def extend(self, other: "AuditResult") -> None:
        self.findings.extend(other.findings)
        self.not_evaluated.extend(other.not_evaluated)
        self.scopes.extend(other.scopes)

    @property
    def non_compliant(self) -> list[Finding]:
        return [f for f in self.findings if f.status == NON_COMPLIANT]

    @property
    def open_findings(self) -> list[Finding]:
        """NON_COMPLIANT findings that are not accepted exceptions: what the exit code and KPIs count."""
        return [f for f in self.non_compliant if f.exception is None]

    @property
    def exceptions(self) -> list[Finding]:
        return [f for f in self.non_compliant if f.exception is not None]
