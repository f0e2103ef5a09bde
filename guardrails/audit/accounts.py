"""Which accounts an audit covers: --accounts, the organization's active accounts (--org), or the caller's."""

from __future__ import annotations

import re

from guardrails.audit.clients import ClientFactory
from guardrails.errors import GuardrailsInputError

_ACCOUNT = re.compile(r"^\d{12}$")


def parse_accounts(text: str) -> list[str]:
    accounts = [a.strip() for a in text.split(",") if a.strip()]
    bad = [a for a in accounts if not _ACCOUNT.match(a)]
    if bad:
        raise GuardrailsInputError("--accounts", f"not 12-digit account ids: {', '.join(bad)}")
    return list(dict.fromkeys(accounts))


def organization_accounts(factory: ClientFactory, region: str) -> list[str]:
    """ACTIVE member accounts, from the management (or delegated administrator) account."""
    org = factory.client("organizations", region)
    pages = org.get_paginator("list_accounts").paginate()
    return [a["Id"] for page in pages for a in page["Accounts"] if a.get("Status", "ACTIVE") == "ACTIVE"]
