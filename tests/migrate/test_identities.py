"""Members are mapped by identity (IAM Identity Center user or group name, IAM ARN), not by profile id."""

from __future__ import annotations

from tests.migrate.estate import IAM_ROLE
from tests.migrate.helpers import run


def _members(store, domain: str, project_name: str) -> dict[str, str]:
    """identity -> designation, read from the store's own profiles."""
    project = next(p for p in store.items(domain, "projects") if p["name"] == project_name)
    users = store.tables[(domain, "user-profiles")]
    groups = store.tables[(domain, "group-profiles")]
    found = {}
    for member in store.members[(domain, project["id"])]:
        details = member["memberDetails"]
        if "user" in details:
            profile = users[details["user"]["userId"]]["details"]
            found[profile.get("sso", {}).get("username") or profile["iam"]["arn"]] = member["designation"]
        else:
            found[groups[details["group"]["groupId"]]["groupName"]] = member["designation"]
    return found


def test_members_get_the_target_profiles_of_the_same_people(endpoint, estate, tmp_path):
    source, target = estate.source(uncopyable=False), estate.target()
    source_alice = next(u["id"] for u in endpoint.store.items(source, "user-profiles") if u["details"].get("sso", {}).get("username") == "alice")
    target_alice = next(u["id"] for u in endpoint.store.items(target, "user-profiles") if u["details"].get("sso", {}).get("username") == "alice")
    assert source_alice != target_alice  # the same person, two profile ids
    outcome, _ = run(endpoint, source, target, apply=True, state=tmp_path / "s.json")
    assert outcome.exit_code == 0
    assert _members(endpoint.store, target, "team-analytics") == {"alice": "PROJECT_OWNER", "analysts": "PROJECT_CONTRIBUTOR"}
    assert _members(endpoint.store, target, "team-ml") == {IAM_ROLE: "PROJECT_CONTRIBUTOR"}


def test_a_similar_name_is_not_the_same_person(endpoint, estate, tmp_path):
    """Search matches text; only an exact user name maps. "ann" must not become "joanne"."""
    source, target = estate.domain("src"), estate.cmk_domain()
    project = estate.datazone.create_project(domainIdentifier=source, name="p")["id"]
    estate.datazone.create_project_membership(domainIdentifier=source, projectIdentifier=project, designation="PROJECT_OWNER",
                                              member={"userIdentifier": estate.user(source, "ann")})
    estate.user(target, "joanne")
    outcome, text = run(endpoint, source, target, apply=True, state=tmp_path / "s.json")
    assert "sso-user ann in project p: no profile for this identity in the target domain" in text
    assert outcome.exit_code == 1 and "sso-user ann in project p: missing in the target" in text
    assert _members(endpoint.store, target, "p") == {}


def test_a_member_added_to_the_target_later_is_copied_by_a_rerun(endpoint, estate, tmp_path):
    source, target, state = estate.source(), estate.target(), tmp_path / "s.json"
    first, _ = run(endpoint, source, target, apply=True, state=state)
    assert first.exit_code == 1 and "bob" not in _members(endpoint.store, target, "team-ml")
    estate.user(target, "bob")  # the platform team assigns bob to the new domain
    second, text = run(endpoint, source, target, apply=True, state=state)
    assert _members(endpoint.store, target, "team-ml")["bob"] == "PROJECT_CONTRIBUTOR"
    assert "sso-user bob in project team-ml: missing" not in text
    assert endpoint.store.names(target, "projects") == ["team-analytics", "team-ml"]  # nothing else twice
