"""Read one domain through DataZone's list, get and search calls into a Catalog.

The same reader serves the source (what to copy), the target (what exists already, so a rerun creates
nothing twice) and verify (what differs). Each part is read on its own: a denied call is recorded in
`Catalog.unreadable` and reported, never silently treated as "nothing there".
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from guardrails.audit.errors import describe_error, is_access_denied
from guardrails.migrate.model import Catalog

T = TypeVar("T")
RETRYABLE = ("ThrottlingException", "Throttling", "TooManyRequestsException", "InternalServerException",
             "ServiceUnavailableException", "RequestTimeout")


class Reader:
    def __init__(self, client: Any, domain_id: str):
        self.client = client
        self.domain_id = domain_id
        self.catalog = Catalog(client.get_domain(identifier=domain_id))  # must work: it raises

    def all(self, operation: str, key: str, **kwargs: Any) -> list[dict]:
        """Every item of a paginated call (botocore's paginator follows nextToken)."""
        paginator = self.client.get_paginator(operation)
        return [item for page in paginator.paginate(domainIdentifier=self.domain_id, **kwargs) for item in page.get(key, [])]

    def call(self, operation: str, **kwargs: Any) -> dict:
        return getattr(self.client, operation)(domainIdentifier=self.domain_id, **kwargs)

    def described(self, what: str, list_operation: str, get_operation: str, id_field: str = "id", where: str = "",
                  **filters: Any) -> list[dict]:
        """Every item a list call returns, each described by its get call (its summary when the get is denied)."""
        return [self.attempt(f"{what} {summary['name']}", lambda summary=summary: self.call(
                    get_operation, identifier=summary[id_field]), summary)
                for summary in self.attempt(f"{what}s{where}", lambda: self.all(list_operation, "items", **filters), [])]

    def attempt(self, what: str, read: Callable[[], T], default: T) -> T:
        """`read()`, or `default` with the failure recorded. Throttling that outlived botocore's retries and
        server errors are not "unreadable": they propagate, and the run stops as interrupted."""
        try:
            return read()
        except Exception as exc:  # noqa: BLE001 - recorded, reported for manual work
            if is_retryable(exc):
                raise
            self.catalog.unreadable[what] = describe_error(exc) + (" (the caller may not read it)" if is_access_denied(exc) else "")
            return default


def is_retryable(exc: BaseException) -> bool:
    from botocore.exceptions import ClientError, ConnectionError, ReadTimeoutError

    if isinstance(exc, (ConnectionError, ReadTimeoutError)):
        return True
    return isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in RETRYABLE
