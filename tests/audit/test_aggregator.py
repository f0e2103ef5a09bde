"""`guardrails audit --aggregator NAME`: the detective Config rule's handler judges each account of an estate
(against moto and the DataZone/Bedrock fake, its PutEvaluations captured), an aggregator serves those
evaluations (tests/audit/aggregator_fake.py), and the audit read from it agrees with the crawl of the same
estate, resource by resource, in far fewer calls."""

from __future__ import annotations

import dataclasses
import importlib
import json
from datetime import datetime, timezone

import pytest

from guardrails.audit.reports import render
from guardrails.audit.session import AuditRequest, execute
from guardrails.cli.main import main
from guardrails.settings import Settings
from tests.audit.endpoint import OWNERSHIP_TAGS
from tests.audit.aggregator_fake import AggregatorFake
from tests.audit.world import HOME

handler = importlib.import_module("guardrails.detective.lambda.workspace_rule.handler")
Clients = importlib.import_module("guardrails.detective.lambda.workspace_rule.clients").Clients
OTHER = "222222222222"
RULE = "bedrock-guardrails-workspace-cmk"
REASON = "legacy workspace, migration SEC-42 due 2027-03"
NAME = "org-aggregator"


def run_config_rule(world, fake: AggregatorFake, account: str, region: str = "us-east-1") -> None:
    """The real handler, one periodic run, its evaluations put to moto's Config and kept by the fake."""
    clients = Clients(**{f.name: world.client(f.name.replace("_", "-"), account, region) for f in dataclasses.fields(Clients)})
    table = f"state-{account}"
    clients.dynamodb.create_table(TableName=table, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                                  AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                                  BillingMode="PAY_PER_REQUEST")
    fake.capture_put_evaluations(clients.config, RULE, account, region)
    event = {"invokingEvent": json.dumps({"messageType": "ScheduledNotification", "awsAccountId": account,
                                          "notificationCreationTime": datetime.now(timezone.utc).isoformat()}),
             "ruleParameters": "{}", "resultToken": "TESTMODE", "configRuleName": RULE, "accountId": account}
    handler.evaluate(event, clients, Settings(), table)


@pytest.fixture
def estate(world):
    fake = AggregatorFake(NAME)
    good, unrotated = world.key(), world.key(rotation=False)
    world.domain("good", good)
    world.domain("keyless", None)
    world.domain("legacy", None, tags={**OWNERSHIP_TAGS, "GuardrailsException": REASON})  # owned: only the key is excepted
    world.agent("helper", unrotated)
    world.guardrail("safety", world.aws_managed_key())
    world.flow_or_prompt("flow", "pipeline", good)
    other = world.key(account=OTHER)
    world.domain("theirs", other, account=OTHER)
    world.flow_or_prompt("prompt", "greeting", None, account=OTHER)
    for account in (HOME, OTHER):
        run_config_rule(world, fake, account)
    return fake


def by_resource(report) -> dict[str, tuple]:
    """resource -> (worst status, on a CMK, exception), from any report of either source."""
    table: dict[str, tuple] = {}
    for f in report.findings:
        old = table.get(f.resource, ("COMPLIANT", f.on_cmk, None))
        table[f.resource] = ("NON_COMPLIANT" if "NON_COMPLIANT" in (old[0], f.status) else "COMPLIANT",
                             f.on_cmk, f.exception or old[2])
    return table


def test_the_aggregate_agrees_with_the_crawl(world, endpoint, estate):
    crawl = execute(AuditRequest(endpoint_url=endpoint.url, regions="us-east-1", accounts=f"{HOME},{OTHER}",
                                 role_name="GuardrailsAudit")).report
    aggregate = execute(AuditRequest(endpoint_url=endpoint.url, aggregator=NAME, on_client=estate)).report
    assert by_resource(aggregate) == by_resource(crawl)
    assert len(by_resource(aggregate)) == 8
    for kpi in ("resources", "on_cmk", "pct_on_cmk", "compliant_resources", "non_compliant_resources", "exceptions"):
        assert aggregate.kpis[kpi] == crawl.kpis[kpi], kpi
    assert aggregate.meta["source"] == f"aggregator {NAME} (us-east-1)" and aggregate.meta["accounts"] == [HOME, OTHER]
    legacy = next(f for f in aggregate.findings if f.exception)
    assert legacy.exception == REASON and legacy.reason.startswith("no customer-managed key")
    # one finding per resource (the Config rule's granularity) under its CMK rule
    assert {f.rule for f in aggregate.findings} == {"BedrockGuardrails-WorkspaceCMK", "BedrockGuardrails-ResourceCMK"}
    # one describe per rule name, then per account-region pages of 3 (PAGE): 7 evaluations at home, 3 in the other
    assert estate.calls == 2 + 3 + 1
    assert json.loads(render("asff", aggregate)) and outcome_code(aggregate) == 1  # open findings: exit 1, as the crawl


