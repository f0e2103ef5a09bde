"""BedrockGuardrails-KeySpec: keys protecting workspaces and Bedrock resources are symmetric encryption keys."""

from guardrails.rules.base import PREFIX, Problem, Rule
from guardrails.rules.guard_rendering import guard_key_rules
from guardrails.rules.key_spec_values import SYMMETRIC, key_spec, literal
from guardrails.rules.live_facts import is_symmetric


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


def _live(subject, settings):
    meta = subject.facts.describe
    if is_symmetric(meta) and meta.get("KeyUsage", "ENCRYPT_DECRYPT") == "ENCRYPT_DECRYPT":
        return []
    spec = meta.get("KeySpec", meta.get("CustomerMasterKeySpec"))
    return [Problem(RULE.id, f"key spec {spec} / usage {meta.get('KeyUsage')} is not a symmetric encryption key")]


def _guard_clauses(props: str) -> str:
    # An intrinsic (a struct) is neither string: it fails, as the catalog's "computed" does.
    return (f"    {props}.KeySpec not exists or {props}.KeySpec == '{SYMMETRIC}'\n"
            f"    {props}.KeyUsage not exists or {props}.KeyUsage == 'ENCRYPT_DECRYPT'")


RULE = Rule(
    id=PREFIX + "KeySpec",
    title="Symmetric encryption key",
    explanation="DataZone and Bedrock encrypt only with symmetric keys (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT); any other "
                "key makes creation fail or leaves the data on a key the service cannot use.",
    remediation="Create the key with KeySpec SYMMETRIC_DEFAULT and KeyUsage ENCRYPT_DECRYPT (the defaults).",
    resource_types=("AWS::KMS::Key",),  # a replica key rotates and is specified with its primary
    check=_check,
    scope="key",
    live=_live,
    guard=lambda settings: guard_key_rules(RULE, settings, _guard_clauses),
)
