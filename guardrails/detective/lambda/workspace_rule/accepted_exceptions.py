"""Accepted exceptions: a NON_COMPLIANT resource tagged with `Settings.exception_tag` (the value is the reason).

The verdict stays NON_COMPLIANT in Config (guardrails.live_verdict.with_exception prefixes the annotation
with "accepted exception (...)"); the KPIs count it under Exceptions instead of NonCompliant, so the
open-findings alarm does not fire for it. Tags are read only for NON_COMPLIANT verdicts:

- DataZone: GetDomain's response carries `tags` (a map), so no further call;
- the other kinds: their service's ListTagsForResource on the ARN from the Get response, through the
  shared tag reader (guardrails/live_inventory.read_tags; bedrock-agent answers a map, bedrock a list).

Fail closed: tags that cannot be read (no ARN, AccessDenied) honour no exception, and the finding stays open.
"""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import ClientError

from guardrails.live_inventory import read_tags
from guardrails.live_verdict import NON_COMPLIANT, Verdict, with_exception
from guardrails.settings import Settings

from .inventory import Resource, Source, error_text

LOG = logging.getLogger(__name__)


def resource_tags(source: Source, client: Any, resource: Resource) -> dict[str, str] | None:
    """The resource's tags, or None when they cannot be read (the shared tag reader, live_inventory.read_tags)."""
    try:
        return read_tags(resource, client)
    except ClientError as exc:
        LOG.warning("exception tag of %s not read, the finding stays open: ListTagsForResource failed (%s)",
                    resource.arn, error_text(exc))
        return None


def apply_exception(verdict: Verdict, source: Source, client: Any, resource: Resource, settings: Settings) -> Verdict:
    if verdict.status != NON_COMPLIANT:
        return verdict
    return with_exception(verdict, resource_tags(source, client, resource), settings, resource.arn or resource.resource_id)
