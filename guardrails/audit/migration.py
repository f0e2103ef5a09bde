"""`guardrails migrate-plan`: read a DataZone domain and plan its replacement on a customer-managed key.

A domain's key is fixed at creation (UpdateDomain has no key field), so migrating means creating a new
domain and moving its contents. This module reads what the DataZone API exposes (projects,
environments, blueprints, members, glossaries), each part on its own so one denied call leaves the
rest of the plan intact, and writes the plan as Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from guardrails.audit.errors import describe_error


@dataclass
class DomainSnapshot:
    domain: dict[str, Any]
    projects: list[dict] = field(default_factory=list)
    environments: list[dict] = field(default_factory=list)
    blueprints: list[dict] = field(default_factory=list)
    members: dict[str, list[dict]] = field(default_factory=dict)  # project id -> memberships
    glossaries: list[dict] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)  # what -> error


def _all(client: Any, operation: str, key: str, **kwargs: Any) -> list[dict]:
    return [item for page in client.get_paginator(operation).paginate(**kwargs) for item in page.get(key, [])]


def read_domain(client: Any, domain_id: str) -> DomainSnapshot:
    """GetDomain must work (it raises); every other read is best effort and recorded when it fails."""
    snapshot = DomainSnapshot(client.get_domain(identifier=domain_id))

    def attempt(what: str, call):
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 - recorded in the plan as "could not read"
            snapshot.unreadable[what] = describe_error(exc)
            return None

    snapshot.projects = attempt("projects", lambda: _all(client, "list_projects", "items", domainIdentifier=domain_id)) or []
    for project in snapshot.projects:
        envs = attempt(f"environments of {project['name']}", lambda: _all(
            client, "list_environments", "items", domainIdentifier=domain_id, projectIdentifier=project["id"]))
        snapshot.environments.extend(envs or [])
        snapshot.members[project["id"]] = attempt(f"members of {project['name']}", lambda: _all(
            client, "list_project_memberships", "members", domainIdentifier=domain_id, projectIdentifier=project["id"])) or []
    snapshot.blueprints = attempt("blueprints", lambda: _all(
        client, "list_environment_blueprints", "items", domainIdentifier=domain_id)) or []
    found = attempt("glossaries", lambda: _all(client, "search", "items", domainIdentifier=domain_id, searchScope="GLOSSARY"))
    snapshot.glossaries = [item["glossaryItem"] for item in found or [] if "glossaryItem" in item]
    return snapshot


def _construct_id(name: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", name) or ["Workspace"]
    ident = "".join(w[:1].upper() + w[1:] for w in words)
    return ident if ident[0].isalpha() else "W" + ident


def cdk_snippet(snapshot: DomainSnapshot) -> str:
    domain, tags = snapshot.domain, snapshot.domain.get("tags") or {}
    name = f"{domain.get('name', 'workspace')}-cmk"

    def arg(tag: str) -> str:
        return repr(tags[tag]) if tags.get(tag) else f'"TODO-{tag}"'
    return "\n".join([
        "from guardrails.constructs import CompliantWorkspace",
        "",
        "# in your Stack's __init__: a new domain on a new customer-managed key (WorkspaceKey),",
        "# rotation on, least-privilege key policy, ownership tags",
        f"{_construct_id(domain.get('name', 'Workspace'))} = CompliantWorkspace(",
        f"    self, {_construct_id(domain.get('name', 'Workspace'))!r},",
        f"    name={name!r},",
        f"    owner={arg('Owner')},",
        f"    cost_center={arg('CostCenter')},",
        f"    data_classification={arg('DataClassification')},",
        ")",
    ])


def render_plan(snapshot: DomainSnapshot) -> str:
    d = snapshot.domain
    version = d.get("domainVersion", "V1")
    key = d.get("kmsKeyIdentifier") or "none (AWS-owned key)"
    lines = [f"# Migration plan: DataZone domain {d.get('name')} ({d['id']}, {version})", "",
             f"- Current key: {key}",
             f"- Domain ARN: {d.get('arn', '-')}",
             f"- Portal: {d.get('portalUrl', '-')}",
             f"- Projects: {len(snapshot.projects)}, environments: {len(snapshot.environments)}, "
             f"blueprints: {len(snapshot.blueprints)}, glossaries: {len(snapshot.glossaries)}, "
             f"project members: {sum(len(m) for m in snapshot.members.values())}",
             "", "A domain's KMS key is fixed at creation (UpdateDomain has no key field): the fix is a new domain "
             "on a customer-managed key, then moving the contents.", "",
             "## 1. CDK for the compliant replacement", "", "```python", cdk_snippet(snapshot), "```", "",
             "## 2. Steps, in order", "",
             f"`guardrails migrate --from {d['id']} --to NEW_DOMAIN_ID` does the copying steps below through DataZone's "
             "APIs (a dry run first; then `--apply --state FILE`, resumable) and ends by verifying both domains; "
             "see docs/migrate.md. What it cannot copy it lists, as section 3 does.", ""]
    steps = [
        "Deploy the snippet above (`cdk deploy`); `guardrails scan cdk.out` must be clean first.",
        f"Enable the same blueprints in the new domain: {', '.join(b['name'] for b in snapshot.blueprints) or 'none found'}.",
        *(f"Create project `{p['name']}`" + (f" ({p['description']})" if p.get("description") else "") + " in the new domain."
          for p in snapshot.projects),
        *(f"Re-create environment `{e['name']}` of project {_project_name(snapshot, e['projectId'])} "
          f"(provider {e.get('provider', '?')}, account {e.get('awsAccountId', '?')}/{e.get('awsAccountRegion', '?')})."
          for e in snapshot.environments),
        "Add the project members again with the same designations (see the checklist).",
        *(f"Re-create glossary `{g['name']}` and its terms (export from the old portal)." for g in snapshot.glossaries),
        "Re-publish data assets and data products; re-approve subscriptions.",
        "Point users at the new portal; freeze the old domain (remove members) for a grace period.",
        "Run `guardrails audit` and confirm the new domain is COMPLIANT.",
        f"Delete the old domain ({d['id']}) once nothing reads it; keep its key until then.",
    ]
    lines += [f"{n}. {s}" for n, s in enumerate(steps, 1)]
    lines += ["", "## 3. What cannot be migrated automatically", "",
              "- Data already encrypted under the old domain's key: assets' metadata, the catalog and its search index "
              "are re-created, not copied.",
              "- Subscriptions, grants and approvals: they are re-requested and re-approved in the new domain.",
              "- Portal URL and domain id change: bookmarks, scripts and IAM policies naming the old ids need edits.",
              "- Project history, comments and lineage stay in the old domain.",
              "- Single sign-on user assignment and the domain execution role are set up again.",
              *(f"- Could not read {what}: {why}. Inventory it by hand." for what, why in snapshot.unreadable.items())]
    lines += ["", "## 4. Checklist", ""]
    checks = ["New domain deployed on a customer-managed key (WorkspaceCMK compliant)",
              "Key rotation on, ownership tags present, key policy least-privilege"]
    checks += [f"Project `{p['name']}` re-created" for p in snapshot.projects]
    checks += [f"Environment `{e['name']}` re-created" for e in snapshot.environments]
    for project_id, members in snapshot.members.items():
        for member in members:
            checks.append(f"Member {_member(member)} added to {_project_name(snapshot, project_id)} as {member.get('designation')}")
    checks += [f"Glossary `{g['name']}` re-created" for g in snapshot.glossaries]
    checks += ["Users moved to the new portal", "Old domain deleted"]
    lines += [f"- [ ] {c}" for c in checks]
    return "\n".join(lines) + "\n"


def _project_name(snapshot: DomainSnapshot, project_id: str) -> str:
    return next((f"`{p['name']}`" for p in snapshot.projects if p["id"] == project_id), project_id)


def _member(member: dict) -> str:
    details = member.get("memberDetails", {})
    user, group = details.get("user", {}), details.get("group", {})
    return f"user {user['userId']}" if user.get("userId") else f"group {group.get('groupId', '?')}"
