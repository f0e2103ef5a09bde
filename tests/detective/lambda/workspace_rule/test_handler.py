"""The custom Config rule end to end through botocore: moto for KMS, Config, CloudWatch and
DynamoDB; Stubber for DataZone and Bedrock (validated against the real service models)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from .aws import ACCOUNT, fail_http, good_key, latest_metric

DOMAIN = "AWS::DataZone::Domain"


def test_a_domain_on_a_good_key_is_compliant_and_counted(world):
    key = good_key(world.clients.kms)
    world.domains([("dzd_good", key)])
    world.no_bedrock_resources()
    summary = world.run()
    result = world.evaluations()[(DOMAIN, "dzd_good")]
    assert result["ComplianceType"] == "COMPLIANT", result.get("Annotation")
    assert world.evaluations()[("AWS::::Account", ACCOUNT)]["ComplianceType"] == "COMPLIANT"
    assert summary["nonCompliant"] == 0


def test_domains_on_more_than_one_page_are_all_judged(world):
    key = good_key(world.clients.kms)
    world.domains([("dzd_a", key), ("dzd_b", None)], [("dzd_c", key)])
    world.no_bedrock_resources()
    world.run()
    results = world.evaluations()
    assert {rid for (rtype, rid) in results if rtype == DOMAIN} == {"dzd_a", "dzd_b", "dzd_c"}
    assert results[(DOMAIN, "dzd_b")]["ComplianceType"] == "NON_COMPLIANT"
    assert "AWS-owned key" in results[(DOMAIN, "dzd_b")]["Annotation"]


def test_more_than_100_evaluations_go_in_batches_of_at_most_100(world):
    key = good_key(world.clients.kms)
    world.domains([(f"dzd_{i:03d}", key) for i in range(80)], [(f"dzd_{i:03d}", key) for i in range(80, 150)])
    world.no_bedrock_resources()
    world.run()
    sizes = [len(call["Evaluations"]) for call in world.put_evaluations]
    assert sizes == [100, 51]  # 150 domains + the account's inventory evaluation
    assert all(call["TestMode"] for call in world.put_evaluations)


def test_kms_throttling_is_retried_then_judged_on_the_real_answer(world):
    key = good_key(world.clients.kms)
    served = fail_http(world.clients.kms, "DescribeKey", "ThrottlingException", "Rate exceeded", times=2)
    world.domains([("dzd_t", key)])
    world.no_bedrock_resources()
    world.run()
    assert len(served) == 2
    assert world.evaluations()[(DOMAIN, "dzd_t")]["ComplianceType"] == "COMPLIANT"


def test_access_denied_on_the_key_is_non_compliant_with_the_reason(world):
    key = good_key(world.clients.kms)
    fail_http(world.clients.kms, "GetKeyPolicy", "AccessDeniedException", "not authorized to perform kms:GetKeyPolicy")
    world.domains([("dzd_denied", key)])
    world.no_bedrock_resources()
    world.run()
    result = world.evaluations()[(DOMAIN, "dzd_denied")]
    assert result["ComplianceType"] == "NON_COMPLIANT"
    assert "GetKeyPolicy failed (AccessDeniedException" in result["Annotation"]


def test_a_domain_that_cannot_be_read_is_not_applicable_and_the_account_says_why(world):
    """Issue #10 item 7: a denied read is not evidence of a bad key; NON_COMPLIANT would be a false finding.
    The resource is NOT_APPLICABLE with the reason and the account's own evaluation is NON_COMPLIANT naming it."""
    world.datazone.respond("list_domains", {"items": [{"id": "dzd_x", "name": "x", "arn": f"arn:aws:datazone:us-east-1:{ACCOUNT}:domain/dzd_x",
                                                        "managedAccountId": ACCOUNT, "status": "AVAILABLE",
                                                        "createdAt": datetime(2026, 1, 1, tzinfo=timezone.utc)}]})
    world.datazone.error("get_domain", "AccessDeniedException", "not authorized to perform datazone:GetDomain", 403)
    world.no_bedrock_resources()
    summary = world.run()
    result = world.evaluations()[(DOMAIN, "dzd_x")]
    assert result["ComplianceType"] == "NOT_APPLICABLE"
    assert "get_domain failed (AccessDeniedException" in result["Annotation"]
    account = world.evaluations()[("AWS::::Account", ACCOUNT)]
    assert account["ComplianceType"] == "NON_COMPLIANT" and "dzd_x" in account["Annotation"]
    assert summary["nonCompliant"] == 1  # the account, not the domain


