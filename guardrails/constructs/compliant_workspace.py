"""CompliantWorkspace: a DataZone domain (Bedrock Studio V1 / SageMaker Unified Studio V2) on a customer-managed key."""

from __future__ import annotations

from typing import Any, Sequence

from aws_cdk import Stack, Tags
from aws_cdk import aws_datazone as datazone
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from guardrails.constructs import defaults as d
from guardrails.constructs import service_key_facts as facts
from guardrails.constructs import validation, workspace_roles
from guardrails.constructs.signature import visible_signature
from guardrails.constructs.workspace_key import WorkspaceKey
from guardrails.settings import settings_from_cdk_context


@visible_signature
class CompliantWorkspace(Construct):
    """A workspace that cannot come out non-compliant: every input is checked before anything is created.

    `key=None` creates a dedicated WorkspaceKey. A WorkspaceKey in the same stack gets the DataZone
    grants added to its policy. Any other key (an imported ARN, a WorkspaceKey of another stack) must
    already grant DataZone (its owner calls `grant_datazone_domain()`); the execution role then gets
    an identity policy for it, usable only through DataZone.

    Args:
        scope: the construct to add this one to.
        id: the construct id.
        name: the DataZone domain's name (1-64 letters, digits, '-' or '_').
        owner: the Owner tag (e.g. a team address), on the domain and its key.
        cost_center: the CostCenter tag.
        data_classification: the DataClassification tag.
        key: None (default: a dedicated WorkspaceKey), a WorkspaceKey, or a customer-managed key (kms.IKey or
            key ARN) in this region. Aliases, AWS-managed and AWS-owned keys are refused.
        domain_version: "V2" (SageMaker Unified Studio, default) or "V1" (Bedrock Studio).
        execution_role: the domain execution role; default: one generated, trusted only by DataZone for this
            account's domains.
        service_role: the V2 domain service role; default: one generated. Not used by V1 domains.
        single_sign_on: the domain's SingleSignOn property (CfnDomain.SingleSignOnProperty), passed through.
        description: the domain's description; default: "Bedrock workspace <name> owned by <owner>".
        team: team mode (docs/team-isolation.md): the dedicated key is a team WorkspaceKey (use only by principals
            tagged `<isolation_tag>=team`, `team_roles` and the provisioning roles) and the domain is tagged with the
            team. A given `key` must be a WorkspaceKey of the same team: a key from elsewhere cannot be shown to be
            the team's.
        team_roles: in team mode, roles of the team named in the dedicated key's policy.

    Attributes: `domain` (the CfnDomain), `key`, `workspace_key` (None for a key from elsewhere),
    `execution_role`, `service_role` (None for V1).
    """

    def __init__(self, scope: Construct, id: str, *, name: str, owner: str, cost_center: str, data_classification: str,
                 key: WorkspaceKey | kms.IKey | str | None = None, domain_version: str = d.DEFAULT_DOMAIN_VERSION,
                 execution_role: iam.IRole | None = None, service_role: iam.IRole | None = None,
                 single_sign_on: Any = None, description: str | None = None, team: str | None = None,
                 team_roles: Sequence[iam.IRole] = ()) -> None:
        settings = settings_from_cdk_context(scope.node)
        name = validation.domain_name(name)
        version = validation.domain_version(domain_version)
        tags = validation.ownership_tags(settings, owner=owner, cost_center=cost_center,
                                         data_classification=data_classification)
        if team is not None:
            tags = validation.team_tags(settings, tags, team)
            if key is not None and (not isinstance(key, WorkspaceKey) or key.team != team):
                raise validation.ConstructInputError(
                    f"team={team!r} needs key=None or a WorkspaceKey created with team={team!r}; the given key "
                    f"{'belongs to team ' + repr(key.team) if isinstance(key, WorkspaceKey) and key.team else 'is not a team key'}, "
                    "so other teams' principals could use it.")
        if team_roles and key is not None:
            raise validation.ConstructInputError("team_roles= names roles in the dedicated key's policy: with key= given, "
                                                 "pass team_roles= to that WorkspaceKey instead.")
        if service_role is not None and version == "V1":
            raise validation.ConstructInputError("service_role is only used by V2 (Unified Studio) domains; drop it or "
                                                 "use domain_version=\"V2\".")
        if key is not None:
            validation.checked_key_arn(scope, key.key if isinstance(key, WorkspaceKey) else key)
        super().__init__(scope, id)

        self.workspace_key = key if isinstance(key, WorkspaceKey) else None
        if key is None:
            self.workspace_key = WorkspaceKey(self, "Key", owner=owner, cost_center=cost_center,
                                              data_classification=data_classification, alias=f"alias/workspace/{name}",
                                              team=team, team_roles=team_roles)
        self.key: kms.IKey | str = self.workspace_key.key if self.workspace_key else key  # type: ignore[assignment]
        key_arn = validation.checked_key_arn(self, self.key)

        self.execution_role: iam.IRole = execution_role or workspace_roles.domain_execution_role(
            self, "ExecutionRole", version)
        self.service_role: iam.IRole | None = None
        if version == "V2":
            self.service_role = service_role or workspace_roles.domain_service_role(self, "ServiceRole")
        self._grant_key(key_arn, version)

        self.domain = datazone.CfnDomain(
            self, "Domain", name=name, description=description or f"Bedrock workspace {name} owned by {owner}",
            domain_version=version, kms_key_identifier=key_arn,
            domain_execution_role=self.execution_role.role_arn,
            service_role=self.service_role.role_arn if self.service_role else None,
            single_sign_on=single_sign_on)
        for tag, value in tags.items():
            Tags.of(self).add(tag, value)

    def _grant_key(self, key_arn: str, version: str) -> None:
        same_stack = self.workspace_key is not None and Stack.of(self.workspace_key) is Stack.of(self)
        if same_stack:
            self.workspace_key.grant_datazone_domain(execution_role=self.execution_role, domain_version=version)
            return
        # The key's policy is not ours to edit: reach it through IAM. V1 only through DataZone; V2 with the actions the
        # Unified Studio key page lists for the execution role (service_key_facts.SMUS_DOMAIN_EXECUTION_ROLE).
        stack = Stack.of(self)
        if version == "V2":
            statement = iam.PolicyStatement(actions=list(facts.SMUS_DOMAIN_EXECUTION_ROLE.actions), resources=[key_arn])
        else:
            statement = iam.PolicyStatement(
                actions=["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"], resources=[key_arn],
                conditions={"StringEquals": {"kms:ViaService": d.via_service(d.DATAZONE_SERVICE, stack.region)}})
        self.execution_role.add_managed_policy(iam.ManagedPolicy(self, "KeyAccess", statements=[statement]))
