"""Run a migration against the test endpoint the way the CLI does, through botocore."""

from __future__ import annotations

from guardrails.migrate.report import render_text
from guardrails.migrate.run import MigrationRequest, Outcome, migrate, verify


def run(endpoint, source: str, target: str, *, apply: bool = False, state=None, check: bool = True) -> tuple[Outcome, str]:
    request = MigrationRequest(source, target, region="us-east-1", endpoint_url=endpoint.url, apply=apply,
                               state_path=str(state) if state else None, confirm=lambda prompt: True)
    outcome = migrate(request)
    if check:
        assert endpoint.store.invalid == [], "the endpoint answered outside botocore's output shapes"
    return outcome, render_text(outcome)


def compare(endpoint, source: str, target: str) -> tuple[Outcome, str]:
    outcome = verify(MigrationRequest(source, target, region="us-east-1", endpoint_url=endpoint.url))
    return outcome, render_text(outcome)


def counts(store, domain: str) -> dict[str, int]:
    """How many items of each table the domain holds (copies made twice show up here)."""
    return {table: len(items) for (owner, table), items in store.tables.items() if owner == domain and items}
