"""Accepted exceptions through botocore: the GuardrailsException tag on a NON_COMPLIANT resource, read from
GetDomain's response (DataZone) or ListTagsForResource (bedrock-agent's map, bedrock's list), keeps the
resource NON_COMPLIANT in Config but moves it from the NonCompliant KPI (the alarm's metric) to Exceptions."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from .aws import ACCOUNT, latest_metric

DOMAIN = "AWS::DataZone::Domain"
REASON = "legacy domain, migration SEC-42 by 2027-03"
NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)
AGENT_ARN = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:agent/AGENT00001"
GUARDRAIL_ARN = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:guardrail/gr0000000001"


def _kpis(world, now):
    return {name: latest_metric(world.clients.cloudwatch, name, now) for name in ("NonCompliant", "Exceptions")}


def test_a_tagged_keyless_domain_stays_non_compliant_but_counts_as_an_exception(world):
    world.domains([("dzd_legacy", None, {"GuardrailsException": REASON}), ("dzd_open", None)])
    world.no_bedrock_resources()
    summary = world.run(now=NOW)
    legacy = world.evaluations()[(DOMAIN, "dzd_legacy")]
    assert legacy["ComplianceType"] == "NON_COMPLIANT"
    assert legacy["Annotation"].startswith(f"accepted exception ({REASON}): no customer-managed key")
    assert not world.evaluations()[(DOMAIN, "dzd_open")]["Annotation"].startswith("accepted exception")
    assert (summary["nonCompliant"], summary["exceptions"]) == (1, 1)
    assert _kpis(world, NOW) == {"NonCompliant": 1.0, "Exceptions": 1.0}


def test_only_excepted_findings_leave_the_open_count_at_zero(world):
    world.domains([("dzd_legacy", None, {"GuardrailsException": REASON})])
    world.no_bedrock_resources()
    world.run(now=NOW)
    assert _kpis(world, NOW) == {"NonCompliant": 0.0, "Exceptions": 1.0}  # the NonCompliant > 0 alarm stays OK


def test_a_reason_shorter_than_ten_characters_is_not_honoured(world):
    world.domains([("dzd_short", None, {"GuardrailsException": "later"})])
    world.no_bedrock_resources()
    world.run(now=NOW)
    assert not world.evaluations()[(DOMAIN, "dzd_short")]["Annotation"].startswith("accepted exception")
    assert _kpis(world, NOW) == {"NonCompliant": 1.0, "Exceptions": 0.0}


def _agent_without_key(world) -> None:
    world.bedrock_agent.respond("list_agents", {"agentSummaries": [
        {"agentId": "AGENT00001", "agentName": "a", "agentStatus": "PREPARED", "updatedAt": NOW}]})
    world.bedrock_agent.respond("get_agent", {"agent": {
        "agentId": "AGENT00001", "agentName": "a", "agentArn": AGENT_ARN, "agentVersion": "DRAFT", "agentStatus": "PREPARED",
        "idleSessionTTLInSeconds": 600, "agentResourceRoleArn": f"arn:aws:iam::{ACCOUNT}:role/agent",
        "createdAt": NOW, "updatedAt": NOW}}, {"agentId": "AGENT00001"})


def _guardrail_without_key(world) -> None:
    world.bedrock.respond("list_guardrails", {"guardrails": [{"id": "gr0000000001", "status": "READY", "name": "g", "version": "DRAFT",
                                                             "arn": GUARDRAIL_ARN, "createdAt": NOW, "updatedAt": NOW}]})
    world.bedrock.respond("get_guardrail", {
        "name": "g", "guardrailId": "gr0000000001", "guardrailArn": GUARDRAIL_ARN, "version": "DRAFT", "status": "READY",
        "createdAt": NOW, "updatedAt": NOW, "blockedInputMessaging": "no", "blockedOutputsMessaging": "no"},
        {"guardrailIdentifier": "gr0000000001"})


def test_bedrock_tags_come_from_list_tags_for_resource_in_both_shapes(world):
    world.domains([])
    _agent_without_key(world)
    world.bedrock_agent.respond("list_tags_for_resource", {"tags": {"GuardrailsException": REASON}}, {"resourceArn": AGENT_ARN})
    world.bedrock_agent.respond("list_flows", {"flowSummaries": []})
    world.bedrock_agent.respond("list_prompts", {"promptSummaries": []})
    _guardrail_without_key(world)
    world.bedrock.respond("list_tags_for_resource", {"tags": [{"key": "GuardrailsException", "value": REASON}]},
                          {"resourceARN": GUARDRAIL_ARN})
    summary = world.run(now=NOW)
    for ref in (("AWS::Bedrock::Agent", "AGENT00001"), ("AWS::Bedrock::Guardrail", "gr0000000001")):
        result = world.evaluations()[ref]
        assert result["ComplianceType"] == "NON_COMPLIANT"
        assert result["Annotation"].startswith(f"accepted exception ({REASON})")
    assert (summary["nonCompliant"], summary["exceptions"]) == (0, 2)


def test_tags_that_cannot_be_read_leave_the_finding_open(world):
    world.domains([])
    _agent_without_key(world)
    world.bedrock_agent.error("list_tags_for_resource", "AccessDeniedException", "not authorized to perform bedrock:ListTagsForResource",
                              403, {"resourceArn": AGENT_ARN})
    world.bedrock_agent.respond("list_flows", {"flowSummaries": []})
    world.bedrock_agent.respond("list_prompts", {"promptSummaries": []})
    world.bedrock.respond("list_guardrails", {"guardrails": []})
    summary = world.run(now=NOW)
    assert world.evaluations()[("AWS::Bedrock::Agent", "AGENT00001")]["ComplianceType"] == "NON_COMPLIANT"
    assert (summary["nonCompliant"], summary["exceptions"]) == (1, 0)


def test_an_excepted_case_stays_open_so_mttr_counts_from_the_first_finding(world):
    world.domains([("dzd_x", None)])
    world.no_bedrock_resources()
    world.run(now=NOW)
    world.domains([("dzd_x", None, {"GuardrailsException": REASON})])
    world.no_bedrock_resources()
    world.run(now=NOW + timedelta(hours=10))
    world.domains([])  # remediated by replacing the workspace
    world.no_bedrock_resources()
    world.run(now=NOW + timedelta(hours=30))
    stats = world.clients.cloudwatch.get_metric_statistics(
        Namespace="BedrockGuardrails", MetricName="RemediationHours", StartTime=NOW - timedelta(days=1),
        EndTime=NOW + timedelta(days=3), Period=86400 * 5, Statistics=["Maximum", "SampleCount"])
    assert [(p["Maximum"], p["SampleCount"]) for p in stats["Datapoints"]] == [(30.0, 1.0)]
