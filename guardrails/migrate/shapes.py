"""Fit a value read from one API to another API's input shape, by botocore's DataZone model.

Get outputs and Create inputs share most member names but not all (outputs add ids, timestamps,
account fields): keeping only what the input shape declares, at every depth, turns one into the other
without a hand-kept list per entity.
"""

from __future__ import annotations

from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape


def fit(value: Any, shape: Shape) -> Any:
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        fitted = {name: fit(value[name], member) for name, member in shape.members.items() if name in value}
        return {k: v for k, v in fitted.items() if v is not None}
    if isinstance(shape, ListShape) and isinstance(value, list):
        return [fit(item, shape.member) for item in value]
    if isinstance(shape, MapShape) and isinstance(value, dict):
        return {k: fit(v, shape.value) for k, v in value.items()}
    return value

