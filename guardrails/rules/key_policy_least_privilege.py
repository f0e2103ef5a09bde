"""BedrockGuardrails-KeyPolicyLeastPrivilege: one granular finding per problem in the key policy
(the judgment itself, shared with the Config rule and the audit, is guardrails/key_policy.py)."""

from guardrails.key_policy import DETAILS, analyze_key_policy, pure_renderer
from guardrails.key_reference import KeyResolver
from guardrails.rules.base import PREFIX, Problem, Rule
from guardrails.rules.governed_types import KEY_TYPES
from guardrails.rules.live_facts import key_account, unreadable

pure_renderer(KeyResolver.render)  # renders a value alone (never reads its template): verdicts may be memoised


def _check(resource, ctx):
    template = ctx.resolver.template
    problems = analyze_key_policy(resource.properties.get("KeyPolicy"), render=ctx.resolver.render,
                                  parameters=template.parameters, account=getattr(template, "account", None))
    return [RULE.finding(resource, "KeyPolicy" if p.statement == "-" else f"KeyPolicy.Statement[{p.statement}]",
                         f"key {resource.logical_id}: {p.message}", detail=p.detail) for p in problems]


def _live(subject, settings):
    facts = subject.facts
    return (unreadable(facts, "GetKeyPolicy", f"{RULE.id}[Unverifiable]", "the key policy")
            or [Problem(f"{RULE.id}[{p.detail}]", p.message)
                for p in analyze_key_policy(facts.policy, account=key_account(facts.describe or {}, subject.key))])


RULE = Rule(
    id=PREFIX + "KeyPolicyLeastPrivilege",
    title="Least-privilege key policy",
    explanation="The key policy is the only control that binds every caller. Only the key's own account may "
                "administer it; administrators should manage the key without using it; use should be granted to "
                "named principals or pinned to a service (kms:ViaService) or a data set (encryption context). "
                "Conditions count only when their operator and value actually restrict the caller.",
    remediation="Give administrators management actions only, in their own statement, and only in the key's own "
                "account; grant use to named roles and service principals with kms:ViaService and "
                "encryption-context conditions (WorkspaceKey does this). Never leave KeyPolicy unset, and never "
                "build principals or actions from parameters. See docs/key-policy-judgment.md.",
    resource_types=KEY_TYPES,  # a replica has its own policy, window and tags
    check=_check,
    scope="key",
    details=DETAILS,
    live=_live,
    live_details=("Unverifiable",),
    exempt={"guard": "judging a policy statement by statement (principals, actions, conditions, NotPrincipal, "
                     "NotAction; guardrails/key_policy.py) is beyond Guard's query language; a partial Guard check "
                     "would disagree with the catalog, so synth, scan, Config and the audit enforce it"},
)
