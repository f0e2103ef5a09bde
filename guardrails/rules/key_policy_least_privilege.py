"""BedrockGuardrails-KeyPolicyLeastPrivilege: one granular finding per problem in the key policy."""

from guardrails.key_policy import DETAILS, analyze_key_policy
from guardrails.rules.base import PREFIX, Problem, Rule
from guardrails.rules.governed_types import KEY_TYPES
from guardrails.rules.live_facts import unreadable


def _check(resource, ctx):
    problems = analyze_key_policy(resource.properties.get("KeyPolicy"), render=ctx.resolver.render)
    return [RULE.finding(resource, "KeyPolicy" if p.statement == "-" else f"KeyPolicy.Statement[{p.statement}]",
                         f"key {resource.logical_id}: {p.message}", detail=p.detail) for p in problems]


def _live(subject, settings):
    facts = subject.facts
    return (unreadable(facts, "GetKeyPolicy", f"{RULE.id}[Unverifiable]", "the key policy")
            or [Problem(f"{RULE.id}[{p.detail}]", p.message) for p in analyze_key_policy(facts.policy)])


RULE = Rule(
    id=PREFIX + "KeyPolicyLeastPrivilege",
    title="Least-privilege key policy",
    explanation="The key policy is the only control that binds every caller. Administrators should manage the key "
                "without using it, and use should be granted to named principals or scoped by kms:ViaService, "
                "kms:CallerAccount or encryption context.",
    remediation="Give administrators management actions only, in their own statement; grant use to named roles and "
                "service principals with kms:ViaService and encryption-context conditions (WorkspaceKey does this). "
                "Never leave KeyPolicy unset.",
    resource_types=KEY_TYPES,
    check=_check,
    scope="key",
    details=DETAILS,
    live=_live,
    live_details=("Unverifiable",),
    exempt={"guard": "judging a policy statement by statement (principals, actions, conditions, NotPrincipal, "
                     "NotAction; guardrails/key_policy.py) is beyond Guard's query language; a partial Guard check "
                     "would disagree with the catalog, so synth, scan, Config and the audit enforce it"},
)
