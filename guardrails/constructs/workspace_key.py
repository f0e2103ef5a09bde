"""WorkspaceKey: a dedicated customer-managed key for a Bedrock workspace and its Bedrock resources.

Recovering a locked-out key policy: an administrator named in `admin_principals` (by default the
account root, which hands management to IAM policies, plus `key_admin_roles` from settings) calls
kms:PutKeyPolicy. If every administrator is gone, only AWS Support can restore access, after the
account's root user proves ownership. That is why an empty admin list is refused.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from aws_cdk import Duration, RemovalPolicy, Stack, Tags
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from guardrails.constructs import defaults as d
from guardrails.constructs import key_statements, validation
from guardrails.constructs.signature import visible_signature
from guardrails.settings import Settings, settings_from_cdk_context


@visible_signature
class WorkspaceKey(Construct):
    """A symmetric, rotated, retained, owner-tagged KMS key whose policy grants only what is asked for.

    Grant use with `grant_datazone_domain` and `grant_bedrock`; the CDK `kms.Key.grant_*` methods do
    not apply, because the policy does not delegate cryptographic use to the account's IAM policies.

    Args:
        scope: the construct to add this one to.
        id: the construct id.
        owner: the Owner tag (e.g. a team address).
        cost_center: the CostCenter tag.
        data_classification: the DataClassification tag.
        admin_principals: who manages the key (management actions only, never use); default: the account
            root (so IAM policies can repair the key policy) plus settings.key_admin_roles. Never empty.
        rotation_period: automatic rotation period, whole days from 90 to settings.max_rotation_days
            (default 365).
        pending_window: deletion waiting period, whole days from settings.min_pending_window_days to 30
            (default 30).
        alias: an alias name for people (alias/...); resources always get the key ARN, never the alias.
        extra_tags: tags beyond the ownership tags.
        team: team mode (docs/team-isolation.md): the key is the team's. Use that is otherwise delegated to the
            account's IAM policies goes only to principals whose `aws:PrincipalTag/<isolation_tag>` is `team` (the
            setting `isolation_tag`, default Owner) and to the provisioning roles that create the team's resources;
            the key carries the `isolation_tag` tag with this value. None (default): account-wide delegation.
        team_roles: in team mode, roles of the team named in the key policy (they need no tag).

    Attributes: `key` (the kms.Key), `key_arn`, `ownership_tags`, `settings`, `team`.
    """

    def __init__(self, scope: Construct, id: str, *, owner: str, cost_center: str, data_classification: str,
                 admin_principals: Sequence[iam.IPrincipal] | None = None,
                 rotation_period: Duration = d.DEFAULT_ROTATION_PERIOD,
                 pending_window: Duration = d.DEFAULT_PENDING_WINDOW,
                 alias: str | None = None, extra_tags: Mapping[str, str] | None = None,
                 team: str | None = None, team_roles: Sequence[iam.IRole] = ()) -> None:
        settings = settings_from_cdk_context(scope.node)
        tags = validation.ownership_tags(settings, owner=owner, cost_center=cost_center,
                                         data_classification=data_classification)
        tags.update(validation.extra_tags(extra_tags))
        if team is not None:
            tags = validation.team_tags(settings, tags, team)
        elif team_roles:
            raise validation.ConstructInputError("team_roles= needs team=: without a team the key delegates use to the "
                                                 "whole account, and naming roles would narrow nothing.")
        admins = validation.admin_principals(
            _default_admins(scope, settings) if admin_principals is None else admin_principals)
        key_admins = [iam.ArnPrincipal(arn) for arn in settings.key_admin_roles] if admin_principals is None else []
        rotation_days = validation.rotation_days(settings, rotation_period)
        pending_days = validation.pending_days(settings, pending_window)
        super().__init__(scope, id)
        self.settings = settings
        self.team = team
        self._team_roles = list(team_roles)
        self._delegations = key_statements.ACCOUNT_WIDE if team is None else key_statements.team_delegations(
            tag=settings.isolation_tag, team=team, provisioning_roles=settings.provisioning_roles,
            account=Stack.of(scope).account)
        self.ownership_tags: dict[str, str] = dict(tags)
        # Passing `policy` keeps CDK from adding its default statement (root: kms:*).
        self.key = kms.Key(
            self, "Key",
            description=f"Bedrock workspace key owned by {owner}",
            key_spec=kms.KeySpec.SYMMETRIC_DEFAULT, key_usage=kms.KeyUsage.ENCRYPT_DECRYPT,
            enable_key_rotation=True, rotation_period=Duration.days(rotation_days),
            pending_window=Duration.days(pending_days), removal_policy=RemovalPolicy.RETAIN,
            alias=alias, policy=iam.PolicyDocument(statements=[*_admin_statements(admins, key_admins),
                                                  key_statements.deny_grants_for_non_aws_resources()]))
        purpose_tag, purpose_value = settings.workspace_key_tag
        for name, value in {**tags, purpose_tag: purpose_value}.items():
            Tags.of(self).add(name, value)
        self._granted: set[str] = set()

    @property
    def key_arn(self) -> str:
        return self.key.key_arn

    def grant_datazone_domain(self, *, execution_role: iam.IRole | None = None, domain_version: str = "V2") -> None:
        """Let DataZone encrypt a domain with this key.

        Always: the creating role (through IAM, only via DataZone in this account; DataZone's V1 page). V1 with
        `execution_role`: that role by name, only via DataZone. V2: the DataZone service principal (this account)
        and, with `execution_role`, that role, each with exactly the actions the Unified Studio key page lists.
        """
        version = validation.domain_version(domain_version)
        stack = Stack.of(self)
        self._add_once("datazone:account", lambda: key_statements.datazone_statements(
            region=stack.region, account=stack.account, principals=[], sid_suffix="Account", delegations=self._delegations))
        if self._team_roles:
            self._add_once("datazone:team-roles", lambda: key_statements.datazone_statements(
                region=stack.region, account=stack.account, principals=self._team_roles, sid_suffix="TeamRoles"))
        if version == "V2":
            self._add_once("datazone:service", lambda: key_statements.unified_studio_statements(
                account=stack.account, execution_role=None, sid_suffix="Service"))
        if execution_role is None:
            return
        if version == "V2":
            self._add_once(f"unified-studio:{execution_role.node.path}", lambda: key_statements.unified_studio_statements(
                account=stack.account, execution_role=execution_role, sid_suffix=_sid_part(execution_role)))
        else:
            self._add_once(f"datazone:{execution_role.node.path}", lambda: key_statements.datazone_statements(
                region=stack.region, account=stack.account, principals=[execution_role],
                sid_suffix=_sid_part(execution_role)))

    def grant_bedrock(self, *principals: iam.IRole) -> None:
        """Let Bedrock agents, flows, knowledge bases, guardrails, prompts and sessions use this key.

        Always: Bedrock's service principal (under its encryption-context keys) and the account's
        IAM policies (in team mode only the team's tagged principals, team roles and provisioning roles),
        only through Bedrock in this account. Named roles (an agent's or flow's service
        role) get their own statements.
        """
        stack = Stack.of(self)
        self._add_once("bedrock:service", lambda: [key_statements.bedrock_service_statement(stack.account)])
        self._add_once("bedrock:account", lambda: key_statements.bedrock_statements(
            region=stack.region, account=stack.account, principals=[], sid_suffix="Account", delegations=self._delegations))
        if self._team_roles:
            self._add_once("bedrock:team-roles", lambda: key_statements.bedrock_statements(
                region=stack.region, account=stack.account, principals=self._team_roles, sid_suffix="TeamRoles"))
        for role in principals:
            self._add_once(f"bedrock:{role.node.path}", lambda role=role: key_statements.bedrock_statements(
                region=stack.region, account=stack.account, principals=[role], sid_suffix=_sid_part(role)))

    def _add_once(self, marker: str, statements: Callable[[], list[iam.PolicyStatement]]) -> None:
        """Grants are idempotent: every construct using the key may ask for them."""
        if marker in self._granted:
            return
        self._granted.add(marker)
        for statement in statements():
            self.key.add_to_resource_policy(statement)


def _default_admins(scope: Construct, settings: Settings) -> list[iam.IPrincipal]:
    """The account root (management only: IAM policies can then repair the key) and settings.key_admin_roles."""
    admins: list[iam.IPrincipal] = [iam.AccountRootPrincipal()]
    admins += [iam.ArnPrincipal(arn) for arn in settings.key_admin_roles]
    return admins


def _admin_statements(admins: list[iam.IPrincipal], key_admins: list[iam.IPrincipal]) -> list[iam.PolicyStatement]:
    """With settings.key_admin_roles, the root loses the key-loss actions to them (key_statements.admin_statements);
    with explicit admin_principals, or no key admin roles, all administrators share one statement."""
    if not key_admins:
        return [key_statements.admin_statement(admins)]
    return key_statements.admin_statements(iam.AccountRootPrincipal(), key_admins)


def _sid_part(role: iam.IRole) -> str:
    return "".join(ch for ch in role.node.path.split("/", 1)[-1] if ch.isalnum())[-60:]
