"""What lives in one account-region: workspaces and Bedrock resources with the key each API reports.

ListDomains and the Bedrock List* calls do not return keys, so each resource is read with its Get*
call. Field paths come from the botocore service models (datazone GetDomain.kmsKeyIdentifier,
bedrock-agent GetAgent.agent.customerEncryptionKeyArn, ...). A lister yields Resource objects, or
NotEvaluated for a part it could not read (data sources of one knowledge base), and raises when the
whole kind is unreadable; the runner records that as not evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator

from guardrails.audit.errors import describe_error
from guardrails.audit.model import NotEvaluated, Resource, Scope

Item = Resource | NotEvaluated


def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[dict]:
    for page in client.get_paginator(operation).paginate(**kwargs):
        yield from page.get(key, [])


def _dig(data: Any, *path: str) -> Any:
    for step in path:
        data = data.get(step) if isinstance(data, dict) else None
    return data


def domains(client: Any, scope: Scope) -> Iterator[Item]:
    for summary in _pages(client, "list_domains", "items"):
        domain = client.get_domain(identifier=summary["id"])
        version = domain.get("domainVersion", summary.get("domainVersion", "V1"))
        yield Resource("AWS::DataZone::Domain", domain.get("arn", summary["arn"]), f"{summary['name']} ({version})",
                       scope.account, scope.region, domain.get("kmsKeyIdentifier"), workspace=True,
                       tags=domain.get("tags") or {})


def agents(client: Any, scope: Scope) -> Iterator[Item]:
    for summary in _pages(client, "list_agents", "agentSummaries"):
        agent = client.get_agent(agentId=summary["agentId"])["agent"]
        yield Resource("AWS::Bedrock::Agent", agent["agentArn"], agent["agentName"], scope.account, scope.region,
                       agent.get("customerEncryptionKeyArn"))


def knowledge_bases(client: Any, scope: Scope) -> Iterator[Item]:
    for summary in _pages(client, "list_knowledge_bases", "knowledgeBaseSummaries"):
        kb = client.get_knowledge_base(knowledgeBaseId=summary["knowledgeBaseId"])["knowledgeBase"]
        managed = _dig(kb, "knowledgeBaseConfiguration", "managedKnowledgeBaseConfiguration")
        # Only managed knowledge bases hold data themselves; a vector KB's data is in its vector store.
        yield Resource("AWS::Bedrock::KnowledgeBase", kb["knowledgeBaseArn"], kb["name"], scope.account, scope.region,
                       _dig(managed, "serverSideEncryptionConfiguration", "kmsKeyArn"), applicable=managed is not None)
        yield from _data_sources(client, scope, kb)


def _data_sources(client: Any, scope: Scope, kb: dict) -> Iterator[Item]:
    try:
        for summary in _pages(client, "list_data_sources", "dataSourceSummaries", knowledgeBaseId=kb["knowledgeBaseId"]):
            ds = client.get_data_source(knowledgeBaseId=kb["knowledgeBaseId"], dataSourceId=summary["dataSourceId"])["dataSource"]
            # Data sources have no ARN of their own: name them under their knowledge base's.
            yield Resource("AWS::Bedrock::DataSource", f"{kb['knowledgeBaseArn']}/data-source/{ds['dataSourceId']}", ds["name"],
                           scope.account, scope.region, _dig(ds, "serverSideEncryptionConfiguration", "kmsKeyArn"))
    except Exception as exc:  # noqa: BLE001 - one KB's data sources failing must not hide the rest
        yield NotEvaluated(scope.account, scope.region, f"AWS::Bedrock::DataSource of {kb['name']}", describe_error(exc))


def guardrails(client: Any, scope: Scope) -> Iterator[Item]:
    for summary in _pages(client, "list_guardrails", "guardrails"):
        guardrail = client.get_guardrail(guardrailIdentifier=summary["id"])
        yield Resource("AWS::Bedrock::Guardrail", guardrail.get("guardrailArn", summary["arn"]), summary["name"],
                       scope.account, scope.region, guardrail.get("kmsKeyArn"))


def flows(client: Any, scope: Scope) -> Iterator[Item]:
    for summary in _pages(client, "list_flows", "flowSummaries"):
        flow = client.get_flow(flowIdentifier=summary["id"])
        yield Resource("AWS::Bedrock::Flow", summary["arn"], summary["name"], scope.account, scope.region,
                       flow.get("customerEncryptionKeyArn"))


def prompts(client: Any, scope: Scope) -> Iterator[Item]:
    for summary in _pages(client, "list_prompts", "promptSummaries"):
        prompt = client.get_prompt(promptIdentifier=summary["id"])
        yield Resource("AWS::Bedrock::Prompt", summary["arn"], summary["name"], scope.account, scope.region,
                       prompt.get("customerEncryptionKeyArn"))


def custom_models(client: Any, scope: Scope) -> Iterator[Item]:
    for summary in _pages(client, "list_custom_models", "modelSummaries"):
        model = client.get_custom_model(modelIdentifier=summary["modelArn"])
        # Custom models have no CloudFormation type; the name mirrors the others for reports.
        yield Resource("Bedrock::CustomModel", summary["modelArn"], summary["modelName"], scope.account, scope.region,
                       model.get("modelKmsKeyArn"))


@dataclass(frozen=True)
class Kind:
    name: str
    service: str
    lister: Callable[[Any, Scope], Iterator[Item]]


KINDS: tuple[Kind, ...] = (
    Kind("AWS::DataZone::Domain", "datazone", domains),
    Kind("AWS::Bedrock::Agent", "bedrock-agent", agents),
    Kind("AWS::Bedrock::KnowledgeBase", "bedrock-agent", knowledge_bases),
    Kind("AWS::Bedrock::Guardrail", "bedrock", guardrails),
    Kind("AWS::Bedrock::Flow", "bedrock-agent", flows),
    Kind("AWS::Bedrock::Prompt", "bedrock-agent", prompts),
    Kind("Bedrock::CustomModel", "bedrock", custom_models),
)
