"""The synthesized suite (the same composition as app.py and tests/stacks) and its policies, resolved."""

from __future__ import annotations

import pytest

from tests.aws_semantics.suite_policies import SuitePolicies
from tests.stacks.conftest import suite_assembly, suite_templates, team_assembly  # noqa: F401  (session fixtures, reused)


@pytest.fixture(scope="session")
def suite(suite_assembly) -> SuitePolicies:  # noqa: F811
    return SuitePolicies(suite_assembly)


@pytest.fixture(scope="session")
def teams(team_assembly) -> SuitePolicies:  # noqa: F811
    """The two-team example stack (guardrails/stacks/team_workspaces.py), resolved."""
    return SuitePolicies(team_assembly)