def test_a_cmk_agent_the_rule_may_not_decrypt_keeps_its_open_case(world):
    """GetAgent on a CMK-encrypted agent needs kms:Decrypt for the caller (Bedrock's CMK pages). When the key
    denies it, the agent is NOT_APPLICABLE, and an open NON_COMPLIANT case is neither closed nor reported gone."""
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    summary_item = {"agentId": "AGENT00002", "agentName": "a", "agentStatus": "PREPARED", "updatedAt": now}
    arn = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:agent/AGENT00002"
    agent = {"agentId": "AGENT00002", "agentName": "a", "agentArn": arn, "agentVersion": "DRAFT", "agentStatus": "PREPARED",
             "idleSessionTTLInSeconds": 600, "agentResourceRoleArn": f"arn:aws:iam::{ACCOUNT}:role/agent",
             "createdAt": now, "updatedAt": now}

    def queue(get: dict | None) -> None:
        world.domains([])
        world.bedrock_agent.respond("list_agents", {"agentSummaries": [summary_item]})
        if get is None:
            world.bedrock_agent.error("get_agent", "AccessDeniedException",
                                      "User is not authorized to perform kms:Decrypt with the customer managed key", 403,
                                      {"agentId": "AGENT00002"})
        else:
            world.bedrock_agent.respond("get_agent", {"agent": get}, {"agentId": "AGENT00002"})
            world.bedrock_agent.respond("list_tags_for_resource", {"tags": {}}, {"resourceArn": arn})
        for method, items in (("list_flows", "flowSummaries"), ("list_prompts", "promptSummaries")):
            world.bedrock_agent.respond(method, {items: []})
        world.bedrock.respond("list_guardrails", {"guardrails": []})

    queue(agent)  # no key: NON_COMPLIANT, a case opens
    world.run(now=now)
    world.put_evaluations.clear()
    queue(None)
    world.run(now=now + timedelta(hours=5))
    results = world.evaluations()
    assert results[("AWS::Bedrock::Agent", "AGENT00002")]["ComplianceType"] == "NOT_APPLICABLE"
    assert "kms:Decrypt" in results[("AWS::Bedrock::Agent", "AGENT00002")]["Annotation"]
    assert results[("AWS::::Account", ACCOUNT)]["ComplianceType"] == "NON_COMPLIANT"
    stats = world.clients.cloudwatch.get_metric_statistics(
        Namespace="BedrockGuardrails", MetricName="RemediationHours", StartTime=now - timedelta(days=1),
        EndTime=now + timedelta(days=1), Period=86400 * 2, Statistics=["SampleCount"])
    assert stats["Datapoints"] == []  # unreadable is not remediated


def test_a_listing_that_fails_marks_the_account_and_keeps_old_results(world):
    key = good_key(world.clients.kms)
    world.domains([("dzd_kept", key)])
    world.no_bedrock_resources()
    world.run()
    world.put_evaluations.clear()
    world.datazone.error("list_domains", "AccessDeniedException", "not authorized to perform datazone:ListDomains", 403)
    world.no_bedrock_resources()
    world.run()
    results = world.evaluations()
    assert results[("AWS::::Account", ACCOUNT)]["ComplianceType"] == "NON_COMPLIANT"
    assert "ListDomains" in results[("AWS::::Account", ACCOUNT)]["Annotation"] or "list_domains" in results[("AWS::::Account", ACCOUNT)]["Annotation"]
    assert (DOMAIN, "dzd_kept") not in results  # neither re-judged nor reported gone


