"""Responses for the Stubber built from botocore's service models: every member the output shape requires,
filled with the smallest value its type and constraints allow, then the fields a scenario is about set by
path. The Stubber validates the result against the same model, so a response the real service could not
send is refused, not served."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from botocore.model import Shape

from guardrails.live_inventory import GONE_STATUSES

WHEN = datetime(2026, 11, 1, tzinfo=timezone.utc)


def minimal(shape: Shape) -> Any:
    kind = shape.type_name
    if kind == "structure":
        if shape.is_tagged_union:
            name, member = next(iter(shape.members.items()))
            return {name: minimal(member)}
        return {name: minimal(shape.members[name]) for name in shape.required_members}
    if kind == "string":
        live = [v for v in shape.enum if v.upper() not in GONE_STATUSES]
        return live[0] if live else "x" * max(1, shape.metadata.get("min", 1))
    if kind in ("integer", "long"):
        return int(shape.metadata.get("min", 0))
    if kind in ("double", "float"):
        return float(shape.metadata.get("min", 0))
    if kind == "boolean":
        return False
    if kind == "timestamp":
        return WHEN
    if kind == "blob":
        return b"x"
    if kind == "list":
        return [minimal(shape.member)] if shape.metadata.get("min", 0) else []
    if kind == "map":
        return {}
    raise TypeError(f"no minimal value for {shape.name} ({kind})")


def shape_at(shape: Shape, path: tuple[str, ...]) -> Shape:
    for step in path:
        shape = shape.members[step]
    return shape


def set_path(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for step in path[:-1]:
        data = data.setdefault(step, {})
    data[path[-1]] = value


def response(client: Any, method: str, fields: dict[tuple[str, ...], Any]) -> dict[str, Any]:
    """The smallest valid response of `method`, with each path in `fields` set (intermediate objects filled too)."""
    output = client.meta.service_model.operation_model(client.meta.method_to_api_mapping[method]).output_shape
    body = minimal(output)
    for path, value in fields.items():
        for depth in range(1, len(path)):  # a structure on the way is complete, as the model requires
            prefix = path[:depth]
            if not isinstance(_get(body, prefix), dict):
                set_path(body, prefix, minimal(shape_at(output, prefix)))
        set_path(body, path, value)
    return body


def list_item(client: Any, method: str, items: str, fields: dict[str, Any]) -> dict[str, Any]:
    """One minimal summary of a List response, with `fields` set."""
    output = client.meta.service_model.operation_model(client.meta.method_to_api_mapping[method]).output_shape
    return {**minimal(output.members[items].member), **fields}


def _get(data: Any, path: tuple[str, ...]) -> Any:
    for step in path:
        data = data.get(step) if isinstance(data, dict) else None
    return data
