"""Accepted exceptions on the Config route: which of its findings are suppressed or reopened, the GetFindings that
finds them (checked against the service model by botocore's Stubber), and end to end against moto's Security Hub
holding a finding shaped as AWS's Config integration documents it (User Guide, AWS service integrations, AWS Config,
"Typical finding from AWS Config")."""

from __future__ import annotations

import boto3
from botocore.stub import Stubber

from guardrails.audit.config_route import RULE_NAMES
from guardrails.audit.config_route_findings import config_findings, wanted
from guardrails.audit.model import Finding
from guardrails.cli.main import main
from tests.audit.endpoint import OWNERSHIP_TAGS

ACCOUNT, REGION = "123456789012", "us-east-1"
RULE = RULE_NAMES[0]


def config_finding(resource: str, status: str = "FAILED", rule: str = RULE) -> dict:
    rule_arn = f"arn:aws:config:{REGION}:{ACCOUNT}:config-rule/config-rule-abc123"
    return {"SchemaVersion": "2018-10-08", "Id": f"{rule_arn}/finding/{abs(hash(resource)):x}",
            "ProductArn": f"arn:aws:securityhub:{REGION}::product/aws/config", "ProductName": "Config", "CompanyName": "AWS",
            "Region": REGION, "GeneratorId": rule_arn, "AwsAccountId": ACCOUNT, "Types": ["Software and Configuration Checks"],
            "CreatedAt": "2026-11-30T09:00:00.000Z", "UpdatedAt": "2026-11-30T09:00:00.000Z",
            "Severity": {"Label": "MEDIUM"}, "Title": rule,
            "Description": f"This finding is created for a resource compliance change for config rule: {rule}",
            "ProductFields": {"aws/config/ConfigRuleName": rule, "aws/config/ConfigComplianceType": "NON_COMPLIANT"},
            "Resources": [{"Type": "AwsDataZoneDomain", "Id": resource, "Partition": "aws", "Region": REGION}],
            "Compliance": {"Status": status}, "Workflow": {"Status": "NEW"}, "RecordState": "ACTIVE"}


def finding(resource: str, rule: str, status: str = "NON_COMPLIANT", exception: str | None = None) -> Finding:
    return Finding(resource, "AWS::DataZone::Domain", "ws", ACCOUNT, REGION, status, rule, "why", exception=exception)


def test_suppressed_only_when_every_failing_rule_is_excepted():
    all_excepted, one_open, passing, elsewhere = (f"arn:aws:datazone:{REGION}:{ACCOUNT}:domain/dzd_{n}" for n in "abcd")
    by_resource = {r: config_finding(r) for r in (all_excepted, one_open, passing)}
    findings = [finding(all_excepted, "BedrockGuardrails-WorkspaceCMK", exception="legacy"),
                finding(all_excepted, "BedrockGuardrails-KeyOwnershipTags", exception="team moved"),
                finding(one_open, "BedrockGuardrails-WorkspaceCMK", exception="legacy"),
                finding(one_open, "BedrockGuardrails-KeyOwnershipTags"),
                finding(passing, "BedrockGuardrails-WorkspaceCMK", status="COMPLIANT"),
                finding(elsewhere, "BedrockGuardrails-WorkspaceCMK", exception="legacy")]
    items, unmatched = wanted(findings, by_resource)
    by_id = {i["Id"]: i for i in items}
    assert by_id[by_resource[all_excepted]["Id"]]["Note"]["Text"] == "Accepted exception: legacy; team moved"
    assert "Note" not in by_id[by_resource[one_open]["Id"]] and "Note" not in by_id[by_resource[passing]["Id"]]
    assert unmatched == 1  # the excepted resource with no Config finding yet


def test_the_lookup_is_a_valid_get_findings_and_refilters_the_answer():
    sh = boto3.client("securityhub", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    ours = config_finding("arn:aws:datazone:us-east-1:123456789012:domain/dzd_a")
    other_rule = config_finding("arn:aws:datazone:us-east-1:123456789012:domain/dzd_b", rule="someone-elses-rule")
    impostor = {**config_finding("arn:aws:datazone:us-east-1:123456789012:domain/dzd_c"),
                "ProductArn": f"arn:aws:securityhub:{REGION}:{ACCOUNT}:product/{ACCOUNT}/default"}  # not Config's product
    with Stubber(sh) as stubber:
        stubber.add_response("get_findings", {"Findings": [ours, other_rule, impostor]}, {"Filters": {
            "ProductName": [{"Value": "Config", "Comparison": "EQUALS"}],
            "Title": [{"Value": name, "Comparison": "EQUALS"} for name in RULE_NAMES],
            "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
            "AwsAccountId": [{"Value": ACCOUNT, "Comparison": "EQUALS"}]}})
        found = config_findings(sh, ACCOUNT, RULE_NAMES)
    assert found == {"arn:aws:datazone:us-east-1:123456789012:domain/dzd_a": ours}


def test_the_config_routes_finding_of_an_exception_is_suppressed_then_reopened(world, endpoint, capsys):
    domain = world.domain("legacy", None, tags={**OWNERSHIP_TAGS, "GuardrailsException": "migration SEC-42"})
    arn = f"arn:aws:datazone:{REGION}:{ACCOUNT}:domain/{domain}"
    world.config_rule(RULE)
    shown = config_finding(arn)
    world.client("securityhub").batch_import_findings(Findings=[shown])  # what the Config integration delivered

    def run() -> tuple[int, str, dict]:
        code = main(["audit", "--endpoint-url", endpoint.url, "--regions", REGION, "--format", "json", "--security-hub"])
        stored = {f["Id"]: f for f in world.client("securityhub").get_findings()["Findings"]}
        return code, capsys.readouterr().err, stored[shown["Id"]]

    code, err, after = run()
    assert code == 0 and "on the Config route, 1 accepted exceptions suppressed" in err and "0 findings imported" in err
    assert after["Workflow"]["Status"] == "SUPPRESSED" and after["Note"]["Text"] == "Accepted exception: migration SEC-42"

    endpoint.domains[(ACCOUNT, REGION)][domain]["tags"] = dict(OWNERSHIP_TAGS)  # the exception is lifted
    code, err, after = run()
    assert code == 1 and "0 accepted exceptions suppressed, 1 reopened" in err
    assert after["Workflow"]["Status"] == "NEW" and "exception removed" in after["Note"]["Text"]


def test_an_exception_without_a_config_finding_is_reported(world, endpoint, capsys):
    world.domain("legacy", None, tags={**OWNERSHIP_TAGS, "GuardrailsException": "migration SEC-42"})
    world.config_rule(RULE)
    main(["audit", "--endpoint-url", endpoint.url, "--regions", REGION, "--format", "json", "--security-hub"])
    assert "1 without a Config finding to suppress yet" in capsys.readouterr().err
