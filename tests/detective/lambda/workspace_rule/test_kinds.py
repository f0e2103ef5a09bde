"""Every kind the rule judges (inventory.CONFIG_TYPES, the audit's kinds), through the real handler and
botocore: the Stubber serves each kind's List, Get and ListTagsForResource with responses built from the
service's own model (model_responses.py), moto serves KMS, Config, CloudWatch and DynamoDB. Per kind: on a
good key COMPLIANT and counted; without a customer key NON_COMPLIANT, unless tagged as an accepted exception;
a List failure and a Get failure never COMPLIANT, the account's own evaluation saying why."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import pytest

from guardrails.live_inventory import KNOWLEDGE_BASES, SOURCES, Source

from .aws import ACCOUNT, good_key, latest_metric
from .model_responses import list_item, minimal, response, shape_at

ACCOUNT_REF = ("AWS::::Account", ACCOUNT)
REASON = "vendor model, migration SEC-77 by 2027-06"
KINDS = [s for s in SOURCES if not s.workspace]  # DataZone domains: test_handler.py
# Summary fields a kind needs to be judged at all (a Builtin evaluator is AWS's and skipped: live_inventory).
SUMMARY_FIELDS = {"AWS::BedrockAgentCore::Evaluator": {"evaluatorType": "Custom"}}


def _ids(source: Source) -> str:
    return source.resource_type


class Kind:
    """Queues one kind's calls on its Stubber-backed client, in the order the handler makes them."""

    def __init__(self, world, source: Source):
        self.world, self.source = world, source
        self.service = world.stubbed[source.service]
        self.client = self.service.client

    def ref(self, index: int) -> tuple[str, str]:
        """(id the handler reports, ARN) of the kind's index-th resource."""
        model = self.client.meta.service_model
        short = f"res{index:09d}"  # 12 characters: the longest minimum of the kinds' ids (AgentCore)
        slug = re.sub(r"(?<!^)(?=[A-Z])", "-", self.source.resource_type.rsplit(":", 1)[1]).lower()  # PolicyEngine: policy-engine
        arn = f"arn:aws:{model.signing_name}:us-east-1:{ACCOUNT}:{slug}/{short}-a1b2c3d4e5"  # ARN minimum lengths (76, AgentCore)
        return (arn if self.source.id_field.lower().endswith("arn") else short), arn

    def listed(self, *resource_ids: str) -> None:
        items = [list_item(self.client, self.source.list_method, self.source.list_items,
                           {self.source.id_field: rid, **SUMMARY_FIELDS.get(self.source.resource_type, {})})
                 for rid in resource_ids]
        self.service.respond(self.source.list_method, {self.source.list_items: items}, dict(self.source.list_args) or None)

    def got(self, resource_id: str, arn: str, key: str | None) -> None:
        fields: dict[tuple[str, ...], Any] = {self.source.arn_path: arn, self.source.name_path: f"name-{resource_id[-7:]}"}
        output = self.client.meta.service_model.operation_model(
            self.client.meta.method_to_api_mapping[self.source.get_method]).output_shape
        if self.source.applies_when:  # e.g. a managed knowledge base: its data is under its own key
            fields[self.source.applies_when] = minimal(shape_at(output, self.source.applies_when))
        if key:
            fields[self.source.key_path] = key
        self.service.respond(self.source.get_method, response(self.client, self.source.get_method, fields),
                             {self.source.get_param: resource_id})

    def no_data_sources(self, *kb_ids: str) -> None:
        if self.source is KNOWLEDGE_BASES:
            for kb_id in kb_ids:
                self.service.respond("list_data_sources", {"dataSourceSummaries": []}, {"knowledgeBaseId": kb_id})

    def tagged(self, arn: str, tags: dict[str, str]) -> None:
        shape = self.client.meta.service_model.operation_model("ListTagsForResource").output_shape.members["tags"]
        body = [{"key": k, "value": v} for k, v in tags.items()] if shape.type_name == "list" else dict(tags)
        self.service.respond("list_tags_for_resource", {"tags": body}, {self.source.tags_param: arn})

    def evaluation(self, world, resource_id: str) -> dict[str, Any]:
        return world.evaluations()[(self.source.resource_type, resource_id)]


@pytest.mark.parametrize("source", KINDS, ids=_ids)
def test_a_resource_on_a_good_key_is_compliant_and_counted(world, source):
    kind, key, now = Kind(world, source), good_key(world.clients.kms), datetime.now(timezone.utc)
    rid, arn = kind.ref(1)
    kind.listed(rid)
    kind.got(rid, arn, key)
    kind.no_data_sources(rid)
    summary = world.run(now=now)
    result = kind.evaluation(world, rid)
    assert result["ComplianceType"] == "COMPLIANT", result.get("Annotation")
    assert world.evaluations()[ACCOUNT_REF]["ComplianceType"] == "COMPLIANT"
    assert summary["nonCompliant"] == 0
    cloudwatch = world.clients.cloudwatch
    assert [latest_metric(cloudwatch, name, now) for name in ("BedrockResources", "BedrockResourcesCmk")] == [1.0, 1.0]


