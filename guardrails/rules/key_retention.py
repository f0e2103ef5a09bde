"""BedrockGuardrails-KeyRetention: deleting or replacing the stack never schedules the key's deletion."""

from guardrails.rules.base import PREFIX, Rule


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
    resource_types=("AWS::KMS::Key", "AWS::KMS::ReplicaKey"),  # a replica has its own policy, window and tags
    check=_check,
    scope="key",
)