def test_a_key_pending_deletion_is_non_compliant(world):
    key = good_key(world.clients.kms)
    world.clients.kms.schedule_key_deletion(KeyId=key.split("/")[-1], PendingWindowInDays=7)
    world.domains([("dzd_p", key)])
    world.no_bedrock_resources()
    world.run()
    result = world.evaluations()[(DOMAIN, "dzd_p")]
    assert result["ComplianceType"] == "NON_COMPLIANT"
    assert "PendingDeletion" in result["Annotation"]


def test_a_disabled_key_is_non_compliant(world):
    key = good_key(world.clients.kms)
    world.clients.kms.disable_key(KeyId=key.split("/")[-1])  # moto takes only the id here
    world.domains([("dzd_d", key)])
    world.no_bedrock_resources()
    world.run()
    result = world.evaluations()[(DOMAIN, "dzd_d")]
    assert result["ComplianceType"] == "NON_COMPLIANT"
    assert "Disabled" in result["Annotation"]


def test_an_aws_managed_key_alias_arn_is_non_compliant_without_kms_calls(world):
    calls = []
    world.clients.kms.meta.events.register("before-call.kms", lambda **kw: calls.append(kw["model"].name))
    world.domains([("dzd_m", f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/aws/datazone")])
    world.no_bedrock_resources()
    world.run()
    result = world.evaluations()[(DOMAIN, "dzd_m")]
    assert result["ComplianceType"] == "NON_COMPLIANT"
    assert "AWS-managed key" in result["Annotation"]
    assert calls == []


def test_a_key_in_another_account_that_cannot_be_described_is_non_compliant(world):
    foreign = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    world.domains([("dzd_f", foreign)])
    world.no_bedrock_resources()
    world.run()
    result = world.evaluations()[(DOMAIN, "dzd_f")]
    assert result["ComplianceType"] == "NON_COMPLIANT"
    assert "DescribeKey failed" in result["Annotation"]


def test_a_domain_that_has_gone_is_not_applicable_and_its_remediation_is_measured(world):
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    world.domains([("dzd_old", None)])
    world.no_bedrock_resources()
    world.run(now=start)
    world.put_evaluations.clear()
    world.domains([])
    world.no_bedrock_resources()
    world.run(now=start + timedelta(hours=30))
    assert world.evaluations()[(DOMAIN, "dzd_old")]["ComplianceType"] == "NOT_APPLICABLE"
    stats = world.clients.cloudwatch.get_metric_statistics(
        Namespace="BedrockGuardrails", MetricName="RemediationHours", StartTime=start - timedelta(days=1),
        EndTime=start + timedelta(days=3), Period=86400 * 5, Statistics=["Maximum", "SampleCount"])
    assert [(p["Maximum"], p["SampleCount"]) for p in stats["Datapoints"]] == [(30.0, 1.0)]


def test_kpis_count_workspaces_on_cmks_and_open_findings(world):
    key = good_key(world.clients.kms)
    world.domains([("dzd_1", key), ("dzd_2", key), ("dzd_3", None)])
    world.no_bedrock_resources()
    now = datetime.now(timezone.utc)
    world.run(now=now)
    cloudwatch = world.clients.cloudwatch
    assert [latest_metric(cloudwatch, name, now) for name in ("Workspaces", "WorkspacesCmk", "NonCompliant", "Exceptions")] \
        == [3.0, 2.0, 1.0, 0.0]


def test_an_aws_managed_key_arn_is_non_compliant(world):
    """moto reports every key as CUSTOMER, so KMS is stubbed here: DescribeKey says KeyManager AWS."""
    from botocore.stub import Stubber

    managed = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    kms = Stubber(world.clients.kms)
    kms.add_response("describe_key", {"KeyMetadata": {"KeyId": managed.split("/")[-1], "Arn": managed, "KeyManager": "AWS",
                                                      "KeyState": "Enabled", "KeySpec": "SYMMETRIC_DEFAULT"}}, {"KeyId": managed})
    world.domains([("dzd_aws", managed)])
    world.no_bedrock_resources()
    with kms:
        world.run()
    kms.assert_no_pending_responses()
    result = world.evaluations()[(DOMAIN, "dzd_aws")]
    assert result["ComplianceType"] == "NON_COMPLIANT"
    assert "AWS managed, not customer-managed" in result["Annotation"]


def test_bedrock_agents_flows_prompts_and_guardrails_are_judged_by_their_key(world):
    key = good_key(world.clients.kms)
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    world.domains([])
    world.bedrock_agent.respond("list_agents", {"agentSummaries": [{"agentId": "AGENT00001", "agentName": "a", "agentStatus": "PREPARED", "updatedAt": now}]})
    world.bedrock_agent.respond("get_agent", {"agent": {
        "agentId": "AGENT00001", "agentName": "a", "agentArn": f"arn:aws:bedrock:us-east-1:{ACCOUNT}:agent/AGENT00001",
        "agentVersion": "DRAFT", "agentStatus": "PREPARED", "idleSessionTTLInSeconds": 600,
        "agentResourceRoleArn": f"arn:aws:iam::{ACCOUNT}:role/agent", "createdAt": now, "updatedAt": now}},
        {"agentId": "AGENT00001"})
    world.bedrock_agent.respond("list_tags_for_resource", {"tags": {}},  # NON_COMPLIANT: is it an accepted exception?
                                {"resourceArn": f"arn:aws:bedrock:us-east-1:{ACCOUNT}:agent/AGENT00001"})
    world.bedrock_agent.respond("list_flows", {"flowSummaries": [{"id": "FLOW000001", "name": "f", "status": "Prepared", "version": "DRAFT",
                                                                  "arn": f"arn:aws:bedrock:us-east-1:{ACCOUNT}:flow/FLOW000001",
                                                                  "createdAt": now, "updatedAt": now}]})
    world.bedrock_agent.respond("get_flow", {"id": "FLOW000001", "name": "f", "status": "Prepared", "version": "DRAFT",
                                             "arn": f"arn:aws:bedrock:us-east-1:{ACCOUNT}:flow/FLOW000001",
                                             "executionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/flow", "customerEncryptionKeyArn": key,
                                             "createdAt": now, "updatedAt": now}, {"flowIdentifier": "FLOW000001"})
    prompt = {"id": "PROMPT0001", "name": "p", "version": "DRAFT", "arn": f"arn:aws:bedrock:us-east-1:{ACCOUNT}:prompt/PROMPT0001",
              "createdAt": now, "updatedAt": now}
    world.bedrock_agent.respond("list_prompts", {"promptSummaries": [prompt]})
    world.bedrock_agent.respond("get_prompt", {**prompt, "customerEncryptionKeyArn": key}, {"promptIdentifier": "PROMPT0001"})
    world.bedrock.respond("list_guardrails", {"guardrails": [{"id": "gr0000000001", "status": "READY", "name": "g", "version": "DRAFT",
                                                             "arn": f"arn:aws:bedrock:us-east-1:{ACCOUNT}:guardrail/gr0000000001",
                                                             "createdAt": now, "updatedAt": now}]})
    world.bedrock.error("get_guardrail", "ResourceNotFoundException", "gone", 404, {"guardrailIdentifier": "gr0000000001"})
    # The flow and the prompt share a key: their owners are read (KeyOwnerIsolation), and they are the same team.
    for arn in (f"arn:aws:bedrock:us-east-1:{ACCOUNT}:flow/FLOW000001", f"arn:aws:bedrock:us-east-1:{ACCOUNT}:prompt/PROMPT0001"):
        world.bedrock_agent.respond("list_tags_for_resource", {"tags": {"Owner": "ml"}}, {"resourceArn": arn})
    world.run()
    results = world.evaluations()
    assert results[("AWS::Bedrock::Agent", "AGENT00001")]["ComplianceType"] == "NON_COMPLIANT"
    assert results[("AWS::Bedrock::Flow", "FLOW000001")]["ComplianceType"] == "COMPLIANT"
    assert results[("AWS::Bedrock::Prompt", "PROMPT0001")]["ComplianceType"] == "COMPLIANT"
    assert ("AWS::Bedrock::Guardrail", "gr0000000001") not in results  # deleted between List and Get
