"""Property-based: key policies generated from a grammar, the rule's verdict checked against an independent
oracle (tests/key_policy_oracle.py, written from the IAM policy-evaluation documentation, sharing no code
with guardrails/key_policy*.py).

The grammar covers principals ("*", own root in every spelling, foreign roots, named roles, services,
parameters), actions (names, wildcards, patterns, parameters), conditions (every operator family,
IfExists, ForAnyValue/ForAllValues, values from parameters) and Fn::If at every level (document,
Statement list, statement, Effect, Principal, principal item, action item, Condition, condition value).

Two properties:
- sound (every generated policy): whatever the oracle finds (a stranger can call; someone outside the
  key's account can administer; an unnamed principal can use the key outside a pinned service or data
  set) the rule reports, and a statement the oracle cannot read is [Unevaluable];
- exact (policies without Deny statements and without numeric/date/IP operators, where the rule does
  not try to be as precise as evaluation): the rule reports nothing the oracle does not find.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guardrails.key_policy import analyze_key_policy
from guardrails.key_reference import KeyResolver
from guardrails.template import Template
from tests.key_policy_oracle import findings

OWN = "111111111111"
PARAMETERS = {"AdminParam": {"Type": "String", "Default": f"arn:aws:iam::{OWN}:role/app"},
              "ActionParam": {"Type": "String", "Default": "kms:DescribeKey"},
              "ValueParam": {"Type": "String", "Default": OWN},
              "EffectParam": {"Type": "String", "Default": "Deny"}}
TEMPLATE = Template("generated.json", {"Parameters": PARAMETERS, "Resources": {}})
NO_VALUE = {"Ref": "AWS::NoValue"}
ROOT_JOIN = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "AWS::AccountId"}, ":root"]]}


def if_(yes, no):
    return {"Fn::If": ["Cond", yes, no]}


def maybe_if(strategy, *, with_no_value: bool = False):
    """The strategy, or an Fn::If between two of its values (or one of them and AWS::NoValue)."""
    other = strategy | st.just(NO_VALUE) if with_no_value else strategy
    return strategy | st.builds(if_, strategy, other)


PRINCIPAL_VALUES = st.sampled_from([
    ROOT_JOIN, {"Ref": "AWS::AccountId"}, {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"},
    OWN, f"arn:aws:iam::{OWN}:root", "arn:aws:iam::222222222222:root", "222222222222",
    f"arn:aws:iam::{OWN}:role/app", "arn:aws:iam::222222222222:role/admin", {"Fn::GetAtt": ["AppRole", "Arn"]},
    {"Ref": "AdminParam"}, "*",
])
PRINCIPALS = maybe_if(st.one_of(
    st.just("*"),
    st.builds(lambda v: {"AWS": v}, maybe_if(PRINCIPAL_VALUES)),
    st.builds(lambda vs: {"AWS": vs}, st.lists(maybe_if(PRINCIPAL_VALUES, with_no_value=True), min_size=1, max_size=3)),
    st.just({"Service": "datazone.amazonaws.com"}),
))
ACTION_VALUES = st.sampled_from([
    "kms:Decrypt", "kms:Encrypt", "kms:DescribeKey", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey",
    "kms:CreateGrant", "kms:GenerateDataKey*", "kms:*", "*", "kms:?*", "kms:*Key*", "kms:Get*", "kms:List*",
    "kms:Describe*", "KMS:decrypt", "kms:[DE]ncrypt", {"Ref": "ActionParam"},
])
ACTIONS = ACTION_VALUES | st.lists(maybe_if(ACTION_VALUES, with_no_value=True), min_size=1, max_size=3)

ACCOUNT_VALUES = [OWN, {"Ref": "AWS::AccountId"}, "222222222222", "*", "1111*", {"Ref": "ValueParam"}]
KEY_VALUES = {
    "aws:PrincipalAccount": ACCOUNT_VALUES,
    "kms:CallerAccount": ACCOUNT_VALUES,
    "aws:SourceAccount": ACCOUNT_VALUES,
    "aws:PrincipalOrgID": ["o-exampleorg1", "o-*", "*"],
    "aws:PrincipalOrgPaths": ["o-exampleorg1/*", "*", "o-*/r-ab12/*"],
    "aws:PrincipalArn": [f"arn:aws:iam::{OWN}:role/app", f"arn:aws:iam::{OWN}:role/app-*", f"arn:aws:iam::{OWN}:role/*",
                         "arn:aws:iam::*:role/app", "arn:aws:iam::222222222222:role/admin-*", "*"],
    "aws:userid": ["AROAEXAMPLEID:*", "*:alice", "*"],
    "aws:PrincipalTag/Team": ["a", "*"],
    "aws:SourceArn": [f"arn:aws:sns:us-east-1:{OWN}:topic", f"arn:aws:sns:us-east-1:{OWN}:*", "arn:aws:sns:*:*:*", "*"],
    "kms:ViaService": ["s3.us-east-1.amazonaws.com", "s3.*.amazonaws.com", "*", "*.amazonaws.com",
                       {"Fn::Sub": "bedrock.${AWS::Region}.amazonaws.com"}],
    "kms:EncryptionContext:aws:bedrock:arn": [f"arn:aws:bedrock:us-east-1:{OWN}:agent/A", "*", "arn:aws:bedrock:*"],
    "kms:EncryptionContextKeys": ["aws:datazone:domainId", "*"],
    "kms:GrantIsForAWSResource": ["true", "false"],
}
STRING_FAMILIES = ["StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringLike", "StringNotLike",
                   "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Bool", "Null"]
OTHER_FAMILIES = ["NumericLessThan", "DateGreaterThan", "IpAddress", "BinaryEquals"]


ARN_KEYS = ["aws:PrincipalArn", "aws:SourceArn"]
IDENTITY_KEYS = {"aws:PrincipalAccount", "kms:CallerAccount", "aws:SourceAccount", "aws:PrincipalOrgID",
                 "aws:PrincipalOrgPaths", "aws:PrincipalArn", "aws:userid", "aws:SourceArn"}


@st.composite
def condition_entries(draw, families, exact):
    base = draw(st.sampled_from(families))
    keys = sorted(KEY_VALUES)
    if exact:  # a type mismatch (ArnLike on an account, Bool on an ARN) matches nobody; the rule does not credit it
        keys = ARN_KEYS if base.startswith("Arn") else ["kms:GrantIsForAWSResource"] if base == "Bool" else keys
    key = draw(st.sampled_from(keys))
    if base == "Null":
        values = draw(st.sampled_from(["true", "false"]))
        return base, key, values
    prefix = draw(st.sampled_from(["", "", "ForAnyValue:", "ForAllValues:"] if not exact else ["", "", "ForAnyValue:"]))
    if exact and "Not" in base:  # ForAnyValue + a negated operator also demands the key be present: a pin the rule
        prefix = ""  # does not credit (it reports such a statement, soundly)
    suffix = draw(st.sampled_from(["", "", "IfExists"] if not exact else [""]))
    pool = KEY_VALUES[key] if base != "Bool" else ["true", "false"]
    values = draw(st.lists(maybe_if(st.sampled_from(pool)), min_size=1, max_size=2))
    return prefix + base + suffix, key, values[0] if len(values) == 1 else values


@st.composite
def conditions(draw, families, exact):
    block: dict = {}
    # The rule judges each entry alone; entries that combine (IfExists plus a presence test on a key the
    # first implies, a contradiction) narrow further than it credits, so the exact property draws one
    # entry per key and no IfExists or ForAllValues (true for an absent key, like IfExists); the sound
    # property draws them all.
    # One identity key per statement too: the rule takes the narrowest single pin, and does not credit
    # pins that only together leave nobody (an account AND an organization path nobody has).
    entries = st.lists(condition_entries(families, exact), max_size=3,
                       unique_by=(lambda e: e[1] if e[1] not in IDENTITY_KEYS else "identity") if exact else None)
    for operator, key, values in draw(entries):
        block.setdefault(operator, {})[key] = values
    return draw(maybe_if(st.just(block), with_no_value=True)) if block else None


@st.composite
def statements(draw, families, effects, exact):
    statement = {"Effect": draw(effects), "Principal": draw(PRINCIPALS), "Action": draw(ACTIONS), "Resource": "*"}
    condition = draw(conditions(families, exact))
    if condition is not None:
        statement["Condition"] = condition
    return statement


def policies(*, exact: bool):
    families = STRING_FAMILIES if exact else STRING_FAMILIES + OTHER_FAMILIES
    effects = st.just("Allow") if exact else st.sampled_from(["Allow", "Allow", "Deny", if_("Allow", "Deny"),
                                                              {"Ref": "EffectParam"}])
    one = maybe_if(statements(families, effects, exact), with_no_value=True)
    statement_lists = maybe_if(st.lists(one, min_size=1, max_size=3))
    return maybe_if(st.builds(lambda s: {"Version": "2012-10-17", "Statement": s}, statement_lists))


def check(policy, own, *, exact: bool) -> None:
    """The rule's details against the oracle's findings: at least them (sound), exactly them (exact)."""
    problems = analyze_key_policy(policy, render=KeyResolver(TEMPLATE).render, parameters=set(PARAMETERS), account=own)
    details = {p.detail for p in problems}
    oracle = findings(policy, parameters=set(PARAMETERS), own=own)
    if oracle.unevaluable:
        assert "Unevaluable" in details
        return
    if exact and "Unevaluable" in details:  # only the bound on Fn::If combinations may refuse what the oracle reads
        assert all("combinations" in p.message for p in problems if p.detail == "Unevaluable"), problems
        return
    for detail, real in (("PublicPrincipal", oracle.public), ("ForeignAdministration", oracle.foreign_admin),
                         ("UnscopedUsage", oracle.unscoped_use)):
        reported = detail in details
        assert reported == real if exact else reported or not real, (detail, reported, real)


SETTINGS = settings(max_examples=120, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(policies(exact=False), st.sampled_from([None, OWN]))
def test_the_rule_reports_everything_the_oracle_finds(policy, own):
    check(policy, own, exact=False)


@SETTINGS
@given(policies(exact=True), st.sampled_from([None, OWN]))
def test_the_rule_reports_nothing_the_oracle_does_not_find(policy, own):
    check(policy, own, exact=True)
