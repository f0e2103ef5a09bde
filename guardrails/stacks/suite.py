"""Compose the guardrail suite from settings, and attach every policy pack to the app.

app.py calls `build_suite` and `add_policy_packs`; the preventive and detective stacks add themselves here.
"""

from __future__ import annotations

from aws_cdk import App, Stack, Validations
from cdk_nag import AwsSolutionsChecks, NIST80053R5Checks
from cdklabs.cdk_validator_cfnguard import CfnGuardValidator

from guardrails.checks import BedrockGuardrailsChecks
from guardrails.settings import Settings
from guardrails.stacks.detective import add_detective_stacks
from guardrails.stacks.example_workspace import ExampleWorkspaceStack
from guardrails.stacks.preventive import add_preventive_stacks
from guardrails.stacks.insecure_demo import InsecureWorkspaceDemoStack
from guardrails.stacks.suite_config import SuiteConfig, demo_insecure, suite_config_from_context, team_example
from guardrails.stacks.team_workspaces import TeamWorkspacesStack
from guardrails.stacks.workspace_keys import WorkspaceKeysStack


def build_suite(app: App, settings: Settings, config: SuiteConfig | None = None) -> dict[str, Stack]:
    """The suite's stacks by name. With context guardrails:demo-insecure=true, only the insecure demo; with
    guardrails:team-example=true, also the two-team example (TeamWorkspaces)."""
    config = config or suite_config_from_context(app.node)
    if demo_insecure(app.node):
        return {"InsecureWorkspaceDemo": InsecureWorkspaceDemoStack(app, "InsecureWorkspaceDemo", config=config)}
    stacks: dict[str, Stack] = {
        "WorkspaceKeys": WorkspaceKeysStack(app, "WorkspaceKeys", config=config),
        "ExampleWorkspace": ExampleWorkspaceStack(app, "ExampleWorkspace", config=config),
    }
    if team_example(app.node):
        stacks["TeamWorkspaces"] = TeamWorkspacesStack(app, "TeamWorkspaces", config=config)
    preventive = add_preventive_stacks(app, settings, organization_id=config.organization_id, env=config.env)
    stacks.update({stack.node.id: stack for stack in preventive})
    stacks.update({stack.node.id: stack for stack in add_detective_stacks(
        app, settings, organization_id=config.organization_id, env=config.env)})
    return stacks


def add_policy_packs(app: App, settings: Settings) -> BedrockGuardrailsChecks:
    """Our catalog, cdk-nag's AWS Solutions and NIST 800-53 rev 5 packs, and Control Tower's guard rules."""
    guardrails_checks = BedrockGuardrailsChecks(app, settings=settings)
    Validations.of(app).add_plugins(guardrails_checks, AwsSolutionsChecks(app), NIST80053R5Checks(app),
                                    CfnGuardValidator(control_tower_rules_enabled=True))
    return guardrails_checks
