"""What the rule lists in this account and region: the shared live inventory (guardrails/live_inventory.py),
for the kinds whose service the rule has a client for (clients.py).

ListDomains summaries carry no key, so every domain costs a GetDomain; the Bedrock resources the
managed Config rules do not evaluate (agents, flows, prompts, guardrails) are listed and read the
same way. A Get failure other than "gone" is kept as `error` and judged NON_COMPLIANT with the reason.
"""

from __future__ import annotations

from guardrails.live_inventory import SOURCES as ALL_SOURCES
from guardrails.live_inventory import ListingFailed, LiveResource, Source, error_text, list_resources

# The kinds the rule judges today. Knowledge bases, data sources (also BEDROCK_DATA_SOURCE_ENCRYPTION_ENABLED),
# models, batch jobs, data automation and AgentCore are audited (`guardrails audit`) but not yet here.
CONFIG_TYPES = ("AWS::DataZone::Domain", "AWS::Bedrock::Agent", "AWS::Bedrock::Flow", "AWS::Bedrock::Prompt",
                "AWS::Bedrock::Guardrail")
SOURCES: tuple[Source, ...] = tuple(s for s in ALL_SOURCES if s.resource_type in CONFIG_TYPES)
CLIENT_ATTRIBUTE = {"datazone": "datazone", "bedrock-agent": "bedrock_agent", "bedrock": "bedrock"}  # service -> Clients field

Resource = LiveResource
__all__ = ["CLIENT_ATTRIBUTE", "CONFIG_TYPES", "ListingFailed", "Resource", "SOURCES", "Source", "error_text", "list_resources"]
