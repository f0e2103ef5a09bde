"""What exists in one account and region, and which key each resource names: one inventory for the
Config rule's Lambda and `guardrails audit`.

List* calls do not return keys, so every resource is read with its Get* call. Operation names, field
paths and tag calls come from the botocore service models (datazone GetDomain.kmsKeyIdentifier and
tags; bedrock-agent GetAgent.agent.customerEncryptionKeyArn; bedrock GetImportedModel.modelKmsKeyArn,
GetModelInvocationJob.outputDataConfig.s3OutputDataConfig.s3EncryptionKeyId; bedrock-data-automation
GetDataAutomationProject.project.kmsKeyId; bedrock-agentcore-control GetMemory.memory.encryptionKeyArn,
GetGateway.kmsKeyArn, GetPolicyEngine.encryptionKeyArn, GetEvaluator.kmsKeyArn ...).
tests/test_live_inventory.py checks every SOURCES entry against those models.

A resource that vanishes between List and Get has gone; any other Get failure is kept as `error`, so
the caller judges it (fail closed) instead of skipping it. A List failure raises ListingFailed.
Plain botocore clients in, plain data out: bundled into the Lambda as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping

from botocore.exceptions import ClientError

GONE_STATUSES = frozenset({"DELETING", "DELETED"})


@dataclass(frozen=True)
class Source:
    """One kind of resource: how to list it, how to read it, where its Get response names the key."""

    resource_type: str  # the CloudFormation type, or a live-only type (governed_types.LIVE_ONLY_TYPES)
    service: str  # the botocore service
    list_method: str
    list_items: str
    id_field: str  # the summary field the Get call takes
    get_method: str
    get_param: str
    key_path: tuple[str, ...]
    arn_path: tuple[str, ...]
    name_path: tuple[str, ...]
    workspace: bool = False
    status_field: str = "status"
    tags_path: tuple[str, ...] | None = None  # the Get response carries the tags (a map)
    tags_param: str | None = "resourceArn"  # else ListTagsForResource's ARN parameter (bedrock: resourceARN)
    applies_when: tuple[str, ...] = ()  # the key only applies when this object is in the Get response
    list_args: Mapping[str, Any] = field(default_factory=dict, compare=False)  # e.g. only the account's own
    skip: Callable[[Mapping[str, Any]], bool] = field(default=lambda summary: False, compare=False)


@dataclass(frozen=True)
class LiveResource:
    resource_type: str
    resource_id: str
    key: str | None
    workspace: bool = False
    error: str | None = None  # why the resource (and so its key) could not be read
    arn: str | None = None
    name: str | None = None
    tags: dict[str, str] | None = None  # from the Get response, where the service puts tags there
    applicable: bool = True  # False: this resource holds no data under a key of its own
    tags_of: str | None = None  # the ARN whose tags apply (a data source takes its knowledge base's)


def _dig(data: Any, path: tuple[str, ...]) -> Any:
    for step in path:
        data = data.get(step) if isinstance(data, dict) else None
    return data


_AGENT = "bedrock-agent"
_BEDROCK = "bedrock"
_CORE = "bedrock-agentcore-control"
WORKSPACES = Source("AWS::DataZone::Domain", "datazone", "list_domains", "items", "id", "get_domain", "identifier",
                    ("kmsKeyIdentifier",), ("arn",), ("name",), workspace=True, tags_path=("tags",), tags_param=None)
KNOWLEDGE_BASES = Source(
    "AWS::Bedrock::KnowledgeBase", _AGENT, "list_knowledge_bases", "knowledgeBaseSummaries", "knowledgeBaseId",
    "get_knowledge_base", "knowledgeBaseId",
    ("knowledgeBase", "knowledgeBaseConfiguration", "managedKnowledgeBaseConfiguration", "serverSideEncryptionConfiguration", "kmsKeyArn"),
    ("knowledgeBase", "knowledgeBaseArn"), ("knowledgeBase", "name"),
    # Only managed knowledge bases hold data themselves; a vector KB's data is in its vector store.
    applies_when=("knowledgeBase", "knowledgeBaseConfiguration", "managedKnowledgeBaseConfiguration"))
DATA_SOURCE_TYPE = "AWS::Bedrock::DataSource"  # listed per knowledge base: see data_sources()

SOURCES: tuple[Source, ...] = (
    WORKSPACES,
    Source("AWS::Bedrock::Agent", _AGENT, "list_agents", "agentSummaries", "agentId", "get_agent", "agentId",
           ("agent", "customerEncryptionKeyArn"), ("agent", "agentArn"), ("agent", "agentName"), status_field="agentStatus"),
    KNOWLEDGE_BASES,
    Source("AWS::Bedrock::Guardrail", _BEDROCK, "list_guardrails", "guardrails", "id", "get_guardrail", "guardrailIdentifier",
           ("kmsKeyArn",), ("guardrailArn",), ("name",), tags_param="resourceARN"),
    Source("AWS::Bedrock::Flow", _AGENT, "list_flows", "flowSummaries", "id", "get_flow", "flowIdentifier",
           ("customerEncryptionKeyArn",), ("arn",), ("name",)),
    Source("AWS::Bedrock::Prompt", _AGENT, "list_prompts", "promptSummaries", "id", "get_prompt", "promptIdentifier",
           ("customerEncryptionKeyArn",), ("arn",), ("name",)),
    Source("Bedrock::CustomModel", _BEDROCK, "list_custom_models", "modelSummaries", "modelArn", "get_custom_model",
           "modelIdentifier", ("modelKmsKeyArn",), ("modelArn",), ("modelName",), status_field="modelStatus",
           tags_param="resourceARN"),
    Source("Bedrock::ImportedModel", _BEDROCK, "list_imported_models", "modelSummaries", "modelArn", "get_imported_model",
           "modelIdentifier", ("modelKmsKeyArn",), ("modelArn",), ("modelName",), tags_param="resourceARN"),
    # Batch inference writes its output to S3 under this key (s3EncryptionKeyId); without it, the bucket's default.
    Source("Bedrock::ModelInvocationJob", _BEDROCK, "list_model_invocation_jobs", "invocationJobSummaries", "jobArn",
           "get_model_invocation_job", "jobIdentifier", ("outputDataConfig", "s3OutputDataConfig", "s3EncryptionKeyId"),
           ("jobArn",), ("jobName",), tags_param="resourceARN"),
    Source("AWS::Bedrock::AutomatedReasoningPolicy", _BEDROCK, "list_automated_reasoning_policies",
           "automatedReasoningPolicySummaries", "policyArn", "get_automated_reasoning_policy", "policyArn", ("kmsKeyArn",),
           ("policyArn",), ("name",), tags_param="resourceARN"),
    Source("AWS::Bedrock::RetrievalInstruction", _AGENT, "list_retrieval_instructions", "retrievalInstructionSummaries",
           "retrievalInstructionId", "get_retrieval_instruction", "retrievalInstructionId", ("customerEncryptionKeyArn",),
           ("retrievalInstructionArn",), ("name",)),
    Source("AWS::Bedrock::Session", "bedrock-agent-runtime", "list_sessions", "sessionSummaries", "sessionId", "get_session",
           "sessionIdentifier", ("encryptionKeyArn",), ("sessionArn",), ("sessionId",), status_field="sessionStatus"),
    # Data automation: only the account's own projects, blueprints and libraries (resourceOwner ACCOUNT, not SERVICE).
    Source("AWS::Bedrock::DataAutomationProject", "bedrock-data-automation", "list_data_automation_projects", "projects",
           "projectArn", "get_data_automation_project", "projectArn", ("project", "kmsKeyId"), ("project", "projectArn"),
           ("project", "projectName"), tags_param="resourceARN", list_args={"resourceOwner": "ACCOUNT"}),
    Source("AWS::Bedrock::Blueprint", "bedrock-data-automation", "list_blueprints", "blueprints", "blueprintArn",
           "get_blueprint", "blueprintArn", ("blueprint", "kmsKeyId"), ("blueprint", "blueprintArn"),
           ("blueprint", "blueprintName"), tags_param="resourceARN", list_args={"resourceOwner": "ACCOUNT"}),
    Source("AWS::Bedrock::DataAutomationLibrary", "bedrock-data-automation", "list_data_automation_libraries", "libraries",
           "libraryArn", "get_data_automation_library", "libraryArn", ("library", "kmsKeyId"), ("library", "libraryArn"),
           ("library", "libraryName"), tags_param="resourceARN"),
    Source("AWS::BedrockAgentCore::Memory", _CORE, "list_memories", "memories", "id", "get_memory", "memoryId",
           ("memory", "encryptionKeyArn"), ("memory", "arn"), ("memory", "name")),
    Source("AWS::BedrockAgentCore::Gateway", _CORE, "list_gateways", "items", "gatewayId", "get_gateway", "gatewayIdentifier",
           ("kmsKeyArn",), ("gatewayArn",), ("name",)),
    Source("AWS::BedrockAgentCore::PolicyEngine", _CORE, "list_policy_engines", "policyEngines", "policyEngineId",
           "get_policy_engine", "policyEngineId", ("encryptionKeyArn",), ("policyEngineArn",), ("name",)),
    # Built-in evaluators are AWS's, shared by every account: they hold none of the account's data.
    Source("AWS::BedrockAgentCore::Evaluator", _CORE, "list_evaluators", "evaluators", "evaluatorId", "get_evaluator",
           "evaluatorId", ("kmsKeyArn",), ("evaluatorArn",), ("evaluatorName",),
           skip=lambda summary: summary.get("evaluatorType") == "Builtin"),
    Source("AWS::BedrockAgentCore::Dataset", _CORE, "list_datasets", "datasets", "datasetId", "get_dataset", "datasetId",
           ("kmsKeyArn",), ("datasetArn",), ("datasetName",)),
    Source("AWS::BedrockAgentCore::ConfigurationBundle", _CORE, "list_configuration_bundles", "bundles", "bundleId",
           "get_configuration_bundle", "bundleId", ("kmsKeyArn",), ("bundleArn",), ("bundleName",)),
)
# Governed types not listed, each with the reason (tests/test_live_inventory.py: every governed type is one or the other).
NOT_LISTED: dict[str, str] = {
    "AWS::Bedrock::DataSource": "listed per knowledge base (data_sources), it has no List call of its own",
    "AWS::BedrockAgentCore::Harness": "GetHarness reports no key (botocore model): its managed memory is a Memory, listed as one",
    "AWS::BedrockAgentCore::CapacityProvider": "one key per EBS volume (root, volumes, launch parameters): the inventory reads "
                                                "one key per resource, so capacity providers are judged at synth, scan and deploy only",
}
SOURCES_BY_TYPE = {s.resource_type: s for s in SOURCES}


class ListingFailed(Exception):
    """The List call failed: nothing of this type can be judged, and nothing of it has 'gone'."""

    def __init__(self, source: Source, error: str):
        super().__init__(f"{source.list_method} failed ({error})")
        self.source = source
        self.error = error


def error_text(exc: ClientError) -> str:
    err = exc.response.get("Error", {})
    return f"{err.get('Code', 'Error')}: {err.get('Message', '')}".strip()


def _gone(response: Any, source: Source) -> bool:
    return str(_dig(response, (source.status_field,)) or "").upper() in GONE_STATUSES


def summaries(source: Source, client: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
    for page in client.get_paginator(source.list_method).paginate(**kwargs):
        yield from page.get(source.list_items, [])


def read(source: Source, client: Any, summary: Mapping[str, Any]) -> LiveResource | None:
    """The resource behind a List summary with its key; None when it has gone."""
    resource_id = summary[source.id_field]
    try:
        response = getattr(client, source.get_method)(**{source.get_param: resource_id})
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return None  # deleted between List and Get
        return LiveResource(source.resource_type, resource_id, None, source.workspace,
                            error=f"{source.get_method} failed ({error_text(exc)})", name=str(resource_id))
    body = response.get(source.arn_path[0]) if len(source.arn_path) > 1 else response
    if _gone(body, source) or _gone(response, source):
        return None
    tags = _dig(response, source.tags_path) if source.tags_path else None
    name = _dig(response, source.name_path) or str(resource_id)
    if source.workspace:  # V1 (Bedrock Studio) or V2 (Unified Studio): reports show which
        name = f"{name} ({response.get('domainVersion') or summary.get('domainVersion') or 'V1'})"
    applicable = not source.applies_when or _dig(response, source.applies_when) is not None
    return LiveResource(source.resource_type, resource_id, _dig(response, source.key_path) or None, source.workspace,
                        arn=_dig(response, source.arn_path) or summary.get("arn"), name=name,
                        tags=dict(tags or {}) if source.tags_path else None, applicable=applicable)


def list_resources(source: Source, client: Any) -> Iterator[LiveResource]:
    """Every live resource of `source`'s type with its key; raises ListingFailed when listing fails."""
    try:
        listed = [s for s in summaries(source, client, **source.list_args) if not source.skip(s)]
    except ClientError as exc:
        raise ListingFailed(source, error_text(exc)) from exc
    for summary in listed:
        if str(summary.get(source.status_field, "")).upper() in GONE_STATUSES:
            continue
        resource = read(source, client, summary)
        if resource is not None:
            yield resource


