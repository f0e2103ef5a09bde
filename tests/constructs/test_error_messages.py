"""Every refusal of every construct tells the truth: doing what the message says makes the construct succeed.

Each case builds a construct with one bad input, checks the message names the input and the fix, then
builds it again with the fix the message gives. A last test finds every `raise ConstructInputError` in
guardrails/constructs/ and fails when a case does not reach one of them.
"""

from __future__ import annotations

import ast
import traceback
from pathlib import Path
from typing import Callable, NamedTuple

import pytest
from aws_cdk import Duration, Fn
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms

import guardrails.constructs as constructs_package
from guardrails.constructs import (CompliantAgent, CompliantDataSource, CompliantFlow, CompliantGuardrail,
                                   CompliantKnowledgeBase, CompliantPrompt, CompliantWorkspace, ConstructInputError,
                                   WorkspaceKey)
from tests.constructs.conftest import OWNERSHIP, new_stack

KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
TAGS = {"Owner": "ml-team@example.com", "CostCenter": "CC-1234", "DataClassification": "confidential"}
S3_SOURCE = {"type": "S3", "s3Configuration": {"bucketArn": "arn:aws:s3:::research-notes"}}
EMBEDDING = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"
VECTOR_STORE = bedrock.CfnKnowledgeBase.StorageConfigurationProperty(
    type="S3_VECTORS", s3_vectors_configuration=bedrock.CfnKnowledgeBase.S3VectorsConfigurationProperty(
        index_arn="arn:aws:s3vectors:us-east-1:111111111111:bucket/vectors/index/kb"))
WORKSPACE_FIX = "Leave key= unset"


class Case(NamedTuple):
    name: str
    bad: Callable  # (stack) -> construct, must raise
    says: tuple[str, ...]  # fragments the message must hold: the input and the fix
    fixed: Callable  # (stack) -> construct, the message's fix applied, must succeed
    bedrock_helper: bool = False  # a helper with a required key: the message must not say to leave key= unset


def ws_key(stack):
    return WorkspaceKey(stack, "Ws", **OWNERSHIP)


def role(stack, name="Role"):
    return iam.Role(stack, name, assumed_by=iam.ServicePrincipal("bedrock.amazonaws.com"))


def prompt(stack, **kw):
    return CompliantPrompt(stack, "P", name="p", **kw)


def workspace(stack, **kw):
    return CompliantWorkspace(stack, "W", **{"name": "research", **OWNERSHIP, **kw})


def other_region_key(stack):
    from aws_cdk import Environment, Stack
    other = Stack(stack.node.root, "Other", env=Environment(account="111111111111", region="eu-west-1"))
    return kms.Key(other, "K")


