"""TeamWorkspaces: two teams in one account, each with its own workspace on its own team key (docs/team-isolation.md).

Each team key delegates use only to principals tagged with its team (`aws:PrincipalTag/<isolation_tag>`), so a
role of team A, or an administrator tagged with team A, cannot decrypt team B's data, and an untagged role can use
neither key. Synthesized only with `-c guardrails:team-example=true`, so the default suite is unchanged.
"""

from __future__ import annotations

from aws_cdk import Stack, Tags
from aws_cdk import aws_iam as iam
from constructs import Construct

from guardrails.constructs import CompliantPrompt, CompliantWorkspace
from guardrails.settings import settings_from_cdk_context
from guardrails.stacks.suite_config import SuiteConfig

TEAMS = {"TeamA": "team-a@example.com", "TeamB": "team-b@example.com"}
# What a team's people do with their data, only through Bedrock and DataZone (the key policy demands kms:ViaService).
ANALYST_KEY_ACTIONS = ("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey")


class TeamWorkspacesStack(Stack):
    def __init__(self, scope: Construct, id: str, *, config: SuiteConfig, **kwargs) -> None:
        super().__init__(scope, id, env=config.env,
                         description="Bedrock CMK Guardrails: two teams isolated in one account", **kwargs)
        tag = settings_from_cdk_context(self.node).isolation_tag
        self.workspaces: dict[str, CompliantWorkspace] = {}
        self.analysts: dict[str, iam.Role] = {}
        for name, team in TEAMS.items():
            workspace = CompliantWorkspace(self, name, name=name.lower(), owner=team, team=team,
                                           cost_center="CC-1234", data_classification="confidential")
            CompliantPrompt(self, f"{name}Prompt", key=workspace.workspace_key, name=f"{name.lower()}-summary",
                            description=f"Summaries for {team}")
            self.workspaces[name] = workspace
            self.analysts[name] = self._analyst(name, tag, team, workspace.workspace_key.key_arn)

    def _analyst(self, name: str, tag: str, team: str, key_arn: str) -> iam.Role:
        """A team member's role: carries the team tag (what the team key's policy asks of the caller) and may use
        its own team's key, only through Bedrock or DataZone."""
        stack = Stack.of(self)
        role = iam.Role(self, f"{name}Analyst", assumed_by=iam.AccountRootPrincipal(),
                        description=f"People of {team}: use of the team's workspace key")
        Tags.of(role).add(tag, team)
        role.add_managed_policy(iam.ManagedPolicy(self, f"{name}AnalystKeyUse", statements=[iam.PolicyStatement(
            actions=list(ANALYST_KEY_ACTIONS), resources=[key_arn],
            conditions={"StringEquals": {"kms:ViaService": [f"bedrock.{stack.region}.amazonaws.com",
                                                             f"datazone.{stack.region}.amazonaws.com"]}})]))
        return role
