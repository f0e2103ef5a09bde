from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import pytest
from moto import mock_aws

from guardrails.settings import Settings
from .api_calls import record_api_calls
from .aws import ACCOUNT, StubbedService, client, record_calls
from workspace_rule.clients import Clients
from workspace_rule.handler import evaluate
from workspace_rule.inventory import CLIENT_ATTRIBUTE

TABLE = "guardrails-remediation"


@dataclass
class World:
    stubbed: dict[str, StubbedService]  # botocore service name -> its Stubber-backed client (every inventory service)
    clients: Clients
    put_evaluations: list[dict[str, Any]]
    api_calls: set[Any] = field(default_factory=set)  # the operation models the handler called, over every run

    @property
    def datazone(self) -> StubbedService:
        return self.stubbed["datazone"]

    @property
    def bedrock_agent(self) -> StubbedService:
        return self.stubbed["bedrock-agent"]

    @property
    def bedrock(self) -> StubbedService:
        return self.stubbed["bedrock"]

    def domains(self, *pages: list[tuple]) -> None:
        """Queue ListDomains pages, then GetDomain for each domain: (id, kmsKeyIdentifier[, tags])."""
        for index, page in enumerate(pages):
            params = {"nextToken": f"page{index}"} if index else {}
            response: dict[str, Any] = {"items": [_summary(domain[0]) for domain in page]}
            if index + 1 < len(pages):
                response["nextToken"] = f"page{index + 1}"
            self.datazone.respond("list_domains", response, params)
        for page in pages:
            for domain_id, key, *tags in page:
                self.datazone.respond("get_domain", _domain(domain_id, key, *tags), {"identifier": domain_id})

    def no_bedrock_resources(self) -> None:
        for method, items in (("list_agents", "agentSummaries"), ("list_flows", "flowSummaries"),
                              ("list_prompts", "promptSummaries")):
            self.bedrock_agent.respond(method, {items: []})
        self.bedrock.respond("list_guardrails", {"guardrails": []})

    def run(self, settings: Settings | None = None, now: datetime | None = None) -> dict[str, Any]:
        for service in self.stubbed.values():
            service.stubber.activate()
        try:
            with record_api_calls(self.clients, self.api_calls):
                return evaluate(config_event(), self.clients, settings or Settings(), TABLE, now=now)
        finally:
            for service in self.stubbed.values():
                service.stubber.assert_no_pending_responses()
                service.stubber.deactivate()

    def evaluations(self) -> dict[tuple[str, str], dict[str, Any]]:
        """The last run's evaluations by (type, id)."""
        return {(e["ComplianceResourceType"], e["ComplianceResourceId"]): e
                for call in self.put_evaluations for e in call["Evaluations"]}


def _summary(domain_id: str) -> dict[str, Any]:
    return {"id": domain_id, "name": domain_id, "arn": f"arn:aws:datazone:us-east-1:{ACCOUNT}:domain/{domain_id}",
            "managedAccountId": ACCOUNT, "status": "AVAILABLE", "createdAt": datetime(2026, 1, 1, tzinfo=timezone.utc)}


def _domain(domain_id: str, key: str | None, tags: dict[str, str] | None = None) -> dict[str, Any]:
    response = {"id": domain_id, "name": domain_id, "status": "AVAILABLE", "domainVersion": "V2",
                "domainExecutionRole": f"arn:aws:iam::{ACCOUNT}:role/service-role/AmazonSageMakerDomainExecution",
                "arn": f"arn:aws:datazone:us-east-1:{ACCOUNT}:domain/{domain_id}"}
    if key:
        response["kmsKeyIdentifier"] = key
    # GetDomain returns the domain's tags; the default ones satisfy WorkspaceOwnershipTags (judged live too)
    response["tags"] = {"Owner": "ml", "CostCenter": "cc-1", "DataClassification": "internal", **(tags or {})}
    return response


def config_event(token: str = "TESTMODE") -> dict[str, Any]:
    invoking = {"messageType": "ScheduledNotification", "awsAccountId": ACCOUNT,
                "notificationCreationTime": "2026-11-28T10:00:00.000Z"}
    return {"invokingEvent": json.dumps(invoking), "ruleParameters": "{}", "resultToken": token,
            "eventLeftScope": False, "configRuleName": "bedrock-guardrails-workspace-cmk", "accountId": ACCOUNT}


@contextmanager
def make_world():
    """A fresh world: moto for KMS, Config, CloudWatch and DynamoDB (with the state table); Stubber for the
    inventory's services (DataZone, Bedrock, AgentCore), each kind listing empty unless a scenario queues it.
    Needs AWS_DEFAULT_REGION set (the `world` fixture sets it)."""
    with mock_aws():
        dynamodb = client("dynamodb")
        dynamodb.create_table(TableName=TABLE, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
        stubbed = {service: StubbedService(service) for service in CLIENT_ATTRIBUTE}
        config = client("config")
        clients = Clients(**{CLIENT_ATTRIBUTE[service]: s.client for service, s in stubbed.items()},
                          kms=client("kms"), config=config, cloudwatch=client("cloudwatch"), dynamodb=dynamodb)
        yield World(stubbed, clients, record_calls(config, "PutEvaluations"))


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with make_world() as made:
        yield made
