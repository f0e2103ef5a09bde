"""Stacks for construct tests: an account and region (so ARNs can be checked), and the cdk.json settings."""

from __future__ import annotations

import json

import pytest
from aws_cdk import App, Environment, Stack
from aws_cdk.assertions import Template

from tests.conftest import ROOT  # the root conftest also puts the venv Node 24 on PATH
ACCOUNT, REGION = "111111111111", "us-east-1"
OWNERSHIP = dict(owner="ml-team@example.com", cost_center="CC-1234", data_classification="confidential")


def suite_context() -> dict:
    return json.loads((ROOT / "cdk.json").read_text())["context"]


def new_stack(name: str = "Test", region: str = REGION) -> Stack:
    return Stack(App(context=suite_context()), name, env=Environment(account=ACCOUNT, region=region))


def resources(template: Template, resource_type: str) -> dict:
    return template.find_resources(resource_type)


def only(template: Template, resource_type: str) -> dict:
    found = list(template.find_resources(resource_type).values())
    assert len(found) == 1, f"expected one {resource_type}, found {len(found)}"
    return found[0]


def statements(key_resource: dict) -> dict[str, dict]:
    return {s.get("Sid", f"#{i}"): s for i, s in enumerate(key_resource["Properties"]["KeyPolicy"]["Statement"])}


@pytest.fixture
def stack() -> Stack:
    return new_stack()
