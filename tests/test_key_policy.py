"""Least-privilege analysis of key policies, template and live (plain JSON) forms."""

from __future__ import annotations

import json

import pytest
from policy_sentry.querying.actions import get_actions_for_service

from guardrails.key_policy import ADMIN_ACTIONS, ALL_KMS_ACTIONS, CRYPTO_ACTIONS, DETAILS, READ_ACTIONS, analyze_key_policy
from guardrails.key_reference import KeyResolver
from guardrails.template import Template
from tests.policies import LEAST_PRIVILEGE_POLICY, MANAGEMENT_ACTIONS

ROOT = "arn:aws:iam::111111111111:root"
ROLE = "arn:aws:iam::111111111111:role/app"
render = KeyResolver(Template("t.json", {"Resources": {}})).render


def details(policy, renderer=None):
    problems = analyze_key_policy(policy, render=renderer) if renderer else analyze_key_policy(policy)
    return sorted(p.detail for p in problems)


def statement(principal, action, **extra):
    return {"Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*", **extra}


def test_all_kms_actions_match_policy_sentry():
    assert set(get_actions_for_service("kms")) == set(ALL_KMS_ACTIONS)


def test_action_classes_are_disjoint():
    assert not CRYPTO_ACTIONS & ADMIN_ACTIONS and not CRYPTO_ACTIONS & READ_ACTIONS and not ADMIN_ACTIONS & READ_ACTIONS


def test_cdk_style_policy_has_no_problems():
    assert details(LEAST_PRIVILEGE_POLICY, render) == []


def test_live_policy_as_json_string_with_literal_root():
    live = {"Version": "2012-10-17", "Statement": [
        statement({"AWS": ROOT}, MANAGEMENT_ACTIONS),
        statement({"AWS": ROLE}, ["kms:Decrypt", "kms:GenerateDataKey"])]}
    assert details(json.dumps(live)) == []
    root_all = {"Statement": [statement({"AWS": ROOT}, "kms:*")]}
    assert details(json.dumps(root_all)) == ["UnscopedUsage"]
    assert details(json.dumps({"Statement": [statement({"AWS": "111111111111"}, "kms:Decrypt")]})) == ["UnscopedUsage"]


@pytest.mark.parametrize("policy, expected", [
    (None, ["NoKeyPolicy"]),
    ("{not json", ["Unevaluable"]),
    ({"Fn::If": ["C", {}, {}]}, ["Unevaluable"]),
    ({"Statement": ["junk"]}, ["Unevaluable"]),
    ({"Statement": [statement("*", "kms:DescribeKey")]}, ["PublicPrincipal"]),
    ({"Statement": [statement({"AWS": "*"}, "kms:DescribeKey", Condition={"StringEquals": {"aws:PrincipalOrgID": "o-1"}})]}, []),
    ({"Statement": [statement({"AWS": ROLE}, "kms:*")]}, ["MixedAdminUsage", "WildcardAction"]),
    ({"Statement": [statement({"AWS": ROLE}, "Kms:*")]}, ["MixedAdminUsage", "WildcardAction"]),
    ({"Statement": [statement({"AWS": ROOT}, ["kms:Decrypt"])]}, ["UnscopedUsage"]),
    ({"Statement": [statement({"AWS": ROOT}, ["kms:Decrypt"], Condition={"StringEquals": {"kms:ViaService": "s3.x"}})]}, []),
    ({"Statement": [statement({"AWS": ROOT}, ["kms:Decrypt"], Condition={"StringEquals": {"kms:EncryptionContext:k": "v"}})]}, []),
    ({"Statement": [statement({"AWS": ROOT}, ["kms:Decrypt"], Condition={"StringEquals": {"kms:CallerAccount": "1"}})]}, []),
    ({"Statement": [statement({"Service": "datazone.amazonaws.com"}, ["kms:Decrypt"])]}, []),
    ({"Statement": [statement({"AWS": ROLE}, ["kms:Encrypt", "kms:PutKeyPolicy"])]}, ["MixedAdminUsage"]),
    ({"Statement": [statement({"AWS": ROLE}, ["kms:DescribeKey", "kms:PutKeyPolicy"])]}, []),
    ({"Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": ROLE}, "Action": "kms:DescribeKey"}]}, ["PublicPrincipal"]),
    ({"Statement": [{"Effect": "Allow", "Principal": {"AWS": ROLE}, "NotAction": "kms:Decrypt"}]}, ["WildcardAction"]),
    ({"Statement": [statement({"AWS": ROLE}, {"Fn::Select": [0, []]})]}, ["Unevaluable"]),
    ({"Statement": [{**statement("*", "kms:*"), "Effect": "Deny"}]}, []),
])
def test_problems(policy, expected):
    assert details(policy) == expected


def test_every_detail_is_reachable():
    seen = set()
    for policy in (None, "x", {"Statement": [statement("*", "kms:*")]}, {"Statement": [statement({"AWS": ROLE}, "kms:*")]}):
        seen.update(details(policy))
    assert seen == set(DETAILS)