@pytest.mark.parametrize("source", KINDS, ids=_ids)
def test_a_resource_without_a_customer_key_is_non_compliant_unless_excepted(world, source):
    kind, now = Kind(world, source), datetime.now(timezone.utc)
    (bare, bare_arn), (excepted, excepted_arn) = kind.ref(1), kind.ref(2)
    kind.listed(bare, excepted)
    kind.got(bare, bare_arn, None)
    kind.got(excepted, excepted_arn, None)
    kind.no_data_sources(bare, excepted)
    kind.tagged(bare_arn, {})  # NON_COMPLIANT: is it an accepted exception? (its service's ListTagsForResource)
    kind.tagged(excepted_arn, {"GuardrailsException": REASON})
    summary = world.run(now=now)
    open_case, accepted = kind.evaluation(world, bare), kind.evaluation(world, excepted)
    assert (open_case["ComplianceType"], accepted["ComplianceType"]) == ("NON_COMPLIANT", "NON_COMPLIANT")
    assert "no customer-managed key" in open_case["Annotation"] and not open_case["Annotation"].startswith("accepted")
    assert accepted["Annotation"].startswith(f"accepted exception ({REASON})")
    assert (summary["nonCompliant"], summary["exceptions"]) == (1, 1)
    cloudwatch = world.clients.cloudwatch
    assert [latest_metric(cloudwatch, name, now) for name in ("BedrockResources", "BedrockResourcesCmk", "NonCompliant")] \
        == [2.0, 0.0, 1.0]


@pytest.mark.parametrize("source", KINDS, ids=_ids)
def test_a_kind_that_cannot_be_listed_is_never_compliant_and_the_account_says_why(world, source):
    kind, now = Kind(world, source), datetime.now(timezone.utc)
    kind.service.error(source.list_method, "AccessDeniedException", "not authorized", 403, dict(source.list_args) or None)
    summary = world.run(now=now)
    assert not [ref for ref in world.evaluations() if ref[0] == source.resource_type]
    account = world.evaluations()[ACCOUNT_REF]
    assert account["ComplianceType"] == "NON_COMPLIANT"
    assert f"{source.resource_type} {source.list_method} failed (AccessDeniedException" in account["Annotation"]
    assert summary["nonCompliant"] == 1 and len(summary["listingFailures"]) == 1
    assert latest_metric(world.clients.cloudwatch, "BedrockResources", now) is None  # unknown, not 0


@pytest.mark.parametrize("source", KINDS, ids=_ids)
def test_a_resource_that_cannot_be_read_is_not_applicable_and_the_account_says_why(world, source):
    kind = Kind(world, source)
    rid, _ = kind.ref(1)
    kind.listed(rid)
    kind.service.error(source.get_method, "AccessDeniedException", "not authorized to perform kms:Decrypt", 403,
                       {source.get_param: rid})
    world.run()
    result = kind.evaluation(world, rid)
    assert result["ComplianceType"] == "NOT_APPLICABLE" and "AccessDeniedException" in result["Annotation"]
    account = world.evaluations()[ACCOUNT_REF]
    assert account["ComplianceType"] == "NON_COMPLIANT" and rid in account["Annotation"]


# -- knowledge bases' data sources: listed per knowledge base, judged by their own key ------------------------------
DATA_SOURCE = "AWS::Bedrock::DataSource"


def _data_sources(world, kb_id: str, *sources: tuple[str, str | None]) -> None:
    agent = world.bedrock_agent
    summaries = [list_item(agent.client, "list_data_sources", "dataSourceSummaries", {"dataSourceId": ds, "knowledgeBaseId": kb_id})
                 for ds, _ in sources]
    agent.respond("list_data_sources", {"dataSourceSummaries": summaries}, {"knowledgeBaseId": kb_id})
    for ds, key in sources:
        fields: dict[tuple[str, ...], Any] = {("dataSource", "dataSourceId"): ds, ("dataSource", "knowledgeBaseId"): kb_id,
                                              ("dataSource", "name"): ds}
        if key:
            fields[("dataSource", "serverSideEncryptionConfiguration", "kmsKeyArn")] = key
        agent.respond("get_data_source", response(agent.client, "get_data_source", fields),
                      {"knowledgeBaseId": kb_id, "dataSourceId": ds})


def test_data_sources_are_judged_by_their_own_key_and_take_their_knowledge_bases_tags(world):
    key, kind = good_key(world.clients.kms), Kind(world, KNOWLEDGE_BASES)
    kb, kb_arn = kind.ref(1)
    kind.listed(kb)
    kind.got(kb, kb_arn, key)
    _data_sources(world, kb, ("DSGOOD0001", key), ("DSBARE0001", None))
    # The knowledge base and its good data source share a key: KeyOwnerIsolation reads the knowledge base's owner
    # tag for both (a data source takes its knowledge base's tags), after the bare data source's exception tag.
    kind.tagged(kb_arn, {"GuardrailsException": REASON})
    kind.tagged(kb_arn, {"Owner": "ml"})
    kind.tagged(kb_arn, {"Owner": "ml"})
    summary = world.run()
    results = world.evaluations()
    assert results[(DATA_SOURCE, f"{kb}/data-source/DSGOOD0001")]["ComplianceType"] == "COMPLIANT"  # the tail of its ARN
    bare = results[(DATA_SOURCE, f"{kb}/data-source/DSBARE0001")]
    assert bare["ComplianceType"] == "NON_COMPLIANT" and bare["Annotation"].startswith(f"accepted exception ({REASON})")
    assert results[ACCOUNT_REF]["ComplianceType"] == "COMPLIANT"
    assert (summary["nonCompliant"], summary["exceptions"]) == (0, 1)


