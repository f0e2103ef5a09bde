"""What a migration deals in: records read from a domain, the steps that copy them, and the manual work left.

A record's `key` is its natural key (names, not ids), the same in both domains: that is how the plan
knows an item already exists in the target and how verify pairs items up. Ids differ per domain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Record:
    kind: str
    key: str  # e.g. "glossary-term:Finance/Revenue": names only, stable across domains
    label: str  # for people: "glossary term Finance/Revenue"
    id: str  # this domain's id
    data: dict[str, Any] = field(default_factory=dict)  # the API's description (a Get/List output)
    compare: dict[str, Any] = field(default_factory=dict)  # what verify compares, ids replaced by keys
    refs: dict[str, str] = field(default_factory=dict)  # what other items reference: id, revision, ...


@dataclass(frozen=True)
class Ref:
    """A value known only in the target: the `field` recorded for the item with natural key `key`."""

    key: str
    field: str = "id"
    optional: bool = False  # when the item does not exist in the target, leave the parameter out instead of failing


@dataclass
class Step:
    """One call on the target: a create, or a follow-up update (relations known only after creating)."""

    key: str  # what the state file records it under
    label: str
    operation: str  # botocore's operation name, e.g. "CreateGlossaryTerm"
    params: dict[str, Any]  # may hold Ref values, at any depth
    record: dict[str, str] = field(default_factory=lambda: {"id": "id"})  # state field -> response field
    creates: str | None = None  # the natural key of the record this step creates (None for updates)
    may_be_denied: bool = False  # copied "where the caller may": AccessDenied fails this item only, the run goes on


@dataclass
class Manual:
    """Something that stays for people to do, with why."""

    kind: str
    label: str
    reason: str


@dataclass
class Catalog:
    """Everything read from one domain."""

    domain: dict[str, Any]
    records: dict[str, Record] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)  # what -> error
    subscriptions: int | None = None  # None: could not be counted
    ambiguous: dict[str, int] = field(default_factory=dict)  # key -> how many items share it
    _keys: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)  # (kind, id) -> key

    def add(self, record: Record) -> Record:
        """Keep `record`; a second item with the same natural key (two assets named alike in one project) cannot be
        paired across domains, so the key is marked ambiguous instead of one item replacing the other unseen."""
        self._keys[(record.kind, record.id)] = record.key
        known = self.records.get(record.key)
        if known is not None and known.id != record.id:
            self.ambiguous[record.key] = self.ambiguous.get(record.key, 1) + 1
            return known
        self.records[record.key] = record
        return record

    def key_of(self, kind: str, item_id: str | None) -> str | None:
        """The natural key of this domain's item `item_id` of `kind` (ids are unique per kind)."""
        return self._keys.get((kind, item_id)) if item_id else None

    def of_kind(self, kind: str) -> list[Record]:
        return [r for r in self.records.values() if r.kind == kind]

    @property
    def version(self) -> str:
        return self.domain.get("domainVersion", "V1")
