"""`guardrails audit --org`: Organizations ListAccounts (paginated) and STS AssumeRole into each member,
through botocore against moto's Organizations and STS."""

from __future__ import annotations

import json

import pytest

from guardrails.cli.main import main
from tests.audit.endpoint import PAGE, Fault
from tests.audit.world import HOME, ROLE


def audit_org(endpoint, capsys) -> tuple[int, dict]:
    code = main(["audit", "--org", "--role-name", ROLE, "--endpoint-url", endpoint.url, "--regions", "us-east-1",
                 "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture
def organization(world):
    """HOME (the caller) is the management account; four members created with CreateAccount, one closed."""
    org = world.client("organizations")
    org.create_organization(FeatureSet="ALL")
    members = [org.create_account(AccountName=f"member-{n}", Email=f"m{n}@example.com")["CreateAccountStatus"]["AccountId"]
               for n in range(4)]
    closed = members.pop()
    org.close_account(AccountId=closed)
    for account in [HOME, *members]:
        world.agent(f"agent-{account}", world.key(account=account), account=account)
    return members, closed


def accounts_with_findings(report: dict) -> set[str]:
    return {f["account"] for f in report["findings"]}


def test_every_active_account_is_audited_with_one_assume_role_each(world, endpoint, organization, capsys):
    members, closed = organization
    endpoint.calls.clear()
    code, report = audit_org(endpoint, capsys)
    assert code == 0, report["not_evaluated"]
    # The management account (the caller) is audited too, with the caller's own credentials.
    assert sorted(report["accounts"]) == sorted([HOME, *members]) and closed not in report["accounts"]
    assert accounts_with_findings(report) == {HOME, *members}
    assert all(f["status"] == "COMPLIANT" for f in report["findings"])
    assert set(report["kpis"]["by_account_region"]) == {f"{a}/us-east-1" for a in [HOME, *members]}
    assert all(row["resources"] == 1 and row["pct_on_cmk"] == 100.0 for row in report["kpis"]["by_account_region"].values())
    assert endpoint.calls["sts:AssumeRole"] == len(members)  # none into the caller's own account
    # Five accounts (the closed one included) in pages of PAGE: the paginator followed NextToken.
    assert endpoint.calls["organizations:ListAccounts"] == -(-(len(members) + 2) // PAGE) > 1


def test_a_denied_assume_role_is_not_evaluated_and_the_run_goes_on(world, endpoint, organization, capsys):
    members, _ = organization
    denied = members[0]
    endpoint.faults.append(Fault(lambda c: c.target == "AssumeRole" and denied in c.body, "AccessDenied", 403))
    code, report = audit_org(endpoint, capsys)
    assert accounts_with_findings(report) == {HOME, *members[1:]}
    gaps = report["not_evaluated"]
    assert gaps and {g["account"] for g in gaps} == {denied}
    assert all(g["reason"].startswith("AccessDenied") for g in gaps)
    assert report["kpis"]["by_account_region"].keys() == {f"{a}/us-east-1" for a in [HOME, *members[1:]]}
    assert code == 3  # everything readable is compliant, but one account could not be read


def test_a_non_compliant_member_exits_1_even_with_a_denied_account(world, endpoint, organization, capsys):
    members, _ = organization
    world.agent("aws-owned", None, account=members[1])
    endpoint.faults.append(Fault(lambda c: c.target == "AssumeRole" and members[0] in c.body, "AccessDenied", 403))
    code, report = audit_org(endpoint, capsys)
    bad = [f for f in report["findings"] if f["status"] == "NON_COMPLIANT"]
    assert [(f["account"], f["name"]) for f in bad] == [(members[1], "aws-owned")]
    assert {g["account"] for g in report["not_evaluated"]} == {members[0]}
    assert code == 1


def test_org_without_permission_to_list_accounts_is_a_usage_error(world, endpoint, capsys):
    endpoint.faults.append(Fault(lambda c: c.target == "ListAccounts", "AccessDeniedException", 403))
    code = main(["audit", "--org", "--role-name", ROLE, "--endpoint-url", endpoint.url, "--regions", "us-east-1"])
    err = capsys.readouterr().err
    assert code == 2 and "ListAccounts): AccessDeniedException" in err and "internal error" not in err
