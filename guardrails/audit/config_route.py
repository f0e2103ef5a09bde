"""Which of the audit's findings the Config route already carries into Security Hub, per account and region.

Security Hub's AWS Config integration turns every evaluation of a Config rule into a finding, one per
Config rule and resource (Security Hub User Guide, "AWS service integrations with Security Hub", AWS
Config: Id `<config rule ARN>/finding/<hash>`, GeneratorId the rule's ARN; it is on by default once both
services are on: https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-internal-providers.html#integration-config).
Where our custom Config rule is deployed, its evaluations of the kinds it judges are already in the
dashboard: importing our findings for the same resources would show two findings for one resource and
rule. So `--security-hub-route`:

- auto (default): per account and region, DescribeConfigRules on our rule's names (the account stack's
  and the StackSet copy's, guardrails/detective/names.py); where one is ACTIVE, the findings of the kinds
  it judges are left to it (not imported, and our earlier findings for them archived); everything else is
  imported. If Config cannot be read, the route is not proven: everything is imported and the reason said
  (fail closed: a finding shown twice is better than none).
- import: import everything, whatever Config carries.
- config: never import the kinds the Config rule judges (for estates whose rule is deployed in a way we
  cannot see, e.g. another name); the other kinds are imported.

The kinds the Config rule judges are the rule's own list (its inventory module, imported, not copied), so
this stays right when the rule learns more kinds.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from guardrails.detective.names import ACCOUNT_STACK_PREFIX, STACKSET_PREFIX, DeploymentNames

ROUTES = ("auto", "import", "config")
RULE_NAMES = tuple(DeploymentNames(prefix).workspace_rule for prefix in (ACCOUNT_STACK_PREFIX, STACKSET_PREFIX))


def config_rule_types() -> frozenset[str]:
    """The resource types the custom Config rule evaluates (its Lambda package's inventory.CONFIG_TYPES)."""
    # "lambda" is a keyword: the package is reached by name, as Lambda's runtime reaches it by path.
    inventory = importlib.import_module("guardrails.detective.lambda.workspace_rule.inventory")
    return frozenset(inventory.CONFIG_TYPES)


@dataclass(frozen=True)
class Route:
    """What the Config route carries in one account and region."""
    rule: str | None  # our Config rule's name where it was found ACTIVE (or assumed, route "config")
    types: frozenset[str]  # resource types whose findings are left to it
    why: str  # for the output: how this was decided
    names: tuple[str, ...] = ()  # the Config rule names whose Security Hub findings are the route's

    def carries(self, resource_type: str) -> bool:
        return resource_type in self.types


def deployed_rule(config: Any) -> str | None:
    """The name of our Config rule ACTIVE here, or None. Raises ClientError when Config cannot be read."""
    for name in RULE_NAMES:
        try:
            rules = config.describe_config_rules(ConfigRuleNames=[name]).get("ConfigRules", [])
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "NoSuchConfigRuleException":
                continue
            raise
        if any(r.get("ConfigRuleName") == name and r.get("ConfigRuleState", "ACTIVE") == "ACTIVE" for r in rules):
            return name
    return None


def route_for(mode: str, config_client: Any) -> Route:
    """`config_client` is called only in mode auto."""
    if mode == "import":
        return Route(None, frozenset(), "--security-hub-route import: every finding imported")
    if mode == "config":
        return Route(RULE_NAMES[0], config_rule_types(), "--security-hub-route config: the Config rule's kinds left to it",
                     RULE_NAMES)
    try:
        name = deployed_rule(config_client())
    except Exception as exc:  # noqa: BLE001 - fail closed: an unread Config proves no route
        from guardrails.audit.errors import describe_error

        return Route(None, frozenset(), f"Config not read ({describe_error(exc)}): every finding imported")
    if name is None:
        return Route(None, frozenset(), f"no ACTIVE Config rule {' or '.join(RULE_NAMES)}: every finding imported")
    return Route(name, config_rule_types(), f"Config rule {name} carries its kinds", (name,))
