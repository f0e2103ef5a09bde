"""BedrockGuardrails-KeySpec: keys protecting workspaces and Bedrock resources are symmetric encryption keys."""

from guardrails.rules.base import PREFIX, Rule
from guardrails.rules.key_spec_values import SYMMETRIC, key_spec, literal


def _check(resource, ctx):
    spec, usage = key_spec(resource), literal(resource.properties.get("KeyUsage"), "ENCRYPT_DECRYPT")
    problems = []
    if spec != SYMMETRIC:
        problems.append(f"KeySpec is {spec or 'computed'}, not {SYMMETRIC}")
    if usage != "ENCRYPT_DECRYPT":
        problems.append(f"KeyUsage is {usage or 'computed'}, not ENCRYPT_DECRYPT")
    if not problems:
        return []
    return [RULE.finding(resource, "KeySpec" if spec != SYMMETRIC else "KeyUsage",
                         f"key {resource.logical_id}: " + "; ".join(problems))]


RULE = Rule(
    id=PREFIX + "KeySpec",
    title="Symmetric encryption key",
    explanation="DataZone and Bedrock encrypt only with symmetric keys (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT); any other "
                "key makes creation fail or leaves the data on a key the service cannot use.",
    remediation="Create the key with KeySpec SYMMETRIC_DEFAULT and KeyUsage ENCRYPT_DECRYPT (the defaults).",
    resource_types=("AWS::KMS::Key",),  # a replica key rotates and is specified with its primary
    check=_check,
    scope="key",
)
