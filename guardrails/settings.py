"""One settings object for every enforcement point, validated with clear errors.

Sources, lowest precedence first: built-in defaults; the project's settings, which are the `guardrails`
key of cdk.json's context when there is one (what `cdk synth` reads) and else `[tool.guardrails]` in
pyproject.toml; a `--config FILE` (TOML or JSON); then explicit overrides.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

from guardrails.errors import GuardrailsInputError

DEFAULT_REQUIRED_TAGS: dict[str, str | None] = {
    "Owner": None,
    "CostCenter": None,
    "DataClassification": None,
}
# The CDK bootstrap CloudFormation execution role: what deploys every CDK stack.
DEFAULT_PROVISIONING_ROLES = ("arn:aws:iam::*:role/cdk-*-cfn-exec-role-*",)
# Service-managed StackSets act in member accounts through stacksets-exec-* roles (the StackSets service-linked
# role's policy, CloudFormationStackSetsOrgAdminServiceRolePolicy, assumes arn:aws:iam::*:role/stacksets-exec-*).
# They create and update the hook's stack instances, so hook protection must exempt them.
STACKSETS_EXEC_ROLE = "arn:aws:iam::*:role/stacksets-exec-*"
DEFAULT_HOOK_DEPLOYER_ROLES = (STACKSETS_EXEC_ROLE,)
# SageMaker Unified Studio provisions blueprint resources (Bedrock ones included) through CloudFormation with its
# provisioning role, AmazonSageMakerProvisioning-<domainAccountId> (SMUS Administrator Guide, "AmazonSageMakerProvisioning
# role"); the Guard Hook still checks those deployments.
DEFAULT_SERVICE_PROVISIONING_ROLES = ("arn:aws:iam::*:role/service-role/AmazonSageMakerProvisioning-*",)
STACKSET_CALL_AS = ("SELF", "DELEGATED_ADMIN")  # CloudFormation CreateStackSet CallAs values
ROTATION_MIN_DAYS, ROTATION_MAX_DAYS = 90, 2560  # AWS::KMS::Key RotationPeriodInDays bounds
PENDING_MIN_DAYS, PENDING_MAX_DAYS = 7, 30  # AWS::KMS::Key PendingWindowInDays bounds
_ACCOUNT_ID = re.compile(r"^\d{12}$")
_ORG_TARGET = re.compile(r"^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$")
_HOOK_ALIAS = re.compile(r"^[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}$")
_RESERVED_HOOK_NAMESPACES = {"AWS", "AMZN", "AMAZON", "ALEXA", "ASK", "AWSQUICKSTART", "CUSTOM", "DEV"}
_LOG_GROUP_NAME = re.compile(r"^[.\-_/#A-Za-z0-9]{1,512}$")  # CloudWatch Logs CreateLogGroup's logGroupName pattern
_STACK_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,100}$")
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}|\*):role/[\w+=,.@*/-]+$")
_PRINCIPAL_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:(user|role)/[\w+=,.@/-]+$")
_ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")


@dataclass(frozen=True)
class Settings:
    """Everything an enforcement point needs to know; the defaults are the secure ones."""

    # tag name -> regular expression the value must match (None: any non-empty value)
    required_tags: Mapping[str, str | None] = field(default_factory=lambda: dict(DEFAULT_REQUIRED_TAGS))
    max_rotation_days: int = 365
    min_pending_window_days: int = 30
    # evaluate every AWS::KMS::Key, not only those protecting a workspace or Bedrock resource
    check_all_keys: bool = False
    provisioning_roles: tuple[str, ...] = DEFAULT_PROVISIONING_ROLES
    # roles of AWS services that create governed resources themselves (exempt from the creation guardrail only)
    service_provisioning_roles: tuple[str, ...] = DEFAULT_SERVICE_PROVISIONING_ROLES
    # roles that deploy and update the Guard Hook's stacks (exempt from hook protection only)
    hook_deployer_roles: tuple[str, ...] = DEFAULT_HOOK_DEPLOYER_ROLES
    break_glass_role: str | None = None
    key_admin_roles: tuple[str, ...] = ()
    platform_role: str | None = None
    # tag (key=value) that marks a KMS key as a workspace key for SCPs and detection
    workspace_key_tag: tuple[str, str] = ("GuardrailsPurpose", "bedrock-workspace")
    notification_emails: tuple[str, ...] = ()
    org_target_ids: tuple[str, ...] = ()
    governed_regions: tuple[str, ...] = ("us-east-1",)
    # the CloudWatch Logs group your CloudTrail trail delivers to (no default: CloudTrail names it per trail,
    # e.g. aws-cloudtrail-logs-<account>-<id>); required by the trail alarms of BedrockGuardrailsDetective
    trail_log_group: str | None = None
    access_denied_threshold: int = 5
    config_rule_frequency_hours: int = 24
    # the Guard Hook's alias (Org::Service::Hook) and the stack / StackSet that deploys it
    hook_alias: str = "Guardrails::Bedrock::WorkspaceEncryption"
    hook_stack_name: str = "BedrockGuardrailsHook"
    # the single-account stack that deploys the hook (hook protection names it)
    preventive_stack_name: str = "BedrockGuardrailsPreventive"
    # CallAs of the organization StackSets: SELF from the management account, DELEGATED_ADMIN from a delegated
    # administrator account (CloudFormation API reference, CreateStackSet)
    stackset_call_as: str = "SELF"
    # On a deployed resource, a tag whose value is the reason it is an accepted exception (the live
    # counterpart of an acknowledgment; the reason needs at least 10 characters, as acknowledgments do)
    exception_tag: str = "GuardrailsException"
    # The tag that names the team a workspace, Bedrock resource or key belongs to: the kill switch's blast
    # radius lists owners by it, and teams sharing an account are kept apart by it.
    isolation_tag: str = "Owner"
    # The kill switch's break-glass role (guardrails.preventive.kill_switch): its name, and the IAM users or
    # roles that may assume it (with MFA) and approve its runbook. Empty: no kill-switch role is deployed.
    kill_switch_role_name: str = "bedrock-guardrails-kill-switch"
    kill_switch_principals: tuple[str, ...] = ()
    # Config remediation with AWS's runbooks (rotation on, cancel scheduled deletion) for workspace keys: opt-in
    auto_remediation: bool = False
    # Security Hub automation rules giving the Config route's findings our severities (BedrockGuardrailsDetective
    # only): AWS allows them in the Security Hub administrator account only, so opt-in (docs/audit.md)
    security_hub_automation_rules: bool = False

    def validate(self, source: str = "settings") -> "Settings":
        """Raise GuardrailsInputError naming the setting when a value is out of bounds."""
        def bad(name: str, why: str) -> GuardrailsInputError:
            return GuardrailsInputError(source, f"setting '{name}': {why}")

        if not ROTATION_MIN_DAYS <= self.max_rotation_days <= ROTATION_MAX_DAYS:
            raise bad("max_rotation_days", f"must be {ROTATION_MIN_DAYS}-{ROTATION_MAX_DAYS} (KMS bounds), got {self.max_rotation_days}")
        if not PENDING_MIN_DAYS <= self.min_pending_window_days <= PENDING_MAX_DAYS:
            raise bad("min_pending_window_days", f"must be {PENDING_MIN_DAYS}-{PENDING_MAX_DAYS} (KMS bounds), got {self.min_pending_window_days}")
        for tag, pattern in self.required_tags.items():
            if not tag or len(tag) > 128:
                raise bad("required_tags", f"tag name {tag!r} must be 1-128 characters")
            if pattern is not None:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise bad("required_tags", f"pattern for {tag!r} is not a regular expression: {exc}") from None
        for role in (*self.provisioning_roles, *self.service_provisioning_roles, *self.hook_deployer_roles, *self.key_admin_roles,
                     *(r for r in (self.break_glass_role, self.platform_role) if r)):
            if not _ROLE_ARN.match(role):
                raise bad("roles", f"{role!r} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)")
        if not self.provisioning_roles:
            raise bad("provisioning_roles", "at least one provisioning role is needed, or nobody can create workspaces")
        for target in self.org_target_ids:
            if not _ORG_TARGET.match(target):
                raise bad("org_target_ids", f"{target!r} is not a root (r-...), OU (ou-...) or account id")
        if not 1 <= self.config_rule_frequency_hours <= 24:
            raise bad("config_rule_frequency_hours", "must be 1-24")
        if self.access_denied_threshold < 1:
            raise bad("access_denied_threshold", "must be at least 1")
        if len(self.workspace_key_tag) != 2 or not all(self.workspace_key_tag):
            raise bad("workspace_key_tag", "must be [key, value]")
        if not _HOOK_ALIAS.match(self.hook_alias) or self.hook_alias.split("::")[0].upper() in _RESERVED_HOOK_NAMESPACES:
            raise bad("hook_alias", f"{self.hook_alias!r} must be Org::Service::Hook (letters and digits, not an AWS namespace)")
        for principal in self.kill_switch_principals:
            if not _PRINCIPAL_ARN.fullmatch(principal):
                raise bad("kill_switch_principals", f"{principal!r} is not an IAM user or role ARN of one account "
                          "(arn:aws:iam::<account>:user/<name> or :role/<name>)")
        if not _ROLE_NAME.fullmatch(self.kill_switch_role_name):
            raise bad("kill_switch_role_name", f"{self.kill_switch_role_name!r} is not an IAM role name")
        if not self.isolation_tag or len(self.isolation_tag) > 128:
            raise bad("isolation_tag", "must be a tag name of 1-128 characters")
        if self.trail_log_group is not None and not _LOG_GROUP_NAME.match(self.trail_log_group):
            raise bad("trail_log_group", f"{self.trail_log_group!r} is not a CloudWatch Logs log group name "
                      "(1-512 of letters, digits, _ - / . #)")
        for name in ("hook_stack_name", "preventive_stack_name"):
            if not _STACK_NAME.match(getattr(self, name)):
                raise bad(name, f"{getattr(self, name)!r} is not a CloudFormation stack name")
        if self.stackset_call_as not in STACKSET_CALL_AS:
            raise bad("stackset_call_as", f"must be one of {', '.join(STACKSET_CALL_AS)}, got {self.stackset_call_as!r}")
        return self

    def tag_pattern(self, tag: str) -> re.Pattern[str] | None:
        pattern = self.required_tags.get(tag)
        return re.compile(pattern) if pattern else None


_TUPLE_FIELDS = {f.name for f in fields(Settings) if str(f.type).startswith("tuple")}
_KNOWN = {f.name for f in fields(Settings)}


def settings_from_mapping(values: Mapping[str, Any], source: str, base: Settings | None = None) -> Settings:
    """Overlay `values` (keys in snake_case or kebab-case) on `base`, validating names and types."""
    base = base or Settings()
    changes: dict[str, Any] = {}
    for raw_key, value in values.items():
        key = raw_key.replace("-", "_")
        if key not in _KNOWN:
            raise GuardrailsInputError(source, f"unknown setting '{raw_key}' (known: {', '.join(sorted(_KNOWN))})")
        if key == "required_tags":
            if isinstance(value, list):
                value = {str(tag): None for tag in value}
            if not isinstance(value, Mapping):
                raise GuardrailsInputError(source, "setting 'required_tags' must be a table of tag -> pattern or a list of tags")
            value = {str(k): (str(v) if v not in (None, "") else None) for k, v in value.items()}
        elif key in _TUPLE_FIELDS:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, (list, tuple)):
                raise GuardrailsInputError(source, f"setting '{raw_key}' must be a list")
            value = tuple(str(v) for v in value)
        else:
            expected = type(getattr(base, key)) if getattr(base, key) is not None else str
            if expected is bool and not isinstance(value, bool):
                raise GuardrailsInputError(source, f"setting '{raw_key}' must be true or false")
            if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
                raise GuardrailsInputError(source, f"setting '{raw_key}' must be a whole number")
            if expected is str and value is not None and not isinstance(value, str):
                raise GuardrailsInputError(source, f"setting '{raw_key}' must be a string")
        changes[key] = value
    return replace(base, **changes).validate(source)


def load_config_file(path: str | Path, base: Settings | None = None) -> Settings:
    """Read a TOML or JSON settings file; TOML may hold `[tool.guardrails]` or top-level keys."""
    import tomllib

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GuardrailsInputError(str(path), f"cannot read settings file: {exc}") from None
    try:
        if path.suffix == ".json":
            data = json.loads(text)
            data = data.get("context", data).get("guardrails", data) if isinstance(data, dict) else data
        else:
            data = tomllib.loads(text)
            data = data.get("tool", {}).get("guardrails", data)
    except json.JSONDecodeError as exc:
        raise GuardrailsInputError(str(path), f"invalid JSON: {exc.msg}", exc.lineno) from None
    except tomllib.TOMLDecodeError as exc:
        raise GuardrailsInputError(str(path), f"invalid TOML: {exc}") from None
    if not isinstance(data, dict):
        raise GuardrailsInputError(str(path), "settings must be a table / object")
    return settings_from_mapping(data, str(path), base)


# The --config help of every subcommand that reads settings.
CONFIG_HELP = ("settings file (TOML with [tool.guardrails], or JSON), over the project's settings: cdk.json's "
               "'guardrails' context, or [tool.guardrails] in ./pyproject.toml when cdk.json has none")


def load_settings(config: str | None = None, project_dir: str | Path = ".", *, read_cdk_json: bool = False) -> Settings:
    """Settings for the CLI: [tool.guardrails] in pyproject.toml (or cdk.json's context, see below), then --config."""
    return load_settings_with_sources(config, project_dir, read_cdk_json=read_cdk_json)[0]


def load_settings_with_sources(config: str | None = None, project_dir: str | Path = ".", *,
                               read_cdk_json: bool = True) -> tuple[Settings, list[str]]:
    """The CLI's settings and the files they came from, lowest precedence first.

    In a CDK app synth reads only cdk.json's `guardrails` context, so when cdk.json has that key (and
    `read_cdk_json`, as `scan` does) it is read instead of pyproject.toml: a scan then judges a template
    exactly as synth does.
    """
    settings, sources = Settings(), []
    cdk_json = Path(project_dir) / "cdk.json"
    pyproject = Path(project_dir) / "pyproject.toml"
    context = _cdk_json_context(cdk_json) if read_cdk_json and cdk_json.is_file() else None
    if context is not None:
        source = f"{cdk_json} context 'guardrails'"
        settings = settings_from_mapping(context, source, settings)
        sources.append(source)
    elif pyproject.is_file():
        import tomllib

        try:
            table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("guardrails")
        except tomllib.TOMLDecodeError as exc:
            raise GuardrailsInputError(str(pyproject), f"invalid TOML: {exc}") from None
        if table:
            source = f"{pyproject} [tool.guardrails]"
            settings = settings_from_mapping(table, source, settings)
            sources.append(source)
    if config:
        settings = load_config_file(config, settings)
        sources.append(str(config))
    return settings, sources


def settings_note(sources: list[str]) -> str:
    """One line for a text report: which settings files were read (the last one wins where they overlap)."""
    if not sources:
        return "Settings: built-in defaults (no [tool.guardrails] in pyproject.toml, no 'guardrails' context in cdk.json, no --config)\n"
    return "Settings: " + ", overlaid by ".join(sources) + "\n"


def _cdk_json_context(path: Path) -> dict[str, Any] | None:
    """cdk.json's context key `guardrails` (an object, or a JSON string as `-c` passes it), or None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise GuardrailsInputError(str(path), f"cannot read cdk.json: {exc}") from None
    except json.JSONDecodeError as exc:
        raise GuardrailsInputError(str(path), f"invalid JSON: {exc.msg}", exc.lineno) from None
    context = data.get("context") if isinstance(data, dict) else None
    values = context.get("guardrails") if isinstance(context, dict) else None
    if values is None:
        return None
    return _context_object(values, f"{path} context 'guardrails'")


def _context_object(values: Any, source: str) -> dict[str, Any]:
    if isinstance(values, str):
        try:
            values = json.loads(values)
        except json.JSONDecodeError as exc:
            raise GuardrailsInputError(source, f"invalid JSON: {exc.msg}") from None
    if not isinstance(values, dict):
        raise GuardrailsInputError(source, "must be an object")
    return values


def settings_from_cdk_context(node: Any) -> Settings:
    """Settings from a CDK construct's context key `guardrails` (cdk.json or -c)."""
    values = _context_object(node.try_get_context("guardrails") or {}, "cdk context 'guardrails'")
    return settings_from_mapping(values, "cdk context 'guardrails'")
