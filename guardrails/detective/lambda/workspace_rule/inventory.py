"""What the rule lists in this account and region: every kind of the shared live inventory
(guardrails/live_inventory.py), the same kinds `guardrails audit` lists, plus each knowledge base's data
sources (they have no List call of their own).

List summaries carry no key, so every resource costs a Get call. A Get failure other than "gone" is kept
as `error` (the handler reports it NOT_APPLICABLE and the account NON_COMPLIANT with the reason); a List
failure raises ListingFailed (the account is NON_COMPLIANT and names the call).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from guardrails.live_inventory import DATA_SOURCE_TYPE, KNOWLEDGE_BASES, SOURCES, ListingFailed, LiveResource, Source
from guardrails.live_inventory import data_sources, error_text, list_resources

# Every resource type the rule reports to Config (ComplianceResourceType), in listing order. Other modules
# (the Security Hub route) import it to know which types the Config route carries.
CONFIG_TYPES: tuple[str, ...] = tuple(t for s in SOURCES
                                      for t in ((s.resource_type, DATA_SOURCE_TYPE) if s is KNOWLEDGE_BASES else (s.resource_type,)))
# botocore service -> the Clients field that holds its client (clients.py)
CLIENT_ATTRIBUTE = {s.service: s.service.replace("-", "_") for s in SOURCES}

Resource = LiveResource


def data_source_id(knowledge_base: Resource, data_source: Resource) -> str:
    """A data source's ComplianceResourceId: `<knowledge base id>/data-source/<data source id>`, unique in the
    account, and the tail of the ARN the audit names it by (live_inventory.data_sources), so the aggregator
    (audit/aggregator.py) rebuilds that ARN from it."""
    return f"{knowledge_base.resource_id}/data-source/{data_source.resource_id}"


def knowledge_base_data_sources(client: Any, knowledge_bases: list[Resource]) -> tuple[list[Resource], list[str]]:
    """The data sources of every readable knowledge base, and why some could not be listed (one reason per
    knowledge base). A knowledge base that could not be read leaves its data sources unknown too."""
    found: list[Resource] = []
    problems: list[str] = []
    for kb in knowledge_bases:
        if kb.error:
            problems.append(f"data sources of knowledge base {kb.resource_id} not listed: the knowledge base cannot be read")
            continue
        try:
            found.extend(replace(ds, resource_id=data_source_id(kb, ds)) for ds in data_sources(client, kb))
        except ClientError as exc:
            problems.append(f"data sources of knowledge base {kb.resource_id} not listed ({error_text(exc)})")
        except BotoCoreError as exc:  # the connection failed
            problems.append(f"data sources of knowledge base {kb.resource_id} not listed ({type(exc).__name__}: {exc})")
    return found, problems


__all__ = ["CLIENT_ATTRIBUTE", "CONFIG_TYPES", "DATA_SOURCE_TYPE", "KNOWLEDGE_BASES", "ListingFailed", "Resource", "SOURCES",
           "Source", "data_source_id", "error_text", "knowledge_base_data_sources",
           "list_resources"]
