"""Which accounts an audit covers: --accounts, the organization's active accounts (--org), or the caller's."""

from __future__ import annotations

import re

from botocore.exceptions import BotoCoreError, ClientError

from guardrails.audit.clients import ClientFactory
from guardrails.audit.errors import describe_error
from guardrails.errors import GuardrailsInputError

_ACCOUNT = re.compile(r"^\d{12}$")


def parse_accounts(text: str) -> list[str]:
    accounts = [a.strip() for a in text.split(",") if a.strip()]
    bad = [a for a in accounts if not _ACCOUNT.match(a)]
    if bad:
        raise GuardrailsInputError("--accounts", f"not 12-digit account ids: {', '.join(bad)}")
    return list(dict.fromkeys(accounts))


def organization_accounts(factory: ClientFactory, region: str) -> list[str]:
    """ACTIVE accounts, the management account included, as ListAccounts returns them (from the management
    or a delegated administrator account). Without the list there is nothing to audit: a usage error."""
    org = factory.client("organizations", region)
    try:
        pages = org.get_paginator("list_accounts").paginate()
        return [a["Id"] for page in pages for a in page["Accounts"] if a.get("Status", "ACTIVE") == "ACTIVE"]
    except (ClientError, BotoCoreError) as exc:
        raise GuardrailsInputError("--org", f"cannot list the organization's accounts (ListAccounts): {describe_error(exc)}") from None
