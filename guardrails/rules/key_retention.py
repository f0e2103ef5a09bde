"""BedrockGuardrails-KeyRetention: deleting or replacing the stack never schedules the key's deletion."""

from guardrails.rules.base import PREFIX, Rule
from guardrails.rules.governed_types import KEY_TYPES


def _check(resource, ctx):
    wrong = [policy for policy in ("DeletionPolicy", "UpdateReplacePolicy") if resource.definition.get(policy) != "Retain"]
    if not wrong:
        return []
    return [RULE.finding(resource, "/".join(wrong),
                         f"key {resource.logical_id}: {' and '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} not Retain")]


RULE = Rule(
    id=PREFIX + "KeyRetention",
    title="Key retained on stack deletion and replacement",
    explanation="Without Retain, deleting the stack (or a replacement) schedules the key for deletion and the data "
                "it protects is lost once the window ends.",
    remediation="Set DeletionPolicy: Retain and UpdateReplacePolicy: Retain (CDK: removal_policy=RemovalPolicy.RETAIN).",
    resource_types=KEY_TYPES,
    check=_check,
    scope="key",
    exempt={
        "guard": "DeletionPolicy and UpdateReplacePolicy are resource attributes, not properties: the Guard hook's "
                 "resource input carries only ResourceType and ResourceProperties (AWS, \"Write Guard rules to "
                 "evaluate resources for Guard Hooks\"), so a rule on them would fail every key at deploy time",
        **{point: "retention is a CloudFormation stack attribute with no state in AWS: a deployed key has no "
                  "DeletionPolicy to read (a key scheduled for deletion is [KeyNotEnabled] live)"
           for point in ("config", "audit")},
    },
)
