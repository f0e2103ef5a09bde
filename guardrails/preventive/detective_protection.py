"""Detective protection (SCPs only): nobody but the platform, break-glass and the deploying roles disables, rewires
or deletes the suite's EventBridge rules.

Every rule the detective stacks create is named `bedrock-guardrails-*` (guardrails/detective/names.py: both the
account stack's and the StackSet copy's prefixes), and EventBridge rule ARNs carry the name
(`arn:${Partition}:events:${Region}:${Account}:rule/[${EventBusName}/]${RuleName}`, Service Authorization
Reference, "Actions, resources, and condition keys for Amazon EventBridge"), so the deny names exactly them.
PutRule and PutTargets are included: rewriting a rule's pattern or target silences it as surely as disabling it.
The deploying roles (provisioning roles, `hook_deployer_roles` for the detective StackSet) stay exempt, since
CloudFormation maintains these rules. Not in the boundary (no room under 6,144 characters); Config rules, the
recorder, the alerts key and the rule's Lambda are not covered (docs/deploy.md, "What the controls do not stop").
"""

from __future__ import annotations

from guardrails.detective.names import ACCOUNT_STACK_PREFIX
from guardrails.preventive.principals import statement, unless_principal
from guardrails.settings import Settings

RULE_CHANGES = ["events:DeleteRule", "events:DisableRule", "events:PutRule", "events:PutTargets", "events:RemoveTargets"]
# ACCOUNT_STACK_PREFIX is also the start of the StackSet copy's prefix (bedrock-guardrails-org).
DETECTIVE_RULES = f"arn:aws:events:*:*:rule/{ACCOUNT_STACK_PREFIX}-*"


def statements(settings: Settings) -> list[dict]:
    exempt = unless_principal([settings.platform_role, settings.break_glass_role, *settings.provisioning_roles,
                               *settings.hook_deployer_roles])
    return [statement("DenyDetectiveRuleChanges", RULE_CHANGES, DETECTIVE_RULES, exempt)]
