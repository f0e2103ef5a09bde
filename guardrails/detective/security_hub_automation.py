"""Security Hub automation rules that give the Config route's findings of our Config rule the severity our own
findings carry (setting `security_hub_automation_rules`, off by default; docs/audit.md, "The other route").

Security Hub gives every finding of the AWS Config integration severity MEDIUM and says it can be changed with
BatchUpdateFindings (User Guide, AWS service integrations, AWS Config, "Interpreting severity label"); our
findings follow the catalog (HIGH for the customer-managed-key rules, INFORMATIONAL when passed). An automation
rule does that as findings arrive. Its criteria are what AWS's mapping puts in the Config route's finding:
ProductName "Config" and Title the Config rule's name (both deployments' names: a rule in the administrator
account applies to its member accounts' findings, the StackSet copy's included).

Where: "You can create and manage automation rules from a Security Hub CSPM administrator account only", and a
rule applies in the Region where it is created, or in every linked Region when created in the aggregation home
Region (User Guide, "Understanding automation rules in Security Hub CSPM", "Creating automation rules"). So only
the account stack deploys them, and only when the setting says this account is the Security Hub administrator
(or a standalone account); the StackSet copy in member accounts never does (it would fail there).
Resource properties as cfn-lint's bundled schema for AWS::SecurityHub::AutomationRule describes them; the
update fields it offers (FindingFieldsUpdate) have no Title, so titles cannot be aligned this way.
"""

from __future__ import annotations

from aws_cdk import aws_securityhub as securityhub
from constructs import Construct

from guardrails.audit.reports.asff import SEVERITY
from guardrails.detective.names import ACCOUNT_STACK_PREFIX, STACKSET_PREFIX, DeploymentNames
from guardrails.rules import resource_cmk, workspace_cmk

CONFIG_RULE_NAMES = tuple(DeploymentNames(prefix).workspace_rule for prefix in (ACCOUNT_STACK_PREFIX, STACKSET_PREFIX))
# The Config rule's NON_COMPLIANT is, first of all, a workspace or resource without a customer-managed key.
FAILED_SEVERITY = max((SEVERITY[r.severity.value] for r in (workspace_cmk.RULE, resource_cmk.RULE)),
                      key=("LOW", "MEDIUM", "HIGH").index)
RULE_ORDER = 100  # 1 is applied first; leave room for the administrator's own rules before ours


def _equals(*values: str) -> list[securityhub.CfnAutomationRule.StringFilterProperty]:
    return [securityhub.CfnAutomationRule.StringFilterProperty(comparison="EQUALS", value=v) for v in values]


class ConfigRouteSeverity(Construct):
    """Two rules: FAILED findings of our Config rule -> the catalog's severity; PASSED ones -> INFORMATIONAL."""

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.rules = [self._rule(status, label, order)
                      for order, (status, label) in enumerate((("FAILED", FAILED_SEVERITY), ("PASSED", "INFORMATIONAL")))]

    def _rule(self, status: str, label: str, offset: int) -> securityhub.CfnAutomationRule:
        return securityhub.CfnAutomationRule(
            self, f"{status.title()}Severity", rule_name=f"bedrock-guardrails-config-route-{status.lower()}-severity",
            description=f"Bedrock CMK Guardrails: {status} findings of the Config rule {' / '.join(CONFIG_RULE_NAMES)} "
                        f"get severity {label}, as guardrails audit's own findings",
            rule_order=RULE_ORDER + offset, rule_status="ENABLED", is_terminal=False,
            criteria=securityhub.CfnAutomationRule.AutomationRulesFindingFiltersProperty(
                product_name=_equals("Config"), title=_equals(*CONFIG_RULE_NAMES), compliance_status=_equals(status),
                record_state=_equals("ACTIVE")),
            actions=[securityhub.CfnAutomationRule.AutomationRulesActionProperty(
                type="FINDING_FIELDS_UPDATE",
                finding_fields_update=securityhub.CfnAutomationRule.AutomationRulesFindingFieldsUpdateProperty(
                    severity=securityhub.CfnAutomationRule.SeverityUpdateProperty(label=label)))])
