"""BedrockGuardrails-KeyPolicyLeastPrivilege: one granular finding per problem in the key policy."""

from guardrails.key_policy import DETAILS, analyze_key_policy
from guardrails.rules.base import PREFIX, Rule


def _check(resource, ctx):
    problems = analyze_key_policy(resource.properties.get("KeyPolicy"), render=ctx.resolver.render)
    return [RULE.finding(resource, "KeyPolicy" if p.statement == "-" else f"KeyPolicy.Statement[{p.statement}]",
                         f"key {resource.logical_id}: {p.message}", detail=p.detail) for p in problems]


RULE = Rule(
    id=PREFIX + "KeyPolicyLeastPrivilege",
    title="Least-privilege key policy",
    explanation="The key policy is the only control that binds every caller. Administrators should manage the key "
                "without using it, and use should be granted to named principals or scoped by kms:ViaService, "
                "kms:CallerAccount or encryption context.",
    remediation="Give administrators management actions only, in their own statement; grant use to named roles and "
                "service principals with kms:ViaService and encryption-context conditions (WorkspaceKey does this). "
                "Never leave KeyPolicy unset.",
    resource_types=("AWS::KMS::Key", "AWS::KMS::ReplicaKey"),  # a replica has its own policy, window and tags
    check=_check,
    scope="key",
    details=DETAILS,
)
