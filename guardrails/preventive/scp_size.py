"""SCP limits: each document at most 5,120 characters minified; at most 5 SCPs on one target, one of them FullAWSAccess.

AWS Organizations User Guide, "Quotas and service limits for AWS Organizations": a root, OU or account holds at
most 5 SCPs, and a policy document at most 5,120 characters. The guardrails' SCPs only deny (a deny list), so the
target keeps AWS's FullAWSAccess SCP attached ("SCP evaluation": every entity needs an SCP that allows, or nothing is
allowed); it takes one of the five places, which leaves four for ours.
"""

from __future__ import annotations

import json

MAX_SCP_CHARS = 5120
MAX_SCPS_PER_TARGET = 5  # AWS's quota, FullAWSAccess included
GUARDRAIL_SCPS_PER_TARGET = MAX_SCPS_PER_TARGET - 1  # FullAWSAccess stays attached beside ours
VERSION = "2012-10-17"


def minified(document: dict) -> str:
    """The form AWS counts: no whitespace between tokens."""
    return json.dumps(document, separators=(",", ":"))


def pack(statements: list[dict], limit: int = MAX_SCP_CHARS, max_documents: int = GUARDRAIL_SCPS_PER_TARGET) -> list[dict]:
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
        raise ValueError(f"the guardrails need {len(documents)} SCPs, more than the {max_documents} a target has room for "
                         f"(AWS allows {MAX_SCPS_PER_TARGET}, FullAWSAccess included): "
                         "use fewer or broader role patterns")
    return documents
