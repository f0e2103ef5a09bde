"""Generate the benchmark corpora: CloudFormation templates made of "units" of three resources.

A unit is a KMS key, a DataZone domain (a Bedrock Studio workspace) and a Bedrock agent. A compliant
unit points both at the key (Fn::GetAtt Key.Arn) and rotates the key; a non-compliant unit leaves the
domain and the agent without a key and turns rotation off. Every key carries the workspace-key tag, so
`guardrails scan` judges it whether or not a resource still points at it (as checkov and cfn-guard judge
every key). Units alternate over the whole corpus, so exactly half the units (and half of each type) are
non-compliant when the unit count is even.

`expected(...)` says what every tool should flag on the rules they share, so the benchmark can check
agreement resource by resource.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

UNIT = 3  # resources per unit: key, domain, agent
ACCOUNT = "111122223333"
WORKSPACE_KEY_TAG = ("GuardrailsPurpose", "bedrock-workspace")
# Compliant under the settings the benchmark scans with (this repository's cdk.json: CostCenter ^CC-[0-9]{4,}$), so a
# compliant unit has no finding at all and "half non-compliant" means exactly the planted problems.
OWNER_TAGS = {"Owner": "platform-team", "CostCenter": "CC-1234", "DataClassification": "internal"}


def _tags(extra: dict[str, str] | None = None) -> list[dict[str, str]]:
    values = dict(OWNER_TAGS, **(extra or {}))
    return [{"Key": k, "Value": v} for k, v in values.items()]


def _key_policy(role: str) -> dict:
    """Administrators manage, the execution role and the services use the key under conditions."""
    root = {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "KeyAdministration", "Effect": "Allow", "Principal": {"AWS": root},
         "Action": ["kms:CreateAlias", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
                    "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
                    "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"],
         "Resource": "*"},
        {"Sid": "DataZoneUse", "Effect": "Allow", "Principal": {"AWS": {"Fn::GetAtt": [role, "Arn"]}},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:CreateGrant"], "Resource": "*",
         "Condition": {"StringEquals": {"kms:ViaService": {"Fn::Sub": "datazone.${AWS::Region}.amazonaws.com"}}}},
    ]}


def unit_resources(index: int, compliant: bool, role: str = "ExecutionRole") -> dict[str, dict]:
    key, domain, agent = f"Key{index}", f"Domain{index}", f"Agent{index}"
    key_props = {"Description": f"workspace key {index}", "EnableKeyRotation": compliant,
                 "KeyPolicy": _key_policy(role), "Tags": _tags(dict([WORKSPACE_KEY_TAG]))}
    if compliant:
        key_props["RotationPeriodInDays"] = 365
    domain_props = {"Name": f"workspace-{index}", "DomainExecutionRole": {"Fn::GetAtt": [role, "Arn"]},
                    "Tags": _tags()}
    agent_props = {"AgentName": f"agent-{index}", "AgentResourceRoleArn": {"Fn::GetAtt": [role, "Arn"]},
                   "FoundationModel": "anthropic.claude-3-haiku-20240307-v1:0", "Instruction": "Answer questions " * 4}
    if compliant:
        domain_props["KmsKeyIdentifier"] = {"Fn::GetAtt": [key, "Arn"]}
        agent_props["CustomerEncryptionKeyArn"] = {"Fn::GetAtt": [key, "Arn"]}
    return {
        key: {"Type": "AWS::KMS::Key", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain", "Properties": key_props},
        domain: {"Type": "AWS::DataZone::Domain", "Properties": domain_props},
        agent: {"Type": "AWS::Bedrock::Agent", "Properties": agent_props},
    }


def _role() -> dict:
    return {"Type": "AWS::IAM::Role", "Properties": {
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Principal": {"Service": ["datazone.amazonaws.com", "bedrock.amazonaws.com"]}}]}}}


@dataclass
class Corpus:
    """What was written, and which (template, logical id) each shared rule should flag."""

    directory: Path
    templates: int = 0
    resources: int = 0
    noncompliant_units: int = 0
    units: int = 0
    bytes: int = 0
    # shared rule -> set of (template file name, logical id)
    expected: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: {"WorkspaceCMK": set(), "AgentCMK": set(),
                                                                                  "KeyRotation": set()})


def write_scan_corpus(directory: str | os.PathLike, templates: int, resources: int, *, half_noncompliant: bool = True) -> Corpus:
    """`templates` JSON templates holding `resources` resources in all (units of 3, one role each, spare roles to pad).

    `half_noncompliant=False` makes every unit compliant (no findings: memory then shows the templates alone)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    total_units = max(templates, (resources - templates) // UNIT)
    total_units -= total_units % 2  # an even count: exactly half the units are non-compliant
    spare_roles = max(0, resources - templates - UNIT * total_units)  # pad to the exact resource count
    corpus = Corpus(directory)
    unit = 0
    for t in range(templates):
        # spread units evenly: the first `extra` templates get one more
        count = total_units // templates + (1 if t < total_units % templates else 0)
        name = f"stack{t:05d}.template.json"
        body: dict = {"AWSTemplateFormatVersion": "2010-09-09", "Description": f"benchmark stack {t}",
                      "Resources": {"ExecutionRole": _role()}}
        if t < spare_roles:
            body["Resources"]["SpareRole"] = _role()
        for _ in range(count):
            compliant = unit % 2 == 0 or not half_noncompliant
            body["Resources"].update(unit_resources(unit, compliant))
            if not compliant:
                corpus.noncompliant_units += 1
                corpus.expected["WorkspaceCMK"].add((name, f"Domain{unit}"))
                corpus.expected["AgentCMK"].add((name, f"Agent{unit}"))
                corpus.expected["KeyRotation"].add((name, f"Key{unit}"))
            unit += 1
        text = json.dumps(body, indent=1)
        (directory / name).write_text(text)
        corpus.templates += 1
        corpus.resources += len(body["Resources"])
        corpus.bytes += len(text)
    corpus.units = unit
    return corpus


def write_yaml_copy(corpus: Corpus, directory: str | os.PathLike) -> Path:
    """The same templates as YAML (block style), for the YAML parse floor."""
    import yaml

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for path in sorted(corpus.directory.glob("*.json")):
        data = json.loads(path.read_text())
        (directory / path.name.replace(".json", ".yaml")).write_text(yaml.safe_dump(data, sort_keys=False))
    return directory


def corpus_files(directory: str | os.PathLike) -> list[str]:
    return sorted(str(p) for p in Path(directory).iterdir() if p.suffix in (".json", ".yaml"))