def data_sources(client: Any, knowledge_base: LiveResource) -> Iterator[LiveResource]:
    """A knowledge base's data sources (bedrock-agent ListDataSources / GetDataSource); raises what they raise.
    Data sources have no ARN of their own: they are named under their knowledge base's, whose tags they take."""
    kb_id = knowledge_base.resource_id
    for summary in client.get_paginator("list_data_sources").paginate(knowledgeBaseId=kb_id):
        for item in summary.get("dataSourceSummaries", []):
            ds = client.get_data_source(knowledgeBaseId=kb_id, dataSourceId=item["dataSourceId"])["dataSource"]
            yield LiveResource(DATA_SOURCE_TYPE, ds["dataSourceId"], _dig(ds, ("serverSideEncryptionConfiguration", "kmsKeyArn")) or None,
                               arn=f"{knowledge_base.arn}/data-source/{ds['dataSourceId']}", name=ds.get("name"),
                               tags_of=knowledge_base.arn)


def read_tags(resource: LiveResource, client: Any) -> dict[str, str] | None:
    """The resource's own tags (raises what ListTagsForResource raises); None for a kind without tags.
    `client` is the resource's service client (bedrock-agent for data sources)."""
    if resource.tags is not None:
        return resource.tags
    source = SOURCES_BY_TYPE.get(resource.resource_type) or (SOURCES_BY_TYPE["AWS::Bedrock::KnowledgeBase"]
                                                             if resource.resource_type == DATA_SOURCE_TYPE else None)
    arn = resource.tags_of or resource.arn
    if source is None or source.tags_param is None or not arn:
        return None
    tags = client.list_tags_for_resource(**{source.tags_param: arn}).get("tags") or {}
    return {t["key"]: t["value"] for t in tags} if isinstance(tags, list) else dict(tags)
