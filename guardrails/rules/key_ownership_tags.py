"""BedrockGuardrails-KeyOwnershipTags: keys protecting governed resources carry the ownership tags."""

from guardrails.rules.base import PREFIX, Rule
from guardrails.rules.ownership_tags import tag_check

RULE = Rule(
    id=PREFIX + "KeyOwnershipTags",
    title="Key carries ownership tags",
    explanation="A customer-managed key is only owned if someone is named as its owner: the tags route alarms, "
                "costs and access reviews.",
    remediation="Add the required tags with non-empty values to the key (WorkspaceKey takes owner, cost_center and "
                "data_classification).",
    resource_types=("AWS::KMS::Key", "AWS::KMS::ReplicaKey"),  # a replica has its own policy, window and tags
    check=tag_check(lambda: RULE, "key"),
    scope="key",
)
