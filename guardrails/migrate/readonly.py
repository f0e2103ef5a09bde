"""The source domain's client, limited to reading: the migration never deletes or modifies the source.

Every DataZone call that changes something is named Create*, Update*, Delete*, Put*, Add*, Remove*,
Start*, Cancel*, Accept*, Reject*, Revoke*, ... while reads are Get*, List* and Search* (botocore
datazone model): only those, and the client's paginators, get through.
"""

from __future__ import annotations

from typing import Any

READ_PREFIXES = ("get_", "list_", "search")
ALLOWED = ("meta", "exceptions", "can_paginate")


class ReadOnlyClient:
    def __init__(self, client: Any):
        self._client = client

    def __getattr__(self, name: str) -> Any:
        if name.startswith(READ_PREFIXES) or name in ALLOWED:
            return getattr(self._client, name)
        raise PermissionError(f"the migration only reads the source domain: {name} is not a read")