def test_data_sources_that_cannot_be_listed_keep_their_cases_and_the_account_says_why(world):
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    kind = Kind(world, KNOWLEDGE_BASES)
    kb, kb_arn = kind.ref(1)
    kind.listed(kb)
    kind.got(kb, kb_arn, None)
    _data_sources(world, kb, ("DSBARE0001", None))
    kind.tagged(kb_arn, {})
    kind.tagged(kb_arn, {})
    world.run(now=now)  # the data source's case opens
    world.put_evaluations.clear()
    kind.listed(kb)
    kind.got(kb, kb_arn, None)
    world.bedrock_agent.error("list_data_sources", "AccessDeniedException", "not authorized", 403, {"knowledgeBaseId": kb})
    kind.tagged(kb_arn, {})
    world.run(now=now.replace(hour=5))
    results = world.evaluations()
    assert (DATA_SOURCE, f"{kb}/data-source/DSBARE0001") not in results  # neither re-judged nor reported gone
    account = results[ACCOUNT_REF]
    assert account["ComplianceType"] == "NON_COMPLIANT"
    assert f"data sources of knowledge base {kb} not listed (AccessDeniedException" in account["Annotation"]
    assert results[(KNOWLEDGE_BASES.resource_type, kb)]["ComplianceType"] == "NON_COMPLIANT"


def test_a_knowledge_base_on_a_vector_store_is_not_applicable_and_not_counted(world):
    """Only a managed knowledge base holds data under its own key; a vector KB's data is in its vector store
    (live_inventory.KNOWLEDGE_BASES.applies_when), as in the audit."""
    now = datetime.now(timezone.utc)
    kind = Kind(world, KNOWLEDGE_BASES)
    kb, kb_arn = kind.ref(1)
    kind.listed(kb)
    world.bedrock_agent.respond("get_knowledge_base", response(world.bedrock_agent.client, "get_knowledge_base", {
        KNOWLEDGE_BASES.arn_path: kb_arn, KNOWLEDGE_BASES.name_path: "vector"}), {"knowledgeBaseId": kb})
    kind.no_data_sources(kb)
    world.run(now=now)
    result = kind.evaluation(world, kb)
    assert (result["ComplianceType"], result["Annotation"]) == ("NOT_APPLICABLE", "holds no data under a key of its own")
    assert latest_metric(world.clients.cloudwatch, "BedrockResources", now) == 0.0


def test_a_service_botocore_does_not_know_is_a_listing_failure_not_a_crash(world):
    """Should the function's botocore lack a service (an older copy first on sys.path), its kinds are reported as
    not listed, never skipped into COMPLIANT (clients.UnknownService)."""
    import dataclasses

    from workspace_rule.clients import UnknownService

    reason = "botocore 1.0.0 has no model of the service bedrock-agentcore-control"
    world.clients = dataclasses.replace(world.clients, bedrock_agentcore_control=UnknownService("bedrock-agentcore-control", reason))
    summary = world.run()
    account = world.evaluations()[ACCOUNT_REF]
    core = [s for s in SOURCES if s.service == "bedrock-agentcore-control"]
    assert account["ComplianceType"] == "NON_COMPLIANT" and reason in account["Annotation"]
    assert len(summary["listingFailures"]) == len(core) == 6


def test_a_service_that_cannot_be_reached_is_a_listing_failure_tried_once(world):
    """A region without AgentCore (or a broken connection) raises EndpointConnectionError, not a ClientError: each of
    the service's kinds is reported as not listed, the account NON_COMPLIANT; only its first kind's call is tried, not
    one per kind (each would wait out botocore's retries)."""
    import dataclasses

    import boto3
    from botocore.config import Config

    unreachable = boto3.client("bedrock-agentcore-control", region_name="us-east-1", endpoint_url="http://127.0.0.1:9",
                               config=Config(retries={"mode": "standard", "max_attempts": 1}, connect_timeout=1))
    sends: list[str] = []
    unreachable.meta.events.register("before-send", lambda request, **_: sends.append(request.url))
    world.clients = dataclasses.replace(world.clients, bedrock_agentcore_control=unreachable)
    summary = world.run()
    account = world.evaluations()[ACCOUNT_REF]
    assert account["ComplianceType"] == "NON_COMPLIANT" and "EndpointConnectionError" in account["Annotation"]
    assert len(summary["listingFailures"]) == 6 and set(sends) == {"http://127.0.0.1:9/memories/"}  # ListMemories only
    assert not [ref for ref in world.evaluations() if ref[0].startswith("AWS::BedrockAgentCore::")]
