"""A resource's own tags, for the exception tag (Settings.exception_tag).

DataZone's GetDomain returns a domain's tags, so the inventory keeps them on the Resource. The Bedrock
kinds' Get* calls do not: their tags come from the service's ListTagsForResource (bedrock-agent:
agents, knowledge bases, flows, prompts; bedrock: guardrails, custom models), read only for a
resource that is NON_COMPLIANT. Data sources are not taggable: they take their knowledge base's tags.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from guardrails.audit.model import Resource

ClientFor = Callable[[str, str, str], Any]  # (service, region, account) -> client


def _agent_api(client: Any, arn: str) -> dict[str, str]:
    return dict(client.list_tags_for_resource(resourceArn=arn).get("tags") or {})


def _bedrock_api(client: Any, arn: str) -> dict[str, str]:
    return {t["key"]: t["value"] for t in client.list_tags_for_resource(resourceARN=arn).get("tags") or []}


def _knowledge_base_of(data_source_arn: str) -> str:
    return data_source_arn.split("/data-source/", 1)[0]


# resource type -> (service, ListTagsForResource reader, the ARN whose tags apply)
READERS: dict[str, tuple[str, Callable[[Any, str], dict[str, str]], Callable[[str], str]]] = {
    "AWS::Bedrock::Agent": ("bedrock-agent", _agent_api, str),
    "AWS::Bedrock::KnowledgeBase": ("bedrock-agent", _agent_api, str),
    "AWS::Bedrock::DataSource": ("bedrock-agent", _agent_api, _knowledge_base_of),
    "AWS::Bedrock::Flow": ("bedrock-agent", _agent_api, str),
    "AWS::Bedrock::Prompt": ("bedrock-agent", _agent_api, str),
    "AWS::Bedrock::Guardrail": ("bedrock", _bedrock_api, str),
    "Bedrock::CustomModel": ("bedrock", _bedrock_api, str),
}


def tags_of(resource: Resource, client_for: ClientFor) -> Mapping[str, str] | None:
    """The resource's tags; raises what ListTagsForResource raises. None for a kind without tags."""
    if resource.tags is not None:
        return resource.tags
    reader = READERS.get(resource.resource_type)
    if reader is None:
        return None
    service, api, arn_of = reader
    return api(client_for(service, resource.region, resource.account), arn_of(resource.arn))
