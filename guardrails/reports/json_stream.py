"""A JSON document written piece by piece, exactly as `json.dumps(document, indent=2)` writes it whole.

A big scan's report holds one object per finding: built all at once (a dict per finding, then the encoder's
chunks, then the joined string) it costs several times the findings themselves. Here a top-level value may be
an iterator, encoded one item at a time, so only one item is ever in memory beside the findings."""

from __future__ import annotations

import json
from typing import Any, Callable, Iterator, Mapping

INDENT = 2


ItemEncoder = Callable[[Any, str], str]  # (item, its indentation) -> json.dumps(item, indent=2) as it stands there


def chunks(document: Mapping[str, Any], encode_item: ItemEncoder | None = None) -> Iterator[str]:
    """`json.dumps(document, indent=2)` in pieces; a top-level value that is an iterator is a list, item by item,
    each written by `encode_item` (default: json.dumps; a caller may give a faster one that writes the same)."""
    if not document:
        yield "{}"
        return
    pad = " " * INDENT
    separator = "{"
    for key, value in document.items():
        yield f"{separator}\n{pad}{json.dumps(key)}: "
        separator = ","
        if isinstance(value, Iterator):
            yield from _list(value, pad, encode_item or _nested)
        else:
            yield _nested(value, pad)
    yield "\n}"


def _list(items: Iterator[Any], pad: str, encode_item: ItemEncoder) -> Iterator[str]:
    inner = pad + " " * INDENT
    opening = "["
    for item in items:
        yield f"{opening}\n{inner}{encode_item(item, inner)}"
        opening = ","
    yield "[]" if opening == "[" else f"\n{pad}]"


def _nested(value: Any, pad: str) -> str:
    """A value indented as if inside its parent: the encoder writes a newline inside a string as \\n, so every
    raw newline of the encoding starts a line that the parent's depth indents further."""
    return json.dumps(value, indent=INDENT).replace("\n", "\n" + pad)
