"""BedrockGuardrails-ResourceCMK: every Bedrock / BedrockAgentCore resource that can take a CMK uses one."""

from guardrails.rules.base import PREFIX, Rule
from guardrails.rules.governed_types import BEDROCK_KEY_PROPERTIES, LIVE_ONLY_TYPES, key_properties_for
from guardrails.rules.guard_rendering import guard_cmk_rules
from guardrails.rules.key_property_judgment import EXTERNAL_KEY, LIVE_DETAILS, judge, judge_live

RULE = Rule(
    id=PREFIX + "ResourceCMK",
    title="Bedrock resource encrypted with a customer-managed KMS key",
    explanation="Agents, guardrails, flows, prompts, knowledge bases, data sources, sessions, data automation and "
                "AgentCore resources store prompts, instructions and data. Without their key property they use an "
                "AWS-owned key outside your control.",
    remediation="Set the key property to the ARN of a customer-managed key (WorkspaceKey.grant_bedrock wires the "
                "key policy). For most types the key is create-only: a deployed resource must be replaced.",
    resource_types=tuple(dict.fromkeys(p.resource_type for p in BEDROCK_KEY_PROPERTIES)),
    check=lambda resource, ctx: [f for prop in key_properties_for(resource.type)
                                 for f in judge(RULE, resource, ctx, prop)],
    details=(EXTERNAL_KEY,),
    live=lambda subject, settings: judge_live(RULE, subject, workspace=False),
    live_details=LIVE_DETAILS,
    live_types=LIVE_ONLY_TYPES,
    guard=lambda settings: guard_cmk_rules(RULE, list(BEDROCK_KEY_PROPERTIES)),
    coverage=True,
)