CASES = [
    # Bedrock helpers: properties they set themselves name the parameter to use instead.
    Case("guardrail kms_key_arn", lambda s: CompliantGuardrail(s, "G", key=ws_key(s), kms_key_arn=KEY_ARN, name="g",
                                                                 blocked_input_messaging="n", blocked_outputs_messaging="n"),
         ("kms_key_arn", "pass key= instead"),
         lambda s: CompliantGuardrail(s, "G", key=ws_key(s), name="g", blocked_input_messaging="n",
                                      blocked_outputs_messaging="n"), True),
    Case("agent role arn", lambda s: CompliantAgent(s, "A", key=ws_key(s), agent_name="a",
                                                      agent_resource_role_arn="arn:aws:iam::111111111111:role/agent"),
         ("agent_resource_role_arn", "pass role= instead"),
         lambda s: CompliantAgent(s, "A", key=ws_key(s), agent_name="a", role=role(s)), True),
    Case("flow execution role arn", lambda s: CompliantFlow(s, "F", key=ws_key(s), execution_role=role(s), name="f",
                                                              execution_role_arn="arn:aws:iam::111111111111:role/flow"),
         ("execution_role_arn", "pass execution_role= instead"),
         lambda s: CompliantFlow(s, "F", key=ws_key(s), execution_role=role(s), name="f"), True),
    Case("data source encryption", lambda s: CompliantDataSource(
        s, "D", key=ws_key(s), knowledge_base_id="KB12345678", name="d", data_source_configuration=S3_SOURCE,
        server_side_encryption_configuration={"kmsKeyArn": KEY_ARN}),
         ("server_side_encryption_configuration", "pass key= instead"),
         lambda s: CompliantDataSource(s, "D", key=ws_key(s), knowledge_base_id="KB12345678", name="d",
                                       data_source_configuration=S3_SOURCE), True),
    Case("prompt key arn", lambda s: prompt(s, key=ws_key(s), customer_encryption_key_arn=KEY_ARN),
         ("customer_encryption_key_arn", "pass key= instead"), lambda s: prompt(s, key=ws_key(s)), True),
    Case("knowledge base configuration", lambda s: CompliantKnowledgeBase(
        s, "KB", key=ws_key(s), role=role(s), name="kb", knowledge_base_configuration={"type": "MANAGED"}),
         ("knowledge_base_configuration", "pass knowledge_base_type= and embedding_model_arn= instead"),
         lambda s: CompliantKnowledgeBase(s, "KB", key=ws_key(s), role=role(s), name="kb",
                                          knowledge_base_type="MANAGED"), True),
    # The case: a helper's key is required, so the fix is a WorkspaceKey, never "leave key= unset".
    Case("agent AWS-managed key", lambda s: CompliantAgent(s, "A", key="alias/aws/bedrock", agent_name="a", tags=TAGS),
         ("AWS-managed", "Pass a WorkspaceKey"), lambda s: CompliantAgent(s, "A", key=ws_key(s), agent_name="a"), True),
    Case("helper without key", lambda s: prompt(s, key=None, tags=TAGS), ("key= must be", "Pass a WorkspaceKey"),
         lambda s: prompt(s, key=ws_key(s)), True),
    Case("helper alias ARN", lambda s: prompt(s, key="arn:aws:kms:us-east-1:111111111111:alias/research", tags=TAGS),
         ("is an alias", "literal ARN"), lambda s: prompt(s, key=KEY_ARN, tags=TAGS), True),
    Case("helper key without tags", lambda s: prompt(s, key=KEY_ARN), ("needs tags=", "tags={"),
         lambda s: prompt(s, key=KEY_ARN, tags=TAGS), True),
    Case("helper tags missing cost center", lambda s: prompt(s, key=KEY_ARN, tags={**TAGS, "CostCenter": ""}),
         ("tags['CostCenter']", "'CostCenter': 'CC-1234'"), lambda s: prompt(s, key=KEY_ARN, tags=TAGS), True),
    Case("helper tag value malformed", lambda s: prompt(s, key=KEY_ARN, tags={**TAGS, "Owner": " ml-team"}),
         ("tags['Owner']", "not a valid tag value"), lambda s: prompt(s, key=KEY_ARN, tags=TAGS), True),
    Case("helper tag pattern", lambda s: prompt(s, key=KEY_ARN, tags={**TAGS, "CostCenter": "cc-1"}),
         ("tags['CostCenter']", "^CC-[0-9]{4,}$"), lambda s: prompt(s, key=KEY_ARN, tags=TAGS), True),
    # Key checks through a workspace, which can make its own key.
    Case("workspace alias object", lambda s: workspace(s, key=kms.Alias(s, "Al", alias_name="alias/x", target_key=kms.Key(s, "T"))),
         ("is an alias", WORKSPACE_FIX), lambda s: workspace(s)),
    Case("workspace deploy-time ARN", lambda s: workspace(s, key=kms.Key.from_key_arn(s, "I", Fn.import_value("KeyArn"))),
         ("deploy time", "literal key ARN"), lambda s: workspace(s, key=KEY_ARN)),
    Case("workspace AWS-managed", lambda s: workspace(s, key="arn:aws:kms:us-east-1:111111111111:alias/aws/datazone"),
         ("AWS-managed", WORKSPACE_FIX), lambda s: workspace(s)),
    Case("workspace bare key id", lambda s: workspace(s, key="1234abcd-12ab-34cd-56ef-1234567890ab"),
         ("not a full customer-managed key ARN", WORKSPACE_FIX), lambda s: workspace(s, key=KEY_ARN)),
    Case("workspace key ARN in another region", lambda s: workspace(s, key=KEY_ARN.replace("us-east-1", "eu-west-1")),
         ("eu-west-1", "Use a key in us-east-1"), lambda s: workspace(s, key=KEY_ARN)),
    Case("workspace key object in another region", lambda s: workspace(s, key=other_region_key(s)),
         ("eu-west-1", "Use a key in us-east-1"), lambda s: workspace(s, key=ws_key(s))),
    Case("workspace asymmetric key", lambda s: workspace(s, key=kms.Key(s, "Rsa", key_spec=kms.KeySpec.RSA_2048,
                                                                        key_usage=kms.KeyUsage.SIGN_VERIFY)),
         ("not a symmetric encryption key", WORKSPACE_FIX), lambda s: workspace(s, key=ws_key(s))),
    Case("workspace key of a wrong type", lambda s: workspace(s, key=42), ("key= must be", WORKSPACE_FIX),
         lambda s: workspace(s)),
    # Workspace inputs.
    Case("workspace name", lambda s: workspace(s, name="research team!"), ("name=", "letters, digits"),
         lambda s: workspace(s, name="research-team")),
    Case("workspace version", lambda s: workspace(s, domain_version="V3"), ("domain_version='V3'", '"V2"'),
         lambda s: workspace(s, domain_version="V2")),
    Case("service role on V1", lambda s: workspace(s, domain_version="V1", service_role=role(s)),
         ("service_role", "drop it"), lambda s: workspace(s, domain_version="V1")),
    Case("workspace owner empty", lambda s: workspace(s, owner=""), ("owner must be", 'owner="ml-team@example.com"'),
         lambda s: workspace(s, owner="ml-team@example.com")),
    Case("workspace owner malformed", lambda s: workspace(s, owner="ml team\n"), ("owner=", "not a valid tag value"),
         lambda s: workspace(s, owner="ml-team@example.com")),
    Case("workspace cost center pattern", lambda s: workspace(s, cost_center="cc-1"), ("cost_center='cc-1'", "^CC-[0-9]{4,}$"),
         lambda s: workspace(s, cost_center="CC-1234")),
    # WorkspaceKey inputs.
    Case("extra tag name", lambda s: WorkspaceKey(s, "K", **OWNERSHIP, extra_tags={"aws:x": "y"}),
         ("extra_tags key", "not start with 'aws:'"), lambda s: WorkspaceKey(s, "K", **OWNERSHIP, extra_tags={"x": "y"})),
    Case("extra tag value", lambda s: WorkspaceKey(s, "K", **OWNERSHIP, extra_tags={"x": "a\nb"}),
         ("extra_tags['x']", "not a valid tag value"), lambda s: WorkspaceKey(s, "K", **OWNERSHIP, extra_tags={"x": "a b"})),
    Case("rotation too short", lambda s: WorkspaceKey(s, "K", **OWNERSHIP, rotation_period=Duration.days(30)),
         ("rotation_period is 30 days", "Duration.days(365)"),
         lambda s: WorkspaceKey(s, "K", **OWNERSHIP, rotation_period=Duration.days(365))),
    Case("rotation not whole days", lambda s: WorkspaceKey(s, "K", **OWNERSHIP, rotation_period=Duration.hours(2172)),
         ("90.5 days", "whole days", "Duration.days(365)"),
         lambda s: WorkspaceKey(s, "K", **OWNERSHIP, rotation_period=Duration.days(365))),
    Case("rotation not a Duration", lambda s: WorkspaceKey(s, "K", **OWNERSHIP, rotation_period=365),
         ("aws_cdk.Duration", "Duration.days(365)"),
         lambda s: WorkspaceKey(s, "K", **OWNERSHIP, rotation_period=Duration.days(365))),
    Case("pending window too short", lambda s: WorkspaceKey(s, "K", **OWNERSHIP, pending_window=Duration.days(7)),
         ("pending_window is 7 days", "Duration.days(30)"),
         lambda s: WorkspaceKey(s, "K", **OWNERSHIP, pending_window=Duration.days(30))),
    Case("no administrators", lambda s: WorkspaceKey(s, "K", **OWNERSHIP, admin_principals=[]),
         ("admin_principals is empty", "leave admin_principals unset"), lambda s: WorkspaceKey(s, "K", **OWNERSHIP)),
    Case("grant with a bad version", lambda s: ws_key(s).grant_datazone_domain(domain_version="2"),
         ("domain_version='2'", '"V2"'), lambda s: ws_key(s).grant_datazone_domain(domain_version="V2")),
    # Knowledge bases.
    Case("knowledge base type", lambda s: CompliantKnowledgeBase(s, "KB", key=ws_key(s), role=role(s), name="kb",
                                                                   knowledge_base_type="KENDRA"),
         ("knowledge_base_type='KENDRA'", '"MANAGED"'),
         lambda s: CompliantKnowledgeBase(s, "KB", key=ws_key(s), role=role(s), name="kb", knowledge_base_type="MANAGED"),
         True),
    Case("managed knowledge base with a store", lambda s: CompliantKnowledgeBase(
        s, "KB", key=ws_key(s), role=role(s), name="kb", storage_configuration=VECTOR_STORE),
         ("storage_configuration", 'knowledge_base_type="VECTOR"'),
         lambda s: CompliantKnowledgeBase(s, "KB", key=ws_key(s), role=role(s), name="kb", knowledge_base_type="VECTOR",
                                          storage_configuration=VECTOR_STORE, embedding_model_arn=EMBEDDING), True),
    Case("vector knowledge base without a store", lambda s: CompliantKnowledgeBase(
        s, "KB", key=ws_key(s), role=role(s), name="kb", knowledge_base_type="VECTOR", embedding_model_arn=EMBEDDING),
         ("needs storage_configuration=", "embedding_model_arn="),
         lambda s: CompliantKnowledgeBase(s, "KB", key=ws_key(s), role=role(s), name="kb", knowledge_base_type="VECTOR",
                                          storage_configuration=VECTOR_STORE, embedding_model_arn=EMBEDDING), True),
    # Team mode (issue #14).
    Case("team not a tag value", lambda s: WorkspaceKey(s, "K", team=" team-a", **OWNERSHIP),
         ("team=", "not a valid tag value"), lambda s: WorkspaceKey(s, "K", team=OWNERSHIP["owner"], **OWNERSHIP)),
    Case("team contradicts owner", lambda s: WorkspaceKey(s, "K", team="other@example.com", **OWNERSHIP),
         ("team='other@example.com'", "pass the same value to both"),
         lambda s: WorkspaceKey(s, "K", team=OWNERSHIP["owner"], **OWNERSHIP)),
    Case("team roles without team", lambda s: WorkspaceKey(s, "K", team_roles=[role(s)], **OWNERSHIP),
         ("team_roles= needs team=",), lambda s: WorkspaceKey(s, "K", team=OWNERSHIP["owner"], team_roles=[role(s)], **OWNERSHIP)),
    Case("workspace team roles with a key", lambda s: workspace(s, team=OWNERSHIP["owner"], team_roles=[role(s)],
                                                                 key=WorkspaceKey(s, "K", team=OWNERSHIP["owner"], **OWNERSHIP)),
         ("team_roles=", "pass team_roles= to that WorkspaceKey"),
         lambda s: workspace(s, team=OWNERSHIP["owner"], key=WorkspaceKey(s, "K", team=OWNERSHIP["owner"],
                                                                          team_roles=[role(s)], **OWNERSHIP))),
    Case("team workspace on a shared key", lambda s: workspace(s, team=OWNERSHIP["owner"], key=ws_key(s)),
         ("team=", "needs key=None or a WorkspaceKey created with team="),
         lambda s: workspace(s, team=OWNERSHIP["owner"])),
]

