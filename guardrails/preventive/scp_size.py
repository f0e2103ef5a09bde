"""SCP limits: each document at most 5,120 characters minified, at most 5 SCPs on one target."""

from __future__ import annotations

import json

MAX_SCP_CHARS = 5120
MAX_SCPS_PER_TARGET = 5
VERSION = "2012-10-17"


def minified(document: dict) -> str:
    """The form AWS counts: no whitespace between tokens."""
    return json.dumps(document, separators=(",", ":"))


def pack(statements: list[dict], limit: int = MAX_SCP_CHARS, max_documents: int = MAX_SCPS_PER_TARGET) -> list[dict]:
    """Fill documents in order (first fit), so related statements stay together; raise when limits cannot hold."""
    documents: list[dict] = []
    for stmt in statements:
        alone = {"Version": VERSION, "Statement": [stmt]}
        if len(minified(alone)) > limit:
            raise ValueError(f"statement {stmt.get('Sid')} alone is {len(minified(alone))} characters, over {limit}: "
                             "use fewer or broader role patterns")
        for doc in documents:
            if len(minified({**doc, "Statement": [*doc["Statement"], stmt]})) <= limit:
                doc["Statement"].append(stmt)
                break
        else:
            documents.append(alone)
    if len(documents) > max_documents:
        raise ValueError(f"the guardrails need {len(documents)} SCPs, more than the {max_documents} a target may have: "
                         "use fewer or broader role patterns")
    return documents
