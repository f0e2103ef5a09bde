"""InsecureWorkspaceDemo: a deliberately non-compliant workspace, synthesized only by `make demo-insecure`.

Raw L1 on purpose: CompliantWorkspace refuses to build this. The synth must fail with
BedrockGuardrails-WorkspaceCMK and its fix.
"""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_datazone as datazone
from constructs import Construct

from guardrails.stacks.suite_config import SuiteConfig


class InsecureWorkspaceDemoStack(Stack):
    def __init__(self, scope: Construct, id: str, *, config: SuiteConfig, **kwargs) -> None:
        super().__init__(scope, id, env=config.env, description="DEMO ONLY: a workspace on an AWS-owned key", **kwargs)
        datazone.CfnDomain(self, "UnencryptedDomain", name="insecure-demo", domain_version="V2",
                           domain_execution_role=f"arn:aws:iam::{config.account}:role/demo-domain-execution",
                           service_role=f"arn:aws:iam::{config.account}:role/demo-domain-service",
                           tags=[{"key": "Owner", "value": "demo@example.com"}])
