"""Least-privilege analysis of key policies, template and live (plain JSON) forms.

The attack cases follow issue #11: conditions that restrict nothing, intrinsics that hide the principal
or action, administration handed to other accounts or organizations, and action patterns. Condition
semantics cited in guardrails/key_policy_conditions.py (IAM User Guide, condition operators)."""

from __future__ import annotations

import json

import pytest

from guardrails.key_policy import (ADMIN_ACTIONS, ALL_KMS_ACTIONS, CRYPTO_ACTIONS, DETAILS, KEY_ACTIONS, READ_ACTIONS,
                                   analyze_key_policy)
from guardrails.key_reference import KeyResolver
from guardrails.kms_actions import KMS_ACTIONS
from guardrails.template import Template
from tests.policies import LEAST_PRIVILEGE_POLICY, MANAGEMENT_ACTIONS, ROOT_JOIN

OWN = "111111111111"
ROOT = f"arn:aws:iam::{OWN}:root"
FOREIGN_ROOT = "arn:aws:iam::222222222222:root"
ROLE = f"arn:aws:iam::{OWN}:role/app"
render = KeyResolver(Template("t.json", {"Resources": {}})).render
PARAMS = Template("t.json", {"Parameters": {"Admin": {"Type": "String", "Default": ROLE},
                                            "Act": {"Type": "String", "Default": "kms:DescribeKey"},
                                            "Org": {"Type": "String"}}, "Resources": {}})


def details(policy, renderer=None, **kwargs):
    problems = analyze_key_policy(policy, render=renderer or (lambda v: v if isinstance(v, str) else None), **kwargs)
    return sorted(p.detail for p in problems)


def template_details(policy, account=None):
    return details(policy, KeyResolver(PARAMS).render, parameters=PARAMS.parameters, account=account)


def statement(principal, action, **extra):
    return {"Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*", **extra}


def one(principal, action, condition=None):
    return {"Statement": [statement(principal, action, **({"Condition": condition} if condition else {}))]}


def test_action_classes_are_exactly_the_vendored_kms_actions():
    assert ALL_KMS_ACTIONS == {name for name, _ in KMS_ACTIONS}
    assert not CRYPTO_ACTIONS & ADMIN_ACTIONS and not CRYPTO_ACTIONS & READ_ACTIONS and not ADMIN_ACTIONS & READ_ACTIONS


def test_the_runtime_never_imports_policy_sentry():
    import subprocess
    import sys

    code = "import sys, guardrails.key_policy, guardrails.live_verdict; print('policy_sentry' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_cdk_style_policy_has_no_problems():
    assert details(LEAST_PRIVILEGE_POLICY, render) == []


def test_live_policy_as_json_string_with_literal_root():
    live = {"Version": "2012-10-17", "Statement": [
        statement({"AWS": ROOT}, MANAGEMENT_ACTIONS),
        statement({"AWS": ROLE}, ["kms:Decrypt", "kms:GenerateDataKey"])]}
    assert details(json.dumps(live), account=OWN) == []
    # Without knowing the key's account, a literal root is not provably the owner.
    assert details(json.dumps(live)) == ["ForeignAdministration"]
    assert details(json.dumps(live), account="333333333333") == ["ForeignAdministration"]
    assert details(json.dumps({"Statement": [statement({"AWS": ROOT}, "kms:*")]}), account=OWN) == ["UnscopedUsage"]
    assert details(json.dumps({"Statement": [statement({"AWS": OWN}, "kms:Decrypt")]}), account=OWN) == ["UnscopedUsage"]


