"""migrate-plan reads a domain through botocore from the local DataZone endpoint."""

from __future__ import annotations

from guardrails.cli.main import main
from tests.audit.conftest import _server, endpoint, world  # noqa: F401 - the shared endpoint fixtures
from tests.audit.endpoint import Fault

PROJECTS = [{"domainId": "x", "id": f"prj{n}", "name": f"team-{n}", "createdBy": "u1"} for n in range(3)]
ENVIRONMENTS = [{"projectId": "prj0", "id": "env0", "domainId": "x", "createdBy": "u1", "name": "lakehouse",
                 "provider": "Amazon SageMaker", "awsAccountId": "123456789012", "awsAccountRegion": "us-east-1"}]
BLUEPRINTS = [{"id": "bp1", "name": "DefaultDataLake", "provider": "Amazon DataZone", "provisioningProperties": {"cloudFormation": {"templateUrl": "https://example.com/t.json"}}}]
MEMBERS = {"prj0": [{"memberDetails": {"user": {"userId": "alice"}}, "designation": "PROJECT_OWNER"},
                    {"memberDetails": {"group": {"groupId": "analysts"}}, "designation": "PROJECT_CONTRIBUTOR"}]}
GLOSSARIES = [{"domainId": "x", "id": "g1", "name": "Finance terms", "owningProjectId": "prj0", "status": "ENABLED"}]


def plan(endpoint, capsys, domain_id: str) -> tuple[int, str, str]:
    code = main(["migrate-plan", "--domain-id", domain_id, "--region", "us-east-1", "--endpoint-url", endpoint.url])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_plan_covers_every_part_of_the_domain(world, endpoint, capsys):
    domain_id = world.domain("Research Lab", None, version="V2", projects=PROJECTS, environments=ENVIRONMENTS,
                             blueprints=BLUEPRINTS, members=MEMBERS, glossaries=GLOSSARIES,
                             tags={"Owner": "ml-platform"})  # no CostCenter: the plan must leave a TODO
    code, out, _ = plan(endpoint, capsys, domain_id)
    assert code == 0
    assert "CompliantWorkspace(\n    self, 'ResearchLab'," in out and "name='Research Lab-cmk'" in out
    assert "owner='ml-platform'" in out and 'cost_center="TODO-CostCenter"' in out
    for text in ("team-0", "team-2", "lakehouse", "DefaultDataLake", "Finance terms", "user alice", "group analysts",
                 "## 2. Steps, in order", "## 3. What cannot be migrated automatically", "## 4. Checklist"):
        assert text in out, text
    steps = out.split("## 2.")[1].split("## 3.")[0]
    assert steps.index("Deploy the snippet") < steps.index("team-0") < steps.index("Delete the old domain")
    compile(out.split("```python\n")[1].split("```")[0], "snippet", "exec")  # the snippet is valid Python
    assert f"`guardrails migrate --from {domain_id} --to NEW_DOMAIN_ID` does the copying steps" in out  # the command, linked


def test_parts_that_cannot_be_read_are_listed_for_manual_work(world, endpoint, capsys):
    domain_id = world.domain("ops", None, projects=PROJECTS[:1], members=MEMBERS)
    endpoint.faults.append(Fault(lambda c: c.path.endswith("/memberships"), "AccessDeniedException", 403))
    code, out, _ = plan(endpoint, capsys, domain_id)
    assert code == 0 and "Could not read members of team-0: AccessDeniedException" in out


def test_unknown_domain_is_a_usage_error(endpoint, capsys):
    code, out, err = plan(endpoint, capsys, "dzd_missing")
    assert code == 2 and "ResourceNotFoundException" in err and out == ""
