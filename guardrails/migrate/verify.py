"""Compare two catalogs: every source item must exist in the target with the same compared fields.

Pairs are found by natural key (names), and compared fields hold natural keys instead of ids, so two
domains with different ids compare equal when their contents match. Items only in the target are not
differences (a new domain has its own defaults, and the caller becomes a member of what it creates).
"""

from __future__ import annotations

from dataclasses import dataclass

from guardrails.migrate.model import Catalog

@dataclass(frozen=True)
class Difference:
    label: str
    what: str  # "missing in the target" or the field that differs
    source: object = None
    target: object = None

    def __str__(self) -> str:
        if self.what == "missing":
            return f"{self.label}: missing in the target"
        if self.what == "ambiguous":
            return f"{self.label}: {self.source} items in the source share this name, so they were not compared"
        if self.what == "unreadable":
            return f"{self.label}: could not be read ({self.source or self.target}), so it was not compared"
        return f"{self.label}: {self.what} is {self.source!r} in the source, {self.target!r} in the target"


def compare(source: Catalog, target: Catalog) -> list[Difference]:
    differences: list[Difference] = []
    for key, record in source.records.items():
        copy = target.records.get(key)
        if copy is None:
            differences.append(Difference(record.label, "missing"))
            continue
        for name, value in record.compare.items():
            if copy.compare.get(name) != value:
                differences.append(Difference(record.label, name, value, copy.compare.get(name)))
    differences += [Difference(source.records[key].label, "ambiguous", count) for key, count in source.ambiguous.items()]
    differences += [Difference(f"reading the source: {what}", "unreadable", error, None) for what, error in source.unreadable.items()]
    differences += [Difference(f"reading the target: {what}", "unreadable", None, error) for what, error in target.unreadable.items()]
    return differences