@pytest.mark.parametrize("policy, expected", [
    (None, ["NoKeyPolicy"]),
    ("{not json", ["Unevaluable"]),
    ({"Fn::Select": [0, []]}, ["Unevaluable"]),
    ({"Statement": ["junk"]}, ["Unevaluable"]),
    (one("*", "kms:DescribeKey"), ["PublicPrincipal"]),
    (one({"AWS": "*"}, "kms:DescribeKey", {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}), []),
    (one({"AWS": ROLE}, "kms:*"), ["MixedAdminUsage", "WildcardAction"]),
    (one({"AWS": ROLE}, "Kms:*"), ["MixedAdminUsage", "WildcardAction"]),
    (one({"AWS": ROOT_JOIN}, ["kms:Decrypt"]), ["UnscopedUsage"]),
    (one({"AWS": ROOT_JOIN}, ["kms:Decrypt"], {"StringEquals": {"kms:ViaService": "s3.x"}}), []),
    (one({"AWS": ROOT_JOIN}, ["kms:Decrypt"], {"StringEquals": {"kms:EncryptionContext:k": "v"}}), []),
    (one({"Service": "datazone.amazonaws.com"}, ["kms:Decrypt"]), []),
    (one({"AWS": ROLE}, ["kms:Encrypt", "kms:PutKeyPolicy"]), ["MixedAdminUsage"]),
    (one({"AWS": ROLE}, ["kms:DescribeKey", "kms:PutKeyPolicy"]), []),
    ({"Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": ROLE}, "Action": "kms:DescribeKey"}]}, ["PublicPrincipal"]),
    ({"Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": ROLE}, "Action": "kms:PutKeyPolicy"}]},
     ["ForeignAdministration", "PublicPrincipal"]),
    ({"Statement": [{"Effect": "Allow", "Principal": {"AWS": ROLE}, "NotAction": "kms:Decrypt"}]}, ["WildcardAction"]),
    (one({"AWS": ROLE}, {"Fn::Select": [0, []]}), ["Unevaluable"]),
    ({"Statement": [{**statement("*", "kms:*"), "Effect": "Deny"}]}, []),
])
def test_problems(policy, expected):
    assert template_details(policy) == expected


