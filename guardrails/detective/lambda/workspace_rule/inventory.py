"""What exists in this account and region, and which key each resource names.

ListDomains summaries carry no key, so every domain costs a GetDomain; the Bedrock resources the
managed Config rules do not evaluate (agents, flows, prompts, guardrails) are listed and read the
same way. A resource that vanishes between List and Get has gone; any other Get failure is kept
as `error`, so the resource is judged NON_COMPLIANT with the reason instead of skipped. The Get
response also gives the resource's ARN and, for DataZone, its tags (see accepted_exceptions.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator

from botocore.exceptions import ClientError

GONE_STATUSES = frozenset({"DELETING", "DELETED"})


@dataclass(frozen=True)
class Resource:
    resource_type: str
    resource_id: str
    key: str | None
    workspace: bool
    error: str | None = None  # why the key could not be read
    arn: str | None = None
    tags: dict[str, str] | None = None  # from the Get response, where the service puts tags there


@dataclass(frozen=True)
class Source:
    """One kind of resource: how to list it and where its Get response names the key."""

    resource_type: str
    client: str  # attribute of Clients
    list_method: str
    list_items: str
    id_field: str
    get_method: str
    get_param: str
    key_path: tuple[str, ...]
    arn_path: tuple[str, ...]
    workspace: bool = False
    status_field: str = "status"
    tags_path: tuple[str, ...] | None = None  # where the Get response has the tags (a map); None: ListTagsForResource
    tags_param: str = "resourceArn"  # ListTagsForResource's ARN parameter (Bedrock spells it resourceARN)


WORKSPACES = Source("AWS::DataZone::Domain", "datazone", "list_domains", "items", "id", "get_domain", "identifier",
                    ("kmsKeyIdentifier",), ("arn",), workspace=True, tags_path=("tags",))
BEDROCK = (
    Source("AWS::Bedrock::Agent", "bedrock_agent", "list_agents", "agentSummaries", "agentId", "get_agent", "agentId",
           ("agent", "customerEncryptionKeyArn"), ("agent", "agentArn"), status_field="agentStatus"),
    Source("AWS::Bedrock::Flow", "bedrock_agent", "list_flows", "flowSummaries", "id", "get_flow", "flowIdentifier",
           ("customerEncryptionKeyArn",), ("arn",)),
    Source("AWS::Bedrock::Prompt", "bedrock_agent", "list_prompts", "promptSummaries", "id", "get_prompt", "promptIdentifier",
           ("customerEncryptionKeyArn",), ("arn",)),
    Source("AWS::Bedrock::Guardrail", "bedrock", "list_guardrails", "guardrails", "id", "get_guardrail", "guardrailIdentifier",
           ("kmsKeyArn",), ("guardrailArn",), tags_param="resourceARN"),
)
SOURCES = (WORKSPACES, *BEDROCK)


class ListingFailed(Exception):
    """The List call failed: nothing of this type can be judged, and nothing of it has 'gone'."""

    def __init__(self, source: Source, error: str):
        super().__init__(f"{source.list_method} failed ({error})")
        self.source = source
        self.error = error


def error_text(exc: ClientError) -> str:
    err = exc.response.get("Error", {})
    return f"{err.get('Code', 'Error')}: {err.get('Message', '')}".strip()


def list_resources(source: Source, client: Any) -> list[Resource]:
    """Every live resource of `source`'s type with its key; raises ListingFailed when listing fails."""
    try:
        summaries = list(_summaries(source, client))
    except ClientError as exc:
        raise ListingFailed(source, error_text(exc)) from exc
    resources = []
    for summary in summaries:
        if str(summary.get(source.status_field, "")).upper() in GONE_STATUSES:
            continue
        resource = _read(source, getattr(client, source.get_method), summary[source.id_field])
        if resource is not None:
            resources.append(resource)
    return resources


def _summaries(source: Source, client: Any) -> Iterator[dict[str, Any]]:
    for page in client.get_paginator(source.list_method).paginate():
        yield from page.get(source.list_items, [])


def _read(source: Source, get: Callable[..., Any], resource_id: str) -> Resource | None:
    try:
        response = get(**{source.get_param: resource_id})
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return None  # deleted between List and Get
        return Resource(source.resource_type, resource_id, None, source.workspace, error=f"{source.get_method} failed ({error_text(exc)})")
    if str(response.get(source.status_field, "")).upper() in GONE_STATUSES:
        return None
    tags = _dig(response, source.tags_path) if source.tags_path else None
    return Resource(source.resource_type, resource_id, _dig(response, source.key_path) or None, source.workspace,
                    arn=_dig(response, source.arn_path), tags=dict(tags or {}) if source.tags_path else None)


def _dig(response: Any, path: tuple[str, ...]) -> Any:
    value = response
    for step in path:
        value = value.get(step) if isinstance(value, dict) else None
    return value