RAISED_AT: set[tuple[str, int]] = set()


def _raise_site(error: BaseException) -> tuple[str, int]:
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "guardrails/constructs/" in f.filename.replace("\\", "/")]
    return Path(ours[-1].filename).name, ours[-1].lineno


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_message_names_the_input_and_its_fix_works(case: Case):
    with pytest.raises(ConstructInputError) as caught:
        case.bad(new_stack())
    message = str(caught.value)
    for fragment in case.says:
        assert fragment in message, f"{case.name}: {fragment!r} not in {message!r}"
    if case.bedrock_helper:
        assert WORKSPACE_FIX not in message, f"{case.name}: a Bedrock helper's key is required: {message!r}"
    RAISED_AT.add(_raise_site(caught.value))
    case.fixed(new_stack())  # what the message says to do works


def _raise_sites() -> set[tuple[str, range]]:
    sites = set()
    for path in Path(constructs_package.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and node.exc is not None and "ConstructInputError" in ast.unparse(node.exc.func
                                                                                                              if isinstance(node.exc, ast.Call) else node.exc):
                sites.add((path.name, range(node.lineno, node.end_lineno + 1)))
    return sites


def test_every_refusal_in_the_constructs_has_a_case():
    if len(RAISED_AT) < len(CASES) // 2:  # run alone: reach the raise sites first
        for case in CASES:
            try:
                case.bad(new_stack())
            except ConstructInputError as error:
                RAISED_AT.add(_raise_site(error))
    sites = _raise_sites()
    assert len(sites) >= 20
    missing = [f"{name}:{lines.start}" for name, lines in sites
               if not any(name == hit_name and hit_line in lines for hit_name, hit_line in RAISED_AT)]
    assert not missing, f"refusals without a case in this file: {missing}"
