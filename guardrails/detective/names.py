"""The physical names of one deployment of the detective controls, all derived from one prefix.

Config rules, EventBridge rules and log groups are unique per account and region, and CloudWatch
dashboards per account: two deployments in one account (the `BedrockGuardrailsDetective` stack and the
StackSet copy that `BedrockGuardrailsDetectiveOrg` deploys to every target account) must not share
any. Each deployment has its own prefix; the dashboard name also carries the region, since the StackSet
puts one copy in every governed region of an account.
"""

from __future__ import annotations

from dataclasses import dataclass

ACCOUNT_STACK_PREFIX = "bedrock-guardrails"  # BedrockGuardrailsDetective
STACKSET_PREFIX = "bedrock-guardrails-org"  # the StackSet copy in each member account


@dataclass(frozen=True)
class DeploymentNames:
    prefix: str = ACCOUNT_STACK_PREFIX
    # appended to retained resources' names (log groups): a deploy-time token unique to each stack instance
    log_group_suffix: str = ""

    @property
    def workspace_rule(self) -> str:
        return f"{self.prefix}-workspace-cmk"

    @property
    def workspace_rule_log_group(self) -> str:
        return f"/bedrock-guardrails/{self.workspace_rule}{self.log_group_suffix}"

    def managed_rule(self, identifier: str) -> str:
        return f"{self.prefix}-{identifier.lower().replace('_', '-')}"

    def keyless_create_rule(self, operation: str) -> str:
        return f"{self.prefix}-keyless-{operation.lower()}"

    def dashboard(self, region: str) -> str:
        return f"{self.prefix}-kpis-{region}"
