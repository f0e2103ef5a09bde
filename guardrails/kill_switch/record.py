"""What the kill switch leaves behind: a history entry (who, when, why, blast radius) and key tags.

History entries go to the same JSON-lines file as `guardrails audit --history`, marked
`"kind": "kill-switch"` so the audit's MTTR and trends skip them. The tags travel with the key, so
anyone who finds it disabled can read why without the file.
"""

from __future__ import annotations

import re
from typing import Any

from guardrails.audit.history import append_history
from guardrails.kill_switch.blast_radius import BlastRadius

KIND = "kill-switch"
STATE_TAG = "GuardrailsKillSwitch"  # engaged | released
BY_TAG, AT_TAG, REASON_TAG = "GuardrailsKillSwitchBy", "GuardrailsKillSwitchAt", "GuardrailsKillSwitchReason"
# KMS tag values: up to 256 characters (botocore kms TagValueType); AWS tagging guidance allows letters,
# digits, spaces and _ . : / = + - @ across services, so anything else becomes a space.
_TAG_VALUE_UNSAFE = re.compile(r"[^\w .:/=+\-@]", re.UNICODE)
TAG_VALUE_MAX = 256


def tag_value(text: str) -> str:
    return _TAG_VALUE_UNSAFE.sub(" ", text).strip()[:TAG_VALUE_MAX]


def key_tags(action: str, who: str, when: str, reason: str) -> list[dict[str, str]]:
    return [{"TagKey": STATE_TAG, "TagValue": "engaged" if action == "engage" else "released"},
            {"TagKey": BY_TAG, "TagValue": tag_value(who)},
            {"TagKey": AT_TAG, "TagValue": tag_value(when)},
            {"TagKey": REASON_TAG, "TagValue": tag_value(reason)}]


def history_entry(action: str, who: str, when: str, reason: str, radius: BlastRadius,
                  state_before: str, state_after: str) -> dict[str, Any]:
    return {
        "kind": KIND,
        "action": action,
        "timestamp": when,
        "key": radius.key.arn,
        "who": who,
        "reason": reason,
        "state_before": state_before,
        "state_after": state_after,
        "blast_radius": [{"arn": d.resource.arn, "type": d.resource.resource_type, "name": d.resource.name,
                          "owner": d.owner} for d in radius.dependents],
        "blast_radius_complete": radius.complete,
        "not_evaluated": [n.as_dict() for n in radius.not_evaluated],
    }


def record(path: str | None, entry: dict[str, Any]) -> None:
    if path:
        append_history(path, entry)
