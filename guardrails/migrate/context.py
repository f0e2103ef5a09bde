"""What a kind's planner needs: both catalogs, the identity mapping and small helpers for references."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from guardrails.migrate.identities import IdentityMapper
from guardrails.migrate.model import Catalog, Ref


@dataclass
class PlanContext:
    source: Catalog
    target: Catalog
    identities: IdentityMapper
    service_model: Any  # botocore's DataZone model, to fit outputs to input shapes

    def ref(self, kind: str, source_id: str | None, field: str = "id", optional: bool = False) -> Ref | None:
        """A reference to the target copy of the source item `source_id` of `kind` (None when there is no such item)."""
        key = self.source.key_of(kind, source_id)
        return Ref(key, field, optional) if key else None

    def refs(self, kind: str, source_ids: Iterable[str] | None) -> list[Ref]:
        return [r for r in (self.ref(kind, i) for i in source_ids or []) if r is not None]


def compact(params: dict[str, Any]) -> dict[str, Any]:
    """Drop absent values: botocore rejects None, and an empty list means "not set" in these APIs."""
    return {k: v for k, v in params.items() if v is not None and v != [] and v != {}}


def keys(catalog: Catalog, kind: str, ids: Iterable[str] | None) -> list[str]:
    """Natural keys of ids, sorted, for verify to compare (ids differ per domain)."""
    return sorted(k for k in (catalog.key_of(kind, i) for i in ids or []) if k)
