"""BedrockGuardrails-KeyOwnerIsolation: a key protects the workspaces and Bedrock resources of one owner only.

Teams sharing an account are kept apart by their keys: each team's data is readable only through its own key's
policy. A key that protects resources of two owners (their isolation tags differ: Settings.isolation_tag,
default `Owner`) lets whoever may use it for one team read the other's data, so the key is the finding, naming
the owners and their resources. An untagged resource is attributed to no owner (the ownership-tag rules ask for
tags where they matter). Fail closed: a tag that cannot be told (computed by intrinsics, unknown until deploy;
unreadable live) beside a known owner is a finding, since it may be another team's.

Template side (synth, scan): every key use of the templates scanned together. Live side (Config rule, audit):
every key use in one account and region. Guard cannot serve it: the hook sees one resource at a time.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable, Sequence

from guardrails.rules.base import PREFIX, KeyUse, Rule
from guardrails.rules.governed_types import GOVERNED_TYPES, LIVE_ONLY_TYPES
from guardrails.settings import Settings

SHOWN = 6  # resources named per owner in a message


def _owners(uses: Sequence[KeyUse]) -> tuple[dict[str, list[str]], list[str]]:
    """Known owners -> their resources, and the resources whose owner cannot be told (untagged ones: neither)."""
    owners: dict[str, list[str]] = defaultdict(list)
    unknown: list[str] = []
    for use in uses:
        if use.owner_unknown:
            unknown.append(f"{use.user} ({use.owner})")
        elif use.owner is not None and use.user not in owners[use.owner]:
            owners[use.owner].append(use.user)
    return dict(sorted(owners.items())), list(dict.fromkeys(unknown))


def _names(names: list[str]) -> str:
    more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    return ", ".join(names[:SHOWN]) + more


def _message(key_name: str, owners: dict[str, list[str]], unknown: list[str], tag: str) -> str:
    known = "; ".join(f"{owner}: {_names(users)}" for owner, users in owners.items())
    if len(owners) > 1:
        text = f"{key_name} protects resources of {len(owners)} owners ({tag} tag): {known}"
    else:
        text = f"{key_name} protects {known} and resources whose {tag} cannot be told: {_names(unknown)}"
    return text + "; whoever may use the key for one owner can read the others' data"


def shared_keys(uses: Sequence[KeyUse], settings: Settings) -> Iterable[tuple[Any, str, str]]:
    """A finding on each key that protects resources of more than one owner (or of a known owner and resources
    whose owner cannot be told); for a key not in view (a literal ARN, or live), one on each resource that uses it."""
    by_key: dict[str, list[KeyUse]] = defaultdict(list)
    for use in uses:
        by_key[use.key].append(use)
    prop = f"Tags.{settings.isolation_tag}"
    for key_uses in by_key.values():
        owners, unknown = _owners(key_uses)
        if len(owners) < 2 and not (owners and unknown):
            continue
        message = _message(key_uses[0].key_name, owners, unknown, settings.isolation_tag)
        if key_uses[0].key_site is not None:
            yield key_uses[0].key_site, prop, message
        else:
            for site in dict.fromkeys(use.site for use in key_uses):
                yield site, prop, message


RULE = Rule(
    id=PREFIX + "KeyOwnerIsolation",
    title="One owner per key",
    explanation="Teams sharing an account stay isolated only if each team's workspaces and Bedrock resources are "
                "encrypted with a key of their own: a key shared across owners lets one team's key users read "
                "another team's data.",
    remediation="Give each owner its own WorkspaceKey (CompliantWorkspace(team=...) in team mode), or correct the "
                "isolation tag (setting isolation_tag, default Owner) of the resources that belong together. A "
                "deployed workspace's key cannot change: a new domain plus a migration (guardrails migrate).",
    resource_types=tuple(sorted(GOVERNED_TYPES)),
    live_types=LIVE_ONLY_TYPES,
    check=shared_keys,
    live=shared_keys,
    scope="key_usage",
    exempt={"guard": "Guard sees one resource at a time at deploy time; the other resources that use the same key are "
                     "in other stacks and deployments, so Guard cannot know a key is shared."},
)
