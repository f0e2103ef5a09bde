"""Pagination, throttling, AccessDenied, services the endpoint lacks, Ctrl-C, scale."""

from __future__ import annotations

import json

import pytest
from moto.server import ThreadedMotoServer

from guardrails.audit.clients import ClientFactory
from guardrails.audit.model import Scope
from guardrails.audit.runner import Auditor
from guardrails.cli.main import main
from guardrails.settings import Settings
from tests.audit.endpoint import PAGE, Fault
from tests.audit.world import HOME

OTHER = "210987654321"


def audit(endpoint, capsys, *extra: str, regions: str = "us-east-1") -> tuple[int, dict]:
    code = main(["audit", "--endpoint-url", endpoint.url, "--regions", regions, "--format", "json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_pagination_of_datazone_and_moto_lists(world, endpoint, capsys):
    key = world.key()
    for n in range(2 * PAGE + 1):  # the fake pages by 2
        world.domain(f"d{n}", key)
    for n in range(105):  # moto pages list_agents by 100
        world.agent(f"a{n}", key)
    code, report = audit(endpoint, capsys)
    types = [f["resource_type"] for f in report["findings"]]
    assert types.count("AWS::DataZone::Domain") == 2 * PAGE + 1
    assert types.count("AWS::Bedrock::Agent") == 105
    assert endpoint.calls["datazone:/v2/domains"] == 3 and code == 0


def test_throttling_is_retried_then_succeeds(world, endpoint, capsys):
    world.domain("busy", world.key())
    endpoint.faults.append(Fault(lambda c: c.path == "/v2/domains", "ThrottlingException", 429, times=2))
    code, report = audit(endpoint, capsys)
    assert [f["name"] for f in report["findings"]] == ["busy (V1)"]
    assert endpoint.calls["datazone:/v2/domains"] == 3 and code == 0


def test_access_denied_in_one_account_and_one_region_does_not_stop_the_run(world, endpoint, capsys):
    key = world.key()
    world.agent("home-agent", key)
    world.agent("other-agent", world.key(account=OTHER), account=OTHER)
    denied = "999988887777"
    endpoint.faults.append(Fault(lambda c: c.target == "AssumeRole" and denied in str(c), "AccessDenied", 403))
    endpoint.faults.append(Fault(lambda c: c.region == "eu-west-1" and c.path.startswith("/agents"),
                                 "AccessDeniedException", 403))
    code, report = audit(endpoint, capsys, "--accounts", f"{HOME},{OTHER},{denied}", "--role-name", "GuardrailsAudit",
                         regions="us-east-1,eu-west-1")
    assert {f["name"] for f in report["findings"]} == {"home-agent", "other-agent"}
    gaps = report["not_evaluated"]
    assert {g["account"] for g in gaps if "AccessDenied" in g["reason"]} >= {denied, HOME, OTHER}
    assert any(g["region"] == "eu-west-1" and g["what"] == "AWS::Bedrock::Agent" for g in gaps)
    assert code == 3  # everything readable was compliant, but not everything was readable


def test_assume_role_denial_is_asked_once_per_account(world, endpoint, capsys):
    denied = "999988887777"
    endpoint.faults.append(Fault(lambda c: c.target == "AssumeRole", "AccessDenied", 403))
    audit(endpoint, capsys, "--accounts", denied, "--role-name", "R", regions="us-east-1,eu-west-1,eu-central-1")
    assert endpoint.calls["sts:AssumeRole"] == 1


def test_services_moto_lacks_are_not_evaluated_never_compliant(world, monkeypatch, tmp_path):
    plain = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)  # moto alone: no DataZone
    plain.start()
    try:
        monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
        host, port = plain.get_host_and_port()
        out = tmp_path / "audit.json"  # a file: moto prints its routing complaints on stdout
        code = main(["audit", "--endpoint-url", f"http://{host}:{port}", "--regions", "us-east-1", "--format", "json",
                     "--output", str(out)])
        report = json.loads(out.read_text())
    finally:
        plain.stop()
    missing = {g["what"] for g in report["not_evaluated"]}
    assert {"AWS::DataZone::Domain", "AWS::Bedrock::Guardrail", "AWS::Bedrock::Flow", "AWS::Bedrock::Prompt"} <= missing
    assert report["findings"] == [] and report["kpis"]["pct_on_cmk"] is None
    assert code == 3


def test_ctrl_c_returns_what_was_gathered(world, endpoint):
    key = world.key()
    for region in ("us-east-1", "eu-west-1", "eu-central-1"):
        world.agent(f"agent-{region}", key if region == "us-east-1" else None, region=region)
    factory = ClientFactory(endpoint_url=endpoint.url)
    auditor = Auditor(factory, Settings(), [HOME])

    def interrupt(scope, result):
        raise KeyboardInterrupt  # as if Ctrl-C arrived while the main thread waited

    scopes = [Scope(HOME, r) for r in ("us-east-1", "eu-west-1", "eu-central-1")]
    result = auditor.run(scopes, max_workers=1, on_scope_done=interrupt)
    assert result.interrupted and result.findings
    assert any(g.reason.startswith("interrupted") for g in result.not_evaluated)


@pytest.mark.parametrize("workers", [8])
def test_500_resources_across_20_account_regions(world, endpoint, capsys, workers):
    accounts = [HOME, OTHER, "111111111111", "222222222222"]
    regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"]
    bad = 0
    for account in accounts:
        for region in regions:
            key = world.key(account=account, region=region)
            for n in range(25):
                kind = ("guardrail", "flow", "prompt")[n % 3]
                on_key = n % 5 != 0
                bad += not on_key
                if kind == "guardrail":
                    world.guardrail(f"g{n}", key if on_key else None, account=account, region=region)
                else:
                    world.flow_or_prompt(kind, f"{kind}{n}", key if on_key else None, account=account, region=region)
    code, report = audit(endpoint, capsys, "--accounts", ",".join(accounts), "--role-name", "GuardrailsAudit",
                         "--max-workers", str(workers), regions=",".join(regions))
    kpis = report["kpis"]
    assert kpis["resources"] == 500 and kpis["scopes"] == 20 and report["not_evaluated"] == []
    assert kpis["non_compliant_resources"] == bad == 100 and kpis["pct_on_cmk"] == 80.0
    assert len(kpis["by_account_region"]) == 20 and all(row["resources"] == 25 for row in kpis["by_account_region"].values())
    assert code == 1
