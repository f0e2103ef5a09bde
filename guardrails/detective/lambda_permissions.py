"""What the custom rule's Lambda may read: the List/Get calls of lambda/workspace_rule/inventory.py and
the KMS calls of key_facts.py (a test derives both from those modules, so they cannot drift)."""

READ_ACTIONS = (
    "datazone:ListDomains", "datazone:GetDomain",
    "bedrock:ListAgents", "bedrock:GetAgent", "bedrock:ListFlows", "bedrock:GetFlow",
    "bedrock:ListPrompts", "bedrock:GetPrompt", "bedrock:ListGuardrails", "bedrock:GetGuardrail",
    "kms:DescribeKey", "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:GetKeyPolicy",
)
