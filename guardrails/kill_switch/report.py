"""Text and JSON renderings of a kill-switch plan or action."""

from __future__ import annotations

import json
from typing import Any

from guardrails.kill_switch.blast_radius import BlastRadius
from guardrails.kill_switch.target import KeyState

FORMATS = ("text", "json")


def document(key: KeyState, radius: BlastRadius, action: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "key": key.ref.arn,
        "key_state": key.state,
        "scopes": [str(s) for s in radius.scopes],
        "dependents": [{"arn": d.resource.arn, "type": d.resource.resource_type, "name": d.resource.name,
                        "account": d.resource.account, "region": d.resource.region, "owner": d.owner,
                        "workspace": d.resource.workspace} for d in radius.dependents],
        "owners": radius.owners,
        "complete": radius.complete,
        "not_evaluated": [n.as_dict() for n in radius.not_evaluated],
        **({"action": action} if action else {}),
    }


def render(fmt: str, doc: dict[str, Any]) -> str:
    if fmt == "json":
        return json.dumps(doc, indent=2, sort_keys=True) + "\n"
    lines = [f"key: {doc['key']} ({doc['key_state']})", f"scanned: {', '.join(doc['scopes'])}",
             f"blast radius: {len(doc['dependents'])} resource(s), owners: {', '.join(doc['owners']) or 'none tagged'}"]
    for dep in doc["dependents"]:
        lines.append(f"  {dep['type']}  {dep['name']}  {dep['arn']}  owner={dep['owner'] or '-'}")
    if not doc["complete"]:
        lines.append("INCOMPLETE: these could not be read, so the blast radius may be larger:")
        lines.extend(f"  {n['account']}/{n['region']} {n['what']}: {n['reason']}" for n in doc["not_evaluated"])
    action = doc.get("action")
    if action:
        lines.append(f"{action['action']}: {action['state_before']} -> {action['state_after']} by {action['who']} "
                     f"at {action['timestamp']}: {action['reason']}")
        if action.get("tag_error"):
            lines.append(f"WARNING: the key could not be tagged ({action['tag_error']}); the history file has the record")
    return "\n".join(lines) + "\n"