# -- conditions are evaluated, not counted --------------------------------------------------------
@pytest.mark.parametrize("condition", [
    {"StringLike": {"aws:PrincipalArn": "*"}},
    {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/app"}},  # any account can name a role "app"
    {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:*"}},
    {"StringEqualsIfExists": {"aws:SourceAccount": OWN}},  # absent key => match
    {"StringNotEquals": {"aws:PrincipalAccount": "222222222222"}},  # a negative match is not a scope
    {"Null": {"aws:PrincipalArn": "false"}},
    {"ForAllValues:StringEquals": {"aws:PrincipalOrgPaths": ["o-exampleorg1/r-ab12/"]}},  # true for an absent key
    {"StringLike": {"aws:PrincipalAccount": "1111*"}},
    {"StringLike": {"aws:PrincipalOrgID": "o-*"}},
    {"StringEquals": {"aws:PrincipalAccount": {"Ref": "Org"}}},  # a parameter pins nothing (fail closed)
    {"StringEquals": {"aws:PrincipalTag/Team": "a"}},  # anyone can tag their own principals
    {"StringLike": {"aws:userid": "*:alice"}},
    {"Bool": {"aws:SecureTransport": "true"}},
])
def test_public_principal_is_not_silenced_by_conditions_that_restrict_nothing(condition):
    assert "PublicPrincipal" in template_details(one("*", "kms:DescribeKey", condition))


@pytest.mark.parametrize("condition", [
    {"StringEquals": {"aws:PrincipalAccount": {"Ref": "AWS::AccountId"}}},
    {"StringEquals": {"kms:CallerAccount": OWN}},
    {"StringEquals": {"aws:PrincipalOrgID": "o-exampleorg1"}},
    {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-exampleorg1/*"]}},
    {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{OWN}:role/app-*"}},
    {"StringEquals": {"aws:PrincipalArn": ROLE}},
    {"StringLike": {"aws:userid": "AROAEXAMPLEID:*"}},
    {"StringEquals": {"aws:SourceAccount": OWN}},
    {"StringEquals": {"aws:PrincipalAccount": "*"}},  # StringEquals takes * literally: it matches nobody
])
def test_conditions_that_pin_the_caller_are_scopes(condition):
    assert "PublicPrincipal" not in template_details(one("*", "kms:DescribeKey", condition), account=OWN)


@pytest.mark.parametrize("condition", [
    {"StringLike": {"kms:ViaService": "*"}},
    {"StringLike": {"kms:ViaService": "*.amazonaws.com"}},
    {"StringLikeIfExists": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}},
    {"StringNotEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}},
    {"StringLike": {"kms:EncryptionContext:k": "*"}},
    {"ForAnyValue:StringEquals": {"kms:EncryptionContextKeys": "aws:datazone:domainId"}},  # names no data set
    {"Bool": {"kms:GrantIsForAWSResource": "true"}},  # any integrated service, for anyone in the account
    {"StringEquals": {"kms:CallerAccount": OWN}},  # the root already means "this account"
    {"Null": {"kms:ViaService": "false"}},
])
def test_root_usage_is_not_silenced_by_conditions_that_scope_nothing(condition):
    assert template_details(one({"AWS": ROOT_JOIN}, ["kms:*"], condition)) == ["UnscopedUsage"]


@pytest.mark.parametrize("condition", [
    {"StringEquals": {"kms:ViaService": {"Fn::Sub": "bedrock.${AWS::Region}.amazonaws.com"}}},
    {"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}},
    {"StringEquals": {"kms:EncryptionContext:aws:bedrock:arn": "arn:aws:bedrock:us-east-1:111111111111:agent/A"}},
    # issue #14's team mode: a tag the account's administrators set narrows the account to a team
    {"StringEquals": {"aws:PrincipalTag/Team": "a"}},
])
def test_conditions_that_pin_a_service_data_set_or_team_scope_root_usage(condition):
    assert template_details(one({"AWS": ROOT_JOIN}, ["kms:Decrypt", "kms:GenerateDataKey"], condition)) == []


# -- intrinsics -------------------------------------------------------------------------------------
@pytest.mark.parametrize("policy", [
    one({"AWS": {"Ref": "Admin"}}, "kms:Decrypt"),  # a parameter principal, whatever its default
    one({"AWS": [ROLE, {"Fn::Sub": "arn:aws:iam::${Org}:root"}]}, "kms:DescribeKey"),
    one({"AWS": {"Fn::ImportValue": "AdminArn"}}, "kms:DescribeKey"),
    one({"AWS": ROLE}, {"Ref": "Act"}),  # a parameter action
    one({"AWS": ROLE}, ["kms:DescribeKey", {"Fn::Sub": "${Act}"}]),
    {"Statement": [{**statement({"AWS": ROLE}, "kms:DescribeKey"), "Effect": {"Ref": "Act"}}]},
    {"Statement": [{**statement({"AWS": ROLE}, "kms:DescribeKey"), "Effect": "allow"}]},
    {"Statement": [{"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"}]},  # no principal
])
def test_unknowable_principals_actions_and_effects_are_unevaluable(policy):
    assert "Unevaluable" in template_details(policy)


PUBLIC_DECRYPT = statement("*", "kms:Decrypt")
NAMED_DESCRIBE = statement({"AWS": ROLE}, "kms:DescribeKey")


def iff(a, b):
    return {"Fn::If": ["C", a, b]}


@pytest.mark.parametrize("policy", [
    iff({"Statement": [NAMED_DESCRIBE]}, {"Statement": [PUBLIC_DECRYPT]}),  # around the whole document
    {"Statement": iff([NAMED_DESCRIBE], [PUBLIC_DECRYPT])},  # around the Statement list
    {"Statement": [NAMED_DESCRIBE, iff(PUBLIC_DECRYPT, {"Ref": "AWS::NoValue"})]},  # a statement item
    {"Statement": [statement(iff({"AWS": ROLE}, "*"), "kms:Decrypt")]},  # the Principal
    {"Statement": [statement({"AWS": [ROLE, iff(ROLE, "*")]}, "kms:Decrypt")]},  # a principal list item
    {"Statement": [{**PUBLIC_DECRYPT, "Effect": iff("Deny", "Allow")}]},  # the Effect
    {"Statement": [{**PUBLIC_DECRYPT, "Condition": iff({"StringEquals": {"aws:PrincipalOrgID": "o-1"}},
                                                       {"Ref": "AWS::NoValue"})}]},  # the Condition
])
def test_fn_if_is_judged_on_every_branch(policy):
    assert "PublicPrincipal" in template_details(policy)


def test_fn_if_branches_that_are_all_safe_pass():
    policy = {"Statement": iff([NAMED_DESCRIBE], [statement({"AWS": iff(ROLE, {"Fn::GetAtt": ["R", "Arn"]})},
                                                            ["kms:Decrypt", iff("kms:Encrypt", {"Ref": "AWS::NoValue"})])])}
    assert template_details(policy) == []


def test_fn_if_combinations_are_bounded():
    many = {"AWS": [iff(ROLE, f"arn:aws:iam::{OWN}:role/r{i}") for i in range(12)]}  # 4096 combinations
    assert template_details({"Statement": [statement(many, "kms:DescribeKey")]}) == ["Unevaluable"]


# -- administration ---------------------------------------------------------------------------------
@pytest.mark.parametrize("principal, condition, account", [
    ("*", {"StringEquals": {"aws:PrincipalOrgID": "o-exampleorg1"}}, None),  # every principal of the org
    ({"AWS": FOREIGN_ROOT}, None, None),
    ({"AWS": "222222222222"}, None, OWN),
    ({"AWS": ROOT}, None, None),  # a literal root, the stack's account unknown: not provably the owner
    ({"AWS": ROOT}, None, "333333333333"),
    ("*", {"StringEquals": {"aws:PrincipalAccount": "222222222222"}}, OWN),
    ("*", {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::222222222222:role/admin-*"}}, None),
    ({"AWS": "arn:aws:iam::222222222222:role/admin"}, None, OWN),  # a named principal of another account
])
@pytest.mark.parametrize("action", ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:CreateGrant",
                                    "kms:Put*", "kms:*Key*"])
def test_administration_outside_the_keys_account_is_a_takeover(principal, condition, account, action):
    assert "ForeignAdministration" in template_details(one(principal, action, condition), account=account)


@pytest.mark.parametrize("principal, condition, account", [
    ({"AWS": ROOT_JOIN}, None, None),
    ({"AWS": ROOT}, None, OWN),
    ({"AWS": OWN}, None, OWN),
    ({"AWS": ROLE}, None, None),  # named, in an account we cannot place: the author's explicit choice
    ({"AWS": ROLE}, None, OWN),
    ({"AWS": {"Fn::GetAtt": ["AdminRole", "Arn"]}}, None, None),
    ("*", {"StringEquals": {"aws:PrincipalArn": ROLE}}, OWN),
    ("*", {"StringEquals": {"kms:CallerAccount": {"Ref": "AWS::AccountId"}}}, None),
])
def test_administration_by_the_owner_passes(principal, condition, account):
    assert "ForeignAdministration" not in template_details(one(principal, ["kms:PutKeyPolicy", "kms:CreateGrant"], condition),
                                                           account=account)


# -- wildcards --------------------------------------------------------------------------------------
@pytest.mark.parametrize("pattern", ["kms:?*", "kms:*", "*", "KMS:*", "k*", "kms:*?"])
def test_patterns_that_grant_every_key_action_are_wildcards(pattern):
    assert "WildcardAction" in template_details(one({"AWS": ROLE}, pattern))


@pytest.mark.parametrize("pattern, includes, excludes", [
    ("kms:*Key*", {"kms:ScheduleKeyDeletion", "kms:GenerateDataKey", "kms:PutKeyPolicy"}, {"kms:Decrypt"}),
    ("kms:?ecrypt", {"kms:Decrypt"}, {"kms:Encrypt"}),
    ("kms:Re*", {"kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:ReplicateKey", "kms:RetireGrant"}, {"kms:Decrypt"}),
    ("kms:[DE]ncrypt", set(), {"kms:Decrypt", "kms:Encrypt"}),  # IAM has no character classes
])
def test_action_patterns_are_expanded_against_the_kms_action_list(pattern, includes, excludes):
    from guardrails.key_policy import _expand

    granted = _expand([pattern])
    assert includes <= granted and not excludes & granted


def test_key_pattern_grants_use_and_administration():
    assert template_details(one({"AWS": ROLE}, "kms:*Key*")) == ["MixedAdminUsage"]
    assert template_details(one("*", "kms:Gen*", {"StringEquals": {"aws:PrincipalOrgID": "o-exampleorg1"}})) == ["UnscopedUsage"]
    assert KEY_ACTIONS <= ALL_KMS_ACTIONS


def test_every_detail_is_reachable():
    seen = set()
    for policy in (None, "x", one("*", "kms:*"), one({"AWS": ROLE}, "kms:*")):
        seen.update(details(policy))
    assert seen == set(DETAILS)


# -- the memo: a distinct document is judged once, and never confused with another ---------------------------
# (guardrails/key_policy.py, "memo": keyed on the document's exact serialization, the renderer, the parameter
# names and the key's own account)

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from guardrails import key_policy  # noqa: E402
from guardrails.rules import key_policy_least_privilege  # noqa: E402,F401 - declares KeyResolver.render pure
from tests import test_key_policy_properties as generated  # noqa: E402


def fresh(policy, resolver, **kwargs):
    """The verdict without the memo: a renderer that is not declared pure is never memoised."""
    return analyze_key_policy(policy, render=lambda value: resolver.render(value), **kwargs)


def memoised(policy, resolver, **kwargs):
    return analyze_key_policy(policy, render=resolver.render, **kwargs)


def test_the_template_renderer_is_memoised_and_a_repeat_is_answered_from_the_memo():
    key_policy._MEMO.clear()
    policy = one({"AWS": ROOT}, "kms:*")
    first = memoised(policy, KeyResolver(PARAMS), account=OWN)
    assert len(key_policy._MEMO) == 1
    first.clear()  # the caller's list is its own: the memo keeps a tuple
    assert memoised(json.loads(json.dumps(policy)), KeyResolver(PARAMS), account=OWN) == fresh(policy, KeyResolver(PARAMS),
                                                                                                 account=OWN) != []
    assert len(key_policy._MEMO) == 1
    fresh(policy, KeyResolver(PARAMS), account=OWN)
    assert len(key_policy._MEMO) == 1  # an undeclared renderer neither reads nor fills it


def test_the_same_document_is_judged_anew_for_another_owning_account():
    key_policy._MEMO.clear()
    policy = one({"AWS": "arn:aws:iam::222222222222:root"}, "kms:PutKeyPolicy")
    resolver = KeyResolver(PARAMS)
    assert "ForeignAdministration" in {p.detail for p in memoised(policy, resolver, account=OWN)}
    assert "ForeignAdministration" not in {p.detail for p in memoised(policy, resolver, account="222222222222")}
    assert "ForeignAdministration" in {p.detail for p in memoised(policy, resolver, account=OWN)}
    assert memoised(policy, resolver, account=None) == fresh(policy, resolver, account=None)


def test_the_same_document_is_judged_anew_with_other_parameters():
    key_policy._MEMO.clear()
    policy = one({"AWS": {"Fn::Sub": "${Admin}"}}, "kms:Decrypt")
    resolver = KeyResolver(PARAMS)
    assert "Unevaluable" in {p.detail for p in memoised(policy, resolver, parameters=PARAMS.parameters)}
    assert "Unevaluable" not in {p.detail for p in memoised(policy, resolver)}  # no parameter of that name here


@pytest.mark.parametrize("a, b", [
    # a condition value: a pinned service, and a wildcard that pins nothing
    (one("*", "kms:Decrypt", {"StringLike": {"kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:CallerAccount": OWN}}),
     one("*", "kms:Decrypt", {"StringLike": {"kms:ViaService": "*", "kms:CallerAccount": OWN}})),
    # an intrinsic: a role of the template, and a parameter known only at deploy time
    (one({"AWS": {"Fn::GetAtt": ["Role", "Arn"]}}, "kms:Decrypt"), one({"AWS": {"Ref": "Admin"}}, "kms:Decrypt")),
    # case: Effect is case-sensitive
    (one({"AWS": ROOT}, "kms:Decrypt"), {"Statement": [dict(statement({"AWS": ROOT}, "kms:Decrypt"), Effect="allow")]}),
    # key order: the statements' names are their places
    ({"Statement": [statement("*", "kms:Decrypt"), statement({"AWS": ROOT}, "kms:DescribeKey")]},
     {"Statement": [statement({"AWS": ROOT}, "kms:DescribeKey"), statement("*", "kms:Decrypt")]}),
    # types: a Sid that is not a string names nothing
    ({"Statement": [dict(statement("*", "kms:Decrypt"), Sid="5")]}, {"Statement": [dict(statement("*", "kms:Decrypt"), Sid=5)]}),
    # Fn::If: the branches are judged
    (one({"AWS": ROOT}, "kms:Decrypt"), one({"AWS": {"Fn::If": ["C", ROOT, "*"]}}, "kms:Decrypt")),
])
def test_documents_that_differ_where_the_verdict_does_are_never_confused(a, b):
    resolver = KeyResolver(PARAMS)
    expected_a, expected_b = fresh(a, resolver, parameters=PARAMS.parameters), fresh(b, resolver, parameters=PARAMS.parameters)
    assert expected_a != expected_b
    for order in ((a, b), (b, a)):
        key_policy._MEMO.clear()
        for policy in order * 2:  # each judged, then answered from the memo
            assert memoised(policy, resolver, parameters=PARAMS.parameters) == (expected_a if policy is a else expected_b)


def test_documents_the_memo_cannot_key_exactly_are_judged_without_it():
    from cfnlint.decode import cfn_yaml

    key_policy._MEMO.clear()
    yaml_policy = cfn_yaml.loads("Statement:\n  - Effect: Allow\n    Principal: '*'\n    Action: kms:Decrypt\n", "p.yaml")
    assert {p.detail for p in memoised(yaml_policy, KeyResolver(PARAMS))} == {"PublicPrincipal", "UnscopedUsage"}
    assert key_policy._MEMO == {}  # cfn-lint's nodes are not marshal's built-in types


def test_the_memo_stays_bounded():
    key_policy._MEMO.clear()
    resolver = KeyResolver(PARAMS)
    for index in range(key_policy._MEMO_ENTRIES + 20):
        memoised({"Statement": [dict(statement({"AWS": ROLE}, "kms:Decrypt"), Sid=f"S{index}")]}, resolver)
    assert len(key_policy._MEMO) == key_policy._MEMO_ENTRIES


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow,
                                                                                    HealthCheck.data_too_large])
@given(st.lists(st.tuples(generated.policies(exact=False), st.sampled_from([None, generated.OWN, "222222222222"]),
                          st.sampled_from([(), tuple(generated.PARAMETERS)])), min_size=1, max_size=4),
       st.randoms(use_true_random=False))
def test_a_memoised_verdict_is_the_fresh_verdict(cases, rng):
    """Generated policies (the oracle test's grammar), each under an owning account and parameter names, judged
    in a random order with repeats: whatever the memo holds, every answer is the fresh analysis."""
    resolver = KeyResolver(generated.TEMPLATE)
    key_policy._MEMO.clear()
    calls = cases * 2
    rng.shuffle(calls)
    for policy, own, parameters in calls:
        assert memoised(policy, resolver, parameters=parameters, account=own) == fresh(
            policy, resolver, parameters=parameters, account=own)
