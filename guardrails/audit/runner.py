"""Fan an audit out over account-regions on a bounded thread pool and collect what each scope found.

A failure stays inside its scope: an account whose role cannot be assumed, a region without the
service, a resource kind the endpoint does not offer; each becomes a NotEvaluated entry. Ctrl-C
cancels what has not started and returns what was gathered, marked interrupted.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Callable, Iterable, Mapping

from guardrails.audit.clients import ClientFactory
from guardrails.audit.errors import describe_error
from guardrails.audit.evaluate import findings_for, needs_key_facts, problem_findings
from guardrails.audit.inventory import KINDS, Kind
from guardrails.audit.model import COMPLIANT, AuditResult, NotEvaluated, Resource, Scope
from guardrails.audit.resource_tags import tags_of
from guardrails.live_key_facts import KeyFactsCache
from guardrails.live_verdict import LiveKeyFacts, key_identity, key_usage_problems
from guardrails.settings import Settings

log = logging.getLogger(__name__)


class Auditor:
    def __init__(self, factory: ClientFactory, settings: Settings, accounts: Iterable[str], *,
                 kinds: tuple[Kind, ...] = KINDS):
        self.factory = factory
        self.settings = settings
        self.kinds = kinds
        self.stop = threading.Event()
        # Keys owned by an audited account are read with that account's credentials.
        # Any failure is recorded: the audit goes on and the verdict fails closed on that fact.
        self.keys = KeyFactsCache(lambda account, region: factory.client("kms", region, account), set(accounts),
                                  describe_error=describe_error, catch=(Exception,))

    def audit_scope(self, scope: Scope) -> AuditResult:
        result = AuditResult(scopes=[scope])
        judged: dict[Resource, LiveKeyFacts | None] = {}
        for kind in self.kinds:
            if self.stop.is_set():
                result.not_evaluated.append(NotEvaluated(scope.account, scope.region, kind.name, "interrupted"))
                continue
            try:
                client = self.factory.client(kind.service, scope.region, scope.account)
                for item in kind.lister(client, scope):
                    if isinstance(item, NotEvaluated):
                        result.not_evaluated.append(item)
                    else:
                        judged[item] = self._facts(item)
                        result.findings.extend(findings_for(item, judged[item], self.settings,
                                                            lambda item=item: self._tags(item, result)))
            except Exception as exc:  # noqa: BLE001 - recorded; the run goes on
                log.info("%s %s not evaluated: %s", scope, kind.name, exc)
                result.not_evaluated.append(NotEvaluated(scope.account, scope.region, kind.name, describe_error(exc)))
        if not self.stop.is_set():
            self._key_usage(judged, result)
        return result

    def _facts(self, resource: Resource) -> LiveKeyFacts | None:
        return self.keys.facts(resource.key, resource.account, resource.region) if needs_key_facts(resource) else None

    def _key_usage(self, judged: dict[Resource, LiveKeyFacts | None], result: AuditResult) -> None:
        """The rules that judge how keys are shared, over this account-region: a shared resource's COMPLIANT
        finding gives way to the problems."""
        on_cmk = {f.resource for f in result.findings if f.on_cmk}
        tags: dict[Resource, Mapping[str, str] | None] = {}

        def tags_of_resource(resource: Resource) -> Mapping[str, str] | None:
            tags[resource] = self._tags(resource, result)
            return tags[resource]

        problems = key_usage_problems(
            judged, lambda r: key_identity(r.key, judged[r]) if r.arn in on_cmk else None, tags_of_resource,
            lambda r: f"{r.resource_type} {r.name}", self.settings)
        for resource, found in problems.items():
            was_on_cmk = resource.arn in on_cmk
            result.findings = [f for f in result.findings if not (f.resource == resource.arn and f.status == COMPLIANT)]
            result.findings.extend(problem_findings(resource, found, was_on_cmk, tags.get(resource), self.settings))

    def _tags(self, resource: Resource, result: AuditResult):
        """The resource's tags for the exception tag; unreadable tags leave the finding open, and say so."""
        try:
            return tags_of(resource, lambda service, region, account: self.factory.client(service, region, account))
        except Exception as exc:  # noqa: BLE001 - recorded; the finding stays open
            result.not_evaluated.append(NotEvaluated(resource.account, resource.region,
                                                     f"{self.settings.exception_tag} tag of {resource.arn}", describe_error(exc)))
            return None

    def run(self, scopes: list[Scope], max_workers: int,
            on_scope_done: Callable[[Scope, AuditResult], None] | None = None) -> AuditResult:
        total = AuditResult()
        executor = ThreadPoolExecutor(max_workers=max(1, max_workers), thread_name_prefix="audit")
        futures: dict[Future, Scope] = {executor.submit(self.audit_scope, scope): scope for scope in scopes}
        collected: set[Future] = set()
        try:
            pending = set(futures)
            while pending:
                # A timeout keeps the main thread responsive to Ctrl-C while it waits.
                done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                for future in done:
                    collected.add(future)
                    total.extend(future.result())
                    if on_scope_done:
                        on_scope_done(futures[future], future.result())
        except KeyboardInterrupt:
            self.stop.set()  # running scopes stop at their next resource kind
            total.interrupted = True
            for future, scope in futures.items():
                if future in collected:
                    continue
                if future.done() and not future.cancelled():
                    total.extend(future.result())
                else:
                    total.not_evaluated.append(NotEvaluated(scope.account, scope.region, "*", "interrupted (Ctrl-C)"))
        finally:
            executor.shutdown(wait=not total.interrupted, cancel_futures=True)
        return total
