"""The rule lists through the shared live inventory: a subset of its sources, each with a client."""

from guardrails import live_inventory
from workspace_rule.clients import Clients
from workspace_rule.inventory import CLIENT_ATTRIBUTE, CONFIG_TYPES, SOURCES


def test_the_rule_lists_a_subset_of_the_shared_sources_with_a_client_for_each():
    assert set(SOURCES) <= set(live_inventory.SOURCES)
    assert [s.resource_type for s in SOURCES] == [t for t in (s.resource_type for s in live_inventory.SOURCES) if t in CONFIG_TYPES]
    assert all(CLIENT_ATTRIBUTE[s.service] in Clients.__dataclass_fields__ for s in SOURCES)
