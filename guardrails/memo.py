"""Bounded memos of verdicts, keyed by a value's exact serialization.

Apps repeat what the rules judge (CDK's default key policy on every key, one set of Tags on every resource of a
stack), so a verdict that is a function of such a value is computed once per distinct value. The value is keyed
by its marshal bytes, which are exact: marshal.loads gives back an equal value with the same types and key order,
so equal bytes are equal values ({"1": x} and {1: x}, True and 1, 1 and 1.0, "1" and 1 all differ). Format 2:
later versions write shared and interned strings as references, so equal values from two templates would rarely
share a key. marshal takes only the built-in types (what json.loads makes); a value it cannot take (cfn-lint's
YAML node subclasses) has no key and is judged each time.
"""

from __future__ import annotations

import marshal
from typing import Any, Callable, Hashable

MARSHAL_VERSION = 2  # no references: the bytes depend on the values alone, never on object identity
_MISSING = object()


def exact_key(value: Any) -> bytes | None:
    """`value`'s exact serialization, or None when marshal cannot take its types."""
    try:
        return marshal.dumps(value, MARSHAL_VERSION)
    except ValueError:
        return None


class BoundedMemo(dict):
    """A dict that keeps its latest `entries` keys, dropping the oldest first: memory stays bounded."""

    def __init__(self, entries: int) -> None:
        super().__init__()
        self.entries = entries

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """compute(), or what it gave for `key` earlier. Safe beside another thread's eviction (the audit judges
        accounts in a pool): a key evicted meanwhile is computed again, never a KeyError."""
        value = self.get(key, _MISSING)
        if value is not _MISSING:
            return value
        if len(self) >= self.entries:
            self.pop(next(iter(self), None), None)
        value = self[key] = compute()
        return value
