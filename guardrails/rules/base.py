"""What a rule is, what it reports, and what it is given to look at.

Pure Python: nothing here (or anywhere under rules/) imports aws_cdk, so `guardrails scan` never
starts Node.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from guardrails.memo import BoundedMemo

if TYPE_CHECKING:
    from guardrails.key_reference import KeyResolver, KeyTarget
    from guardrails.live_verdict import LiveSubject
    from guardrails.settings import Settings
    from guardrails.template import Resource

PREFIX = "BedrockGuardrails-"
MEMO_ENTRIES = 512  # RuleContext.memoised: distinct keys kept per scan
MIGRATION_NOTE = ("Domain encryption is fixed at creation: if this domain is already deployed, the fix is a new "
                  "domain on a customer-managed key plus a migration (`guardrails migrate-plan --domain-id <id>`).")


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


@dataclass(frozen=True, slots=True)  # slots: a scan holds every finding until its report is written
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

    def placed(self, template: str, line: int | None) -> "Finding":
        """This finding in `template` at `line`: dataclasses.replace without its per-call field introspection
        (a scan places every finding it reports)."""
        return Finding(self.rule_id, self.severity, template, self.logical_id, self.resource_type, self.property,
                       self.message, self.remediation, self.path, line)


@dataclass
class RuleContext:
    """What a check may use besides the resource: settings, key resolution, and a note of protected keys
    (and, for the rules that judge how keys are shared, of which key each resource uses)."""

    settings: "Settings"
    resolver: "KeyResolver"
    protected_keys: set[tuple[str, str]] = field(default_factory=set)
    used_keys: list[tuple["KeyTarget", str]] = field(default_factory=list)  # (customer key, property) of the resource at hand
    # Verdicts a check may reuse within one scan (one settings): see `memoised`.
    memo: BoundedMemo = field(default_factory=lambda: BoundedMemo(MEMO_ENTRIES))

    def memoised(self, key: Any, compute: Callable[[], Any]) -> Any:
        """compute(), or what it gave for `key` earlier in this scan. The key must hold everything the result
        depends on besides the settings. The memo keeps the latest MEMO_ENTRIES keys (memory stays bounded)."""
        return self.memo.get_or_compute(key, compute)

    def note_protection(self, target: "KeyTarget", prop: str = "") -> None:
        if target.template and target.logical_id:
            self.protected_keys.add((target.template, target.logical_id))
        if target.is_customer_managed:
            self.used_keys.append((target, prop))


@dataclass(frozen=True, slots=True)
class KeyUse:
    """One resource's use of one customer-managed key, for the rules that judge how a key is shared
    (scope "key_usage"). Sites are where the caller places a finding; rules never look inside them."""

    key: str  # the key's identity: "<template>#<logical id>" for a key in view, else the key ARN
    key_name: str  # the key as a reviewer reads it
    user: str  # the resource, as a reviewer reads it
    owner: str | None  # the resource's isolation tag value (Settings.isolation_tag); None: untagged
    site: Any  # where a finding about this use goes
    key_site: Any | None = None  # where a finding about the key goes; None: the key itself is not in view
    owner_unknown: bool = False  # the tag could not be told (computed, unreadable): `owner` then says why


Check = Callable[["Resource", RuleContext], Iterable[Finding]]
# The live check: what AWS's APIs said about a deployed resource (live_verdict.LiveSubject) -> problems.
LiveCheck = Callable[["LiveSubject", "Settings"], Iterable["Problem"]]
# Rules of scope "key_usage" judge every key use of a scan (or of an account-region, live) at once:
# (uses, settings) -> (site, property, message) per finding; their `check` and `live` are such functions. A key's
# verdict rests on its own uses alone, in the order given: the scan judges a key once no later template can use it.
KeyUsageCheck = Callable[[Sequence[KeyUse], "Settings"], Iterable[tuple[Any, str, str]]]
# The Guard rendering: settings -> Guard rule blocks whose rule names start with the rule's short name.
GuardRendering = Callable[["Settings"], list[str]]

# Where a rule is enforced. synth and scan run its template check (the same engine); config (the
# Config rule's Lambda) and audit run its live check (the same live judge); guard is the Guard hook.
POINTS = ("synth", "scan", "guard", "config", "audit")
_SERVED_BY = {"synth": "check", "scan": "check", "guard": "guard", "config": "live", "audit": "live"}


@dataclass(frozen=True)
class Problem:
    """One live problem: the catalog id (granular where relevant), what is wrong, and the reason of the
    acknowledgment (exception tag) that accepts it, if any."""

    rule_id: str
    message: str
    exception: str | None = None


@dataclass(frozen=True)
class Rule:
    """A catalog entry. `scope` is "resource" (governed resources), "key" (AWS::KMS::Key), "key_usage"
    (how keys are shared among governed resources: `check` and `live` are KeyUsageCheck functions) or
    "acknowledgment" (judges acknowledgments, not resources).

    Every enforcement point (POINTS) is either served (`check` for synth and scan, `live` for config
    and audit, `guard` for the Guard hook) or named in `exempt` with the reason it cannot be served;
    tests/rules/test_catalog.py fails for a point that is neither.
    """

    id: str
    title: str
    explanation: str
    remediation: str
    resource_types: tuple[str, ...]
    check: Check | None
    scope: str = "resource"
    severity: Severity = Severity.ERROR
    details: tuple[str, ...] = ()  # granular ids the template check can report, for the catalog test and docs
    live: LiveCheck | None = None
    guard: GuardRendering | None = None
    exempt: Mapping[str, str] = field(default_factory=dict, compare=False)  # enforcement point -> why it cannot serve it
    live_details: tuple[str, ...] = ()  # granular ids only the live check reports ([Unverifiable], [KeyNotEnabled])
    live_types: tuple[str, ...] = ()  # types only the live side sees (no CloudFormation type)
    coverage: bool = False  # an error finding of this rule means "not on a CMK" for the coverage KPIs
    # Scope "meta" (what a scan could not examine): per template, (template, assembly) -> (finding, resource it
    # is about or None); per export name defined by several scanned templates, (template, output id, name, others).
    template_check: Callable[..., Iterable[tuple[Finding, Any]]] | None = None
    export_check: Callable[[str, str, str, list[str]], Finding] | None = None

    def applies_live(self, resource_type: str) -> bool:
        return resource_type in self.resource_types or resource_type in self.live_types

    @property
    def short_name(self) -> str:
        """The id without the pack prefix: Guard rule names start with it."""
        return self.id.removeprefix(PREFIX)

    def served(self, point: str) -> bool:
        return getattr(self, _SERVED_BY[point]) is not None

    @property
    def enforcement(self) -> dict[str, bool | str | None]:
        """Per point: True (served), the exemption's reason, or None (neither: a catalog error)."""
        return {point: True if self.served(point) else self.exempt.get(point) for point in POINTS}

    def finding_like(self, other: Finding, prop: str, message: str) -> Finding:
        """A finding of this rule at another finding's place (AcknowledgmentReason beside the finding it concerns)."""
        return replace(other, rule_id=self.id, severity=self.severity, property=prop, message=message,
                       remediation=self.remediation)

    def finding(self, resource: "Resource", prop: str, message: str, *, detail: str | None = None,
                severity: Severity | None = None, remediation: str | None = None) -> Finding:
        return Finding(
            # Shared strings: a scan holds every finding, and these repeat (a parsed type is a fresh copy each time).
            rule_id=sys.intern(f"{self.id}[{detail}]") if detail else self.id,
            severity=severity or self.severity,
            template=resource.template.path,
            logical_id=resource.logical_id,
            resource_type=sys.intern(str(resource.type)),
            property=prop,
            message=message,
            remediation=remediation or self.remediation,
            path=resource.cdk_path,
        )
