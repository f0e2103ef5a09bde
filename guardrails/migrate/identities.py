"""Map project members from one domain to the other: the same IAM Identity Center user or group, or the same
IAM principal, has a different DataZone user/group profile id in each domain.

A member's identity is read from its profile (GetUserProfile: details.sso.username or details.iam.arn;
GetGroupProfile: groupName) and looked up in the target with SearchUserProfiles / SearchGroupProfiles
(DATAZONE_SSO_USER, DATAZONE_IAM_USER, DATAZONE_SSO_GROUP: people who already have a profile there).
Exact matches only: a search is by text, and "ann" must not become "joanne".
"""

from __future__ import annotations

from typing import Any

from guardrails.migrate.reader import Reader

USER, GROUP = "user", "group"


def identity_of(reader: Reader, details: dict[str, Any], cache: dict[str, str]) -> str:
    """A domain-independent name for a member: "sso-user:alice", "iam-user:arn:...", "sso-group:analysts"."""
    if "user" in details:
        user_id = details["user"]["userId"]
        if user_id not in cache:
            profile = reader.attempt(f"user profile {user_id}", lambda: reader.call("get_user_profile", userIdentifier=user_id), {})
            info = profile.get("details", {})
            if info.get("sso", {}).get("username"):
                cache[user_id] = f"sso-user:{info['sso']['username']}"
            elif info.get("iam", {}).get("arn"):
                cache[user_id] = f"iam-user:{info['iam']['arn']}"
            else:
                cache[user_id] = f"unknown-user:{user_id}"
        return cache[user_id]
    group_id = details.get("group", {}).get("groupId", "?")
    if group_id not in cache:
        profile = reader.attempt(f"group profile {group_id}", lambda: reader.call("get_group_profile", groupIdentifier=group_id), {})
        cache[group_id] = f"sso-group:{profile['groupName']}" if profile.get("groupName") else f"unknown-group:{group_id}"
    return cache[group_id]


class IdentityMapper:
    """Target member for an identity, looked up once each."""

    def __init__(self, target: Reader | None):
        self._target = target
        self._found: dict[str, dict[str, str] | None] = {}

    def member(self, identity: str) -> dict[str, str] | None:
        """The CreateProjectMembership `member` for `identity` in the target, or None when it has no profile there."""
        if identity not in self._found:
            self._found[identity] = self._look_up(identity)
        return self._found[identity]

    def _look_up(self, identity: str) -> dict[str, str] | None:
        kind, _, name = identity.partition(":")
        if self._target is None or kind.startswith("unknown"):
            return None
        reader = self._target
        if kind == "sso-group":
            groups = reader.attempt("group profiles", lambda: reader.all(
                "search_group_profiles", "items", groupType="DATAZONE_SSO_GROUP", searchText=name), [])
            match = next((g for g in groups if g.get("groupName") == name), None)
            return {"groupIdentifier": match["id"]} if match else None
        user_type, detail, field = ("DATAZONE_SSO_USER", "sso", "username") if kind == "sso-user" else ("DATAZONE_IAM_USER", "iam", "arn")
        users = reader.attempt("user profiles", lambda: reader.all(
            "search_user_profiles", "items", userType=user_type, searchText=name), [])
        match = next((u for u in users if u.get("details", {}).get(detail, {}).get(field) == name), None)
        return {"userIdentifier": match["id"]} if match else None
