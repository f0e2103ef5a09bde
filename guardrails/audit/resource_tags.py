"""A resource's own tags, for the exception tag (Settings.exception_tag): the shared inventory's tag
reader (guardrails/live_inventory.read_tags) with the audit's clients. DataZone's GetDomain returns a
domain's tags, so no call is made for domains; the other kinds call their service's
ListTagsForResource, only for a resource that is NON_COMPLIANT. Data sources take their knowledge base's tags.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from guardrails.audit.model import Resource
from guardrails.live_inventory import DATA_SOURCE_TYPE, SOURCES_BY_TYPE, LiveResource, read_tags

ClientFor = Callable[[str, str, str], Any]  # (service, region, account) -> client


def tags_of(resource: Resource, client_for: ClientFor) -> Mapping[str, str] | None:
    """The resource's tags; raises what ListTagsForResource raises. None for a kind without tags."""
    if resource.tags is not None:
        return resource.tags
    source = SOURCES_BY_TYPE.get(resource.resource_type) or SOURCES_BY_TYPE.get(
        "AWS::Bedrock::KnowledgeBase" if resource.resource_type == DATA_SOURCE_TYPE else "")
    if source is None:
        return None
    parent = resource.arn.split("/data-source/", 1)[0] if resource.resource_type == DATA_SOURCE_TYPE else None
    live = LiveResource(resource.resource_type, resource.arn, resource.key, arn=resource.arn, tags_of=parent)
    return read_tags(live, client_for(source.service, resource.region, resource.account))