def outcome_code(report) -> int:
    from guardrails.audit.reports.document import exit_code

    return exit_code(report.result)


def test_unknown_aggregator_and_bad_combinations_are_usage_errors(world, endpoint, estate, capsys):
    from guardrails.errors import GuardrailsInputError

    with pytest.raises(GuardrailsInputError, match="NoSuchConfigurationAggregatorException"):
        execute(AuditRequest(endpoint_url=endpoint.url, aggregator="nope", on_client=estate))
    for extra in (["--org", "--role-name", "R"], ["--regions", "us-east-1"]):
        with pytest.raises(SystemExit) as exit_info:
            main(["audit", "--aggregator", NAME, *extra])
        assert exit_info.value.code == 2 and "--aggregator reads every account" in capsys.readouterr().err


def test_security_hub_import_from_the_aggregate_never_resolves_what_it_cannot_see(world, endpoint, estate):
    from guardrails.audit.security_hub import import_report

    def client_for(service, account, region):
        return world.client(service, account, region)
    crawl = execute(AuditRequest(endpoint_url=endpoint.url, regions="us-east-1")).report
    import_report(crawl, client_for)
    rotation = [f for f in crawl.findings if f.rule == "BedrockGuardrails-KeyRotation[RotationDisabled]"]
    assert len(rotation) == 1  # the agent on the unrotated key
    aggregate = execute(AuditRequest(endpoint_url=endpoint.url, aggregator=NAME, on_client=estate)).report
    outcome = import_report(aggregate, client_for)
    stored = {f["Id"]: f for page in world.client("securityhub").get_paginator("get_findings").paginate()
              for f in page["Findings"]}
    from guardrails.audit.reports.asff import finding_id

    assert stored[finding_id(rotation[0])]["RecordState"] == "ACTIVE"  # still failing: the aggregate cannot tell
    assert outcome.resolved == 0 and not outcome.errors and not outcome.failed


# An id of each kind whose Config resource id is not an ARN, as its service spells ids (botocore's patterns).
SAMPLE_IDS = {"AWS::Bedrock::Agent": "AGENT00001", "AWS::Bedrock::Flow": "FLOW000001", "AWS::Bedrock::Prompt": "PROMPT0001",
              "AWS::Bedrock::Guardrail": "gr0000000001", "AWS::Bedrock::KnowledgeBase": "KB00000001",
              "AWS::Bedrock::RetrievalInstruction": "ri00000001", "AWS::Bedrock::Session": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
              "AWS::BedrockAgentCore::Memory": "notes-a1b2c3d4e5", "AWS::BedrockAgentCore::Gateway": "mcp-a1b2c3d4e5",
              "AWS::BedrockAgentCore::PolicyEngine": "engine-a1b2c3d4e5", "AWS::BedrockAgentCore::Evaluator": "judge-a1b2c3d4e5",
              "AWS::BedrockAgentCore::Dataset": "golden_set", "AWS::BedrockAgentCore::ConfigurationBundle": "agentConfig-a1b2c3d4e5"}


def test_every_kind_the_rule_reports_is_named_by_the_arn_its_service_gives():
    """The aggregate names a resource by the ARN the crawl names it by: the Config resource id is the ARN already,
    or the template in aggregator._ARNS rebuilds it, and the result matches the ARN pattern of the kind's Get
    response in botocore's model (AWS's own spelling of the ARN)."""
    import re

    import boto3

    from guardrails.audit.aggregator import _ARNS, resource_arn
    from guardrails.live_inventory import SOURCES

    for source in SOURCES:
        if source.workspace or source.id_field.lower().endswith("arn"):
            continue
        client = boto3.client(source.service, region_name="us-east-1")
        shape = client.meta.service_model.operation_model(client.meta.method_to_api_mapping[source.get_method]).output_shape
        for step in source.arn_path:
            shape = shape.members[step]
        arn = resource_arn(source.resource_type, SAMPLE_IDS[source.resource_type], "123456789012", "us-east-1")
        assert source.resource_type in _ARNS and re.fullmatch(shape.metadata["pattern"].strip("^$"), arn), (source.resource_type, arn)
    # a data source: `<kb id>/data-source/<ds id>` (workspace_rule.inventory.data_source_id), the crawl's ARN
    assert resource_arn("AWS::Bedrock::DataSource", "KB00000001/data-source/DS00000001", "123456789012", "us-east-1") \
        == "arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB00000001/data-source/DS00000001"
