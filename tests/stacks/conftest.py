"""The suite synthesized once per session, through app.py's own composition and every policy pack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aws_cdk import App

from guardrails.settings import settings_from_cdk_context
from guardrails.stacks import add_policy_packs, build_suite

from tests.conftest import ROOT  # the root conftest also puts the venv Node 24 on PATH


def synth_suite(outdir: Path, **extra_context) -> Path:
    """Synthesize like app.py does; raises RuntimeError (ValidationFailed) when a policy pack reports an error."""
    context = {**json.loads((ROOT / "cdk.json").read_text())["context"], **extra_context}
    app = App(context=context, outdir=str(outdir))
    settings = settings_from_cdk_context(app.node)
    build_suite(app, settings)
    add_policy_packs(app, settings)
    app.synth()
    return outdir


@pytest.fixture(scope="session")
def suite_assembly(tmp_path_factory) -> Path:
    return synth_suite(tmp_path_factory.mktemp("suite") / "cdk.out")


@pytest.fixture(scope="session")
def suite_templates(suite_assembly) -> dict[str, Path]:
    manifest = json.loads((suite_assembly / "manifest.json").read_text())
    return {name: suite_assembly / artifact["properties"]["templateFile"]
            for name, artifact in manifest["artifacts"].items() if artifact["type"] == "aws:cloudformation:stack"}


@pytest.fixture(scope="session")
def team_assembly(tmp_path_factory) -> Path:
    """The two-team example (guardrails:team-example=true) alone, through every policy pack."""
    from guardrails.stacks.suite_config import suite_config_from_context
    from guardrails.stacks.team_workspaces import TeamWorkspacesStack

    outdir = tmp_path_factory.mktemp("teams") / "cdk.out"
    app = App(context={**json.loads((ROOT / "cdk.json").read_text())["context"], "guardrails:team-example": "true"},
              outdir=str(outdir))
    settings = settings_from_cdk_context(app.node)
    TeamWorkspacesStack(app, "TeamWorkspaces", config=suite_config_from_context(app.node))
    add_policy_packs(app, settings)
    app.synth()  # raises on any pack's error
    return outdir
