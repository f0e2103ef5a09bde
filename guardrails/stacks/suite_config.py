"""The suite's own context (cdk.json key `guardrails:suite`): where it deploys and who owns the platform keys.

Kept apart from `guardrails` settings, which every enforcement point shares.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from aws_cdk import Environment

from guardrails.errors import GuardrailsInputError

CONTEXT_KEY = "guardrails:suite"
DEMO_INSECURE_KEY = "guardrails:demo-insecure"
TEAM_EXAMPLE_KEY = "guardrails:team-example"


@dataclass(frozen=True)
class SuiteConfig:
    # Placeholders that synthesize offline; a real deployment overrides them with -c or cdk.context.json.
    account: str = "111111111111"
    region: str = "us-east-1"
    organization_id: str = "o-exampleorg1"
    platform_owner: str = "platform-team@example.com"
    platform_cost_center: str = "CC-0001"
    platform_data_classification: str = "confidential"

    @property
    def env(self) -> Environment:
        return Environment(account=self.account, region=self.region)


def suite_config_from_context(node: Any) -> SuiteConfig:
    values = node.try_get_context(CONTEXT_KEY) or {}
    known = {f.name for f in fields(SuiteConfig)}
    if not isinstance(values, dict) or set(values) - known:
        raise GuardrailsInputError(f"cdk context '{CONTEXT_KEY}'",
                                   f"must be an object with keys from {sorted(known)}; got {values!r}")
    return SuiteConfig(**{k: str(v) for k, v in values.items()})


def demo_insecure(node: Any) -> bool:
    return str(node.try_get_context(DEMO_INSECURE_KEY)).lower() == "true"


def team_example(node: Any) -> bool:
    """`-c guardrails:team-example=true` adds the two-team example (stacks/team_workspaces.py) to the suite."""
    return str(node.try_get_context(TEAM_EXAMPLE_KEY)).lower() == "true"
