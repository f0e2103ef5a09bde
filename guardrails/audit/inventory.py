"""The audit's view of the shared live inventory (guardrails/live_inventory.py): one Kind per source,
whose lister turns live resources into audit Resources of one account-region.

A lister yields Resource objects, or NotEvaluated for a part it could not read (one resource whose Get
failed, the data sources of one knowledge base), and raises when the whole kind is unreadable; the
runner records that as not evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator

from guardrails.audit.errors import describe_error
from guardrails.audit.model import NotEvaluated, Resource, Scope
from guardrails.live_inventory import KNOWLEDGE_BASES, SOURCES, LiveResource, Source, data_sources, read, summaries

Item = Resource | NotEvaluated


def _resource(live: LiveResource, scope: Scope) -> Resource:
    return Resource(live.resource_type, live.arn or live.resource_id, live.name or live.resource_id, scope.account, scope.region,
                    live.key, workspace=live.workspace, applicable=live.applicable, tags=live.tags)


def _lister(source: Source) -> Callable[[Any, Scope], Iterator[Item]]:
    def lister(client: Any, scope: Scope) -> Iterator[Item]:
        for summary in summaries(source, client):  # a List failure raises: the whole kind is not evaluated
            if source.skip(summary):
                continue
            live = read(source, client, summary)
            if live is None:
                continue
            if live.error:
                yield NotEvaluated(scope.account, scope.region, f"{source.resource_type} {live.resource_id}", live.error)
                continue
            yield _resource(live, scope)
            if source is KNOWLEDGE_BASES:
                yield from _data_sources(client, scope, live)
    return lister


def _data_sources(client: Any, scope: Scope, kb: LiveResource) -> Iterator[Item]:
    try:
        for live in data_sources(client, kb):
            yield _resource(live, scope)
    except Exception as exc:  # noqa: BLE001 - one KB's data sources failing must not hide the rest
        yield NotEvaluated(scope.account, scope.region, f"AWS::Bedrock::DataSource of {kb.name}", describe_error(exc))


@dataclass(frozen=True)
class Kind:
    name: str
    service: str
    lister: Callable[[Any, Scope], Iterator[Item]]


KINDS: tuple[Kind, ...] = tuple(Kind(s.resource_type, s.service, _lister(s)) for s in SOURCES)
