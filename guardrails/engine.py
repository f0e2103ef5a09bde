"""The scan engine: one verdict for the same resource at every enforcement point.

`guardrails scan` and the synth-time plugin both call `scan`. Templates are processed one at a time
and dropped (memory stays bounded); what outlives a template is small: its exports (already resolved
to key targets), the key findings waiting to learn whether the key protects a governed resource, the
resources that import a key (judged at the end, once every export is known: a name exported by two
templates is then judged on both, whatever the file order), and the key uses of keys another template
may still use (exported ones, literal ARNs). A key no later template can reach is judged at the end of
its template's turn and its bookkeeping dropped, so compliant resources cost nothing after their turn.
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable

from guardrails.acknowledgments import Acknowledgment, most_specific
from guardrails.cloud_assembly import TemplateSource
from guardrails.errors import GuardrailsInputError
from guardrails.key_reference import KeyResolver, KeyTarget
from guardrails.rules import (ACKNOWLEDGMENT_RULES, CATALOG, KEY_RULES, KEY_USAGE_RULES, META_RULES, RESOURCE_RULES, RULES_BY_ID,
                              Finding, RuleContext, Severity)
from guardrails.memo import BoundedMemo
from guardrails.rules.base import MEMO_ENTRIES, KeyUse
from guardrails.rules.governed_types import GOVERNED_TYPES, KEY_TYPES, WORKSPACE_TYPE
from guardrails.rules.ownership_tags import tag_values
from guardrails.settings import Settings
from guardrails.template import Resource, Template, template_acknowledgments

_JUDGED_TYPES = tuple(sorted(GOVERNED_TYPES | set(KEY_TYPES)))  # what the scan looks at resource by resource
_RULES_BY_TYPE: dict[str, tuple] = {}
for _rule in RESOURCE_RULES:
    for _type in _rule.resource_types:
        _RULES_BY_TYPE[_type] = _RULES_BY_TYPE.get(_type, ()) + (_rule,)


@dataclass(slots=True)
class Exception_:
    """An acknowledged finding and the acknowledgment that covers it."""

    finding: Finding
    acknowledgment: Acknowledgment


@dataclass
class ScanReport:
    findings: list[Finding] = field(default_factory=list)  # active: not acknowledged
    exceptions: list[Exception_] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why) for non-templates in directory walks
    errors: list[GuardrailsInputError] = field(default_factory=list)
    resources: int = 0
    workspaces: int = 0
    workspaces_cmk: int = 0
    bedrock_resources: int = 0
    bedrock_resources_cmk: int = 0

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def kpis(self) -> dict:
        return {
            "workspaces": self.workspaces,
            "workspaces_cmk": self.workspaces_cmk,
            "cmk_coverage_pct": _pct(self.workspaces_cmk, self.workspaces),
            "bedrock_resources": self.bedrock_resources,
            "bedrock_resources_cmk": self.bedrock_resources_cmk,
            "bedrock_cmk_coverage_pct": _pct(self.bedrock_resources_cmk, self.bedrock_resources),
            "exceptions": len(self.exceptions),
        }

    def summary(self) -> dict:
        return {
            "templates": len(self.templates),
            "resources": self.resources,
            "errors": self.count(Severity.ERROR),
            "warnings": self.count(Severity.WARNING),
            "info": self.count(Severity.INFO),
            "not_examined": sum(1 for f in self.findings if RULES_BY_ID[f.base_rule_id].scope == "meta"),
            "acknowledged": [{"rule_id": e.finding.rule_id, "template": e.finding.template, "logical_id": e.finding.logical_id,
                              "path": e.finding.path, "reason": e.acknowledgment.reason, "source": e.acknowledgment.source}
                             for e in self.exceptions],
            "skipped": [{"file": path, "why": why} for path, why in self.skipped],
        }


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


class _Exports:
    """Export name -> resolved key targets (for arn_required False/True), filled as templates are read."""

    def __init__(self) -> None:
        self.targets: dict[tuple[str, bool], list[KeyTarget]] = {}
        self.exported_keys: set[tuple[str, str]] = set()  # keys another template may import later
        self.exporters: dict[str, list[tuple[str, str]]] = {}  # name -> (template path, output id), in scan order

    def add(self, template: Template) -> None:
        resolver = KeyResolver(template, self.lookup)
        for output_id, output in template.outputs().items():
            export = output.get("Export") if isinstance(output, dict) else None
            if not isinstance(export, dict):
                continue
            name = resolver.render(export.get("Name"))
            if name is None:
                continue
            if template.stack_name:
                name = name.replace("${AWS::StackName}", template.stack_name)
            exporters = self.exporters.setdefault(name, [])
            again = any(path != template.path for path, _ in exporters)  # a name exported twice: every value counts
            exporters.append((template.path, output_id))
            for arn_required in (False, True):
                targets = resolver.resolve(output.get("Value"), arn_required=arn_required)
                self.targets[(name, arn_required)] = self.targets[(name, arn_required)] + targets if again else targets
                self.exported_keys.update((t.template, t.logical_id) for t in targets if t.template and t.logical_id)

    def lookup(self, name: str, arn_required: bool) -> list[KeyTarget] | None:
        return self.targets.get((name, arn_required))


class _Scan:
    def __init__(self, settings: Settings, display: Callable[[str], str]):
        self.settings = settings
        self.display = display
        self.report = ScanReport()
        self.exports = _Exports()
        self.protected: set[tuple[str, str]] = set()
        self.pending_keys: dict[tuple[str, str], list[tuple[Finding, list[Acknowledgment]]]] = {}
        self.deferred: list[tuple[Template, TemplateSource, str]] = []
        self.open_paths: set[str] = set()  # templates with deferred resources: their keys get uses until the end
        self.repeated: set[str] = set()  # source paths given more than once: their keys' uses add up across turns
        # Which customer-managed key each governed resource uses, for key_usage rules: only uses of keys a later
        # template may still use; the others are judged at the end of their template's turn (_close_turn).
        self.key_uses: list[KeyUse] = []
        self.uses_noted = 0  # every use's number (its site), in scan order: key_usage findings keep that order
        # Where key_usage findings go: a KeyUse's site keys use_sites; key_sites holds the keys in view. Each keeps
        # a finding's place (not the Resource, whose Template would then outlive its turn: memory stays bounded).
        self.use_sites: dict[int, tuple[_Site, list[Acknowledgment]]] = {}
        self.key_sites: dict[tuple[str, str], tuple[_Site, list[Acknowledgment]]] = {}
        # key_usage findings with their place in the order one judgment of every use at the end would give
        self.key_usage_findings: list[tuple[tuple[int, int, int], Finding, list[Acknowledgment]]] = []
        self._ctx: RuleContext | None = None
        self.memo = BoundedMemo(MEMO_ENTRIES)  # verdicts checks reuse within this scan (RuleContext.memoised)

    def template(self, source: TemplateSource) -> None:
        try:
            template = source.load()
        except GuardrailsInputError as error:
            if not source.explicit and error.message.startswith("not a CloudFormation template"):
                self.report.skipped.append((self.display(source.path), error.message))
            else:
                self.report.errors.append(error)
            return
        self.report.templates.append(self.display(template.path))
        self.exports.add(template)
        template_acks = template_acknowledgments(template)
        for rule in META_RULES:  # what the template deploys but this scan cannot see
            for finding, about in rule.template_check(template, source.assembly):
                self._emit(self._located(finding, about) if about else replace(finding, template=self.display(finding.template)),
                           self._acks(about, source, template_acks) if about else template_acks)
        keys = []
        first_use = len(self.key_uses)
        self.report.resources += template.resource_count()
        for resource in template.resources(*_JUDGED_TYPES):  # the others are counted, never walked
            if resource.type in GOVERNED_TYPES:
                self._governed(resource, source, template_acks, final=False)
            elif resource.type in KEY_TYPES:
                keys.append(resource)
        for resource in keys:  # after the governed resources, so that protection inside the template is known
            self._key(resource, source, template_acks)
        if source.path not in self.repeated:
            self._close_turn([(r.template.path, r.logical_id) for r in keys], first_use)
        self._ctx = None  # its resolver holds the template; dropped now, its memory serves the next parse

    def _closed(self, key: tuple[str, str] | None) -> bool:
        """Whether a key in view can get no more uses: only its own template reaches it (Ref, GetAtt) unless it
        is exported, and its template's turn is over unless resources of it wait for the end (deferred)."""
        return key is not None and key not in self.exports.exported_keys and key[0] not in self.open_paths

    def _close_turn(self, keys: list[tuple[str, str]], first_use: int) -> None:
        """Judge the key uses of the keys this turn closed and drop their bookkeeping: every use of them is known."""
        turn = self.key_uses[first_use:]
        del self.key_uses[first_use:]
        closed = []
        for use in turn:
            (closed if self._closed(use.key_site) else self.key_uses).append(use)
        self._judge_key_usage(closed)
        for use in closed:
            del self.use_sites[use.site]
        for key in filter(self._closed, keys):
            self.key_sites.pop(key, None)
            if self.pending_keys.get(key) and (key in self.protected or self.settings.check_all_keys):
                continue  # findings to emit at the end, as the key's protection is already known
            self.pending_keys.pop(key, None)
            self.protected.discard(key)

    def _context(self, template: Template) -> RuleContext:
        """One context per template (a resolver per resource cost more than the rules); fresh import tracking."""
        if self._ctx is None or self._ctx.resolver.template is not template:
            self._ctx = RuleContext(self.settings, KeyResolver(template, self.exports.lookup), self.protected,
                                    memo=self.memo)  # one memo per scan
        self._ctx.resolver.missing_exports.clear()
        self._ctx.resolver.imports_used.clear()
        return self._ctx

    def _governed(self, resource: Resource, source: TemplateSource, template_acks, *, final: bool) -> None:
        ctx = self._context(resource.template)
        ctx.used_keys.clear()
        findings = [f for rule in _RULES_BY_TYPE.get(resource.type, ()) for f in rule.check(resource, ctx)]
        if ctx.resolver.imports_used and not final:  # judged once every export is known: order-independent
            self.deferred.append((resource.template, source, resource.logical_id))
            self.open_paths.add(resource.template.path)
            return
        acks = self._acks(resource, source, template_acks)
        self._note_key_uses(resource, ctx, acks)
        failed_cmk = False
        for finding in findings:
            self._emit(self._located(finding, resource), acks)
            failed_cmk |= finding.severity is Severity.ERROR and RULES_BY_ID[finding.base_rule_id].coverage
        if resource.type == WORKSPACE_TYPE:
            self.report.workspaces += 1
            self.report.workspaces_cmk += not failed_cmk
        else:
            self.report.bedrock_resources += 1
            self.report.bedrock_resources_cmk += not failed_cmk

    def _note_key_uses(self, resource: Resource, ctx: RuleContext, acks: list[Acknowledgment]) -> None:
        value = tag_values(resource.properties.get("Tags")).get(self.settings.isolation_tag)
        # A value computed by intrinsics is unknown until deploy: it may be another team's.
        owner, unknown = (value or None, False) if value is None or isinstance(value, str) else ("computed tag", True)
        for target, prop in dict.fromkeys(ctx.used_keys):
            in_view = target.template is not None and target.logical_id is not None
            key = f"{target.template}#{target.logical_id}" if in_view else target.reason
            name = (f"key {target.logical_id} ({self.display(target.template)})" if in_view else target.reason)
            site = self.uses_noted
            self.uses_noted += 1
            self.use_sites[site] = (_Site.of(resource), acks)
            self.key_uses.append(KeyUse(key, name, f"{resource.type} {resource.logical_id}", owner,
                                        site=site, owner_unknown=unknown,
                                        key_site=(target.template, target.logical_id) if in_view else None))

    def _key(self, resource: Resource, source: TemplateSource, template_acks) -> None:
        ctx = self._context(resource.template)
        key = (resource.template.path, resource.logical_id)
        tag_key, tag_value = self.settings.workspace_key_tag
        if tag_values(resource.properties.get("Tags")).get(tag_key) == tag_value:
            self.protected.add(key)  # tagged as a workspace key: governed wherever it is used
        if not (key in self.protected or key in self.exports.exported_keys or self.settings.check_all_keys):
            return  # nothing protects it, and no later template can import it
        acks = self._acks(resource, source, template_acks)
        self.key_sites[key] = (_Site.of(resource), acks)
        self.pending_keys[key] = [(self._located(f, resource), acks) for rule in KEY_RULES
                                  if resource.type in rule.resource_types for f in rule.check(resource, ctx)]

    def _located(self, finding: Finding, resource: Resource) -> Finding:
        return finding.placed(self.display(finding.template), resource.template.line_of(resource.logical_id))

    def _acks(self, resource: Resource, source: TemplateSource, template_acks) -> list[Acknowledgment]:
        acks = resource.acknowledgments() + template_acks
        if source.assembly is not None:
            acks += source.assembly.acknowledgments_for(resource.cdk_path)
        return acks

    def _emit(self, finding: Finding, acks: list[Acknowledgment]) -> None:
        ack = most_specific(finding.rule_id, acks)
        if ack is None or finding.severity is Severity.INFO:
            self.report.findings.append(finding)
            return
        refusals = [f for rule in ACKNOWLEDGMENT_RULES if (f := rule.check(finding, ack)) is not None]
        if refusals:
            self.report.findings.extend([finding, *refusals])
        else:
            self.report.exceptions.append(Exception_(finding, ack))

    def _judge_key_usage(self, uses: list[KeyUse]) -> None:
        """Rules that judge how keys are shared see every use of a key at once (a key's verdict rests on its own
        uses: KeyUsageCheck); findings are kept in the order one judgment of all the scan's uses gives."""
        by_key: dict[str, list[KeyUse]] = {}
        for use in uses:
            # A key whose resource was never judged here (not a governed use, e.g. a replica's primary) is not in view.
            by_key.setdefault(use.key, []).append(use if use.key_site in self.key_sites else replace(use, key_site=None))
        for rule_index, rule in enumerate(KEY_USAGE_RULES):
            for key_uses in by_key.values():
                for n, (site, prop, message) in enumerate(rule.check(key_uses, self.settings)):
                    place, acks = self.key_sites[site] if site in self.key_sites else self.use_sites[site]
                    finding = Finding(rule_id=rule.id, severity=rule.severity, template=self.display(place.template),
                                      logical_id=place.logical_id, resource_type=place.resource_type, property=prop,
                                      message=message, remediation=rule.remediation, path=place.cdk_path, line=place.line)
                    self.key_usage_findings.append(((rule_index, key_uses[0].site, n), finding, acks))

    def _key_usage(self) -> None:
        self._judge_key_usage(self.key_uses)
        self.key_usage_findings.sort(key=lambda judged: judged[0])
        for _, finding, acks in self.key_usage_findings:
            self._emit(finding, acks)

    def finish(self) -> ScanReport:
        for template, source, logical_id in self.deferred:
            resource = template.resource(logical_id)
            if resource is not None:
                self._governed(resource, source, template_acknowledgments(template), final=True)
        self.deferred.clear()
        for name, exporters in self.exports.exporters.items():
            files = sorted({self.display(path) for path, _ in exporters})
            if len(files) > 1 and "${" not in name:
                for path, output_id in exporters:
                    shown = self.display(path)
                    for rule in META_RULES:
                        self._emit(rule.export_check(shown, output_id, name, [f for f in files if f != shown]), [])
        for key, findings in self.pending_keys.items():
            if key in self.protected or self.settings.check_all_keys:
                for finding, acks in findings:
                    self._emit(finding, acks)
        self._key_usage()
        order = {rule.id: i for i, rule in enumerate(CATALOG)}
        self.report.findings.sort(key=lambda f: (f.template, f.line or 0, f.logical_id, order.get(f.base_rule_id, 99), f.rule_id))
        return self.report


@dataclass(frozen=True, slots=True)
class _Site:
    """Where a finding about a resource goes, without the resource (or its template)."""

    template: str
    logical_id: str
    resource_type: str
    cdk_path: str | None
    line: int | None

    @classmethod
    def of(cls, resource: Resource) -> "_Site":
        return cls(resource.template.path, resource.logical_id, resource.type, resource.cdk_path,
                   resource.template.line_of(resource.logical_id))


def scan(sources: Iterable[TemplateSource], settings: Settings | None = None, *, relative_to: str | None = None) -> ScanReport:
    """Evaluate every template; input errors are collected in `report.errors`, not raised."""
    base = relative_to or os.getcwd()

    @functools.lru_cache(maxsize=None)
    def display(path: str) -> str:
        relative = os.path.relpath(path, base)
        return path if relative.startswith("..") else relative

    run = _Scan(settings or Settings(), display)
    sources = list(sources)
    run.repeated = {path for path, times in Counter(source.path for source in sources).items() if times > 1}
    for source in sources:
        run.template(source)
    return run.finish()
