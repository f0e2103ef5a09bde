"""Input validation for every construct, in one place: each refusal names the fix.

Refusals happen at construction time, so no non-compliant workspace or key can reach a template.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from aws_cdk import Duration, Stack, Token
from aws_cdk import aws_kms as kms
from constructs import IConstruct

from guardrails.kms_identifiers import parse_key_arn
from guardrails.settings import PENDING_MAX_DAYS, PENDING_MIN_DAYS, ROTATION_MIN_DAYS, Settings

# CloudFormation tag values: letters, digits, spaces and _ . : / = + - @, at most 256 characters.
_TAG_VALUE = re.compile(r"^[\w .:/=+\-@]{1,256}$")
_DOMAIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_SYMMETRIC = ("SYMMETRIC_DEFAULT", kms.KeySpec.SYMMETRIC_DEFAULT.value)


class ConstructInputError(ValueError):
    """A construct refused its input; the message says what to change."""


def ownership_tags(settings: Settings, *, owner: Any, cost_center: Any, data_classification: Any,
                   given_as_tags: bool = False) -> dict[str, str]:
    """The three ownership tags, each non-empty, well-formed and matching the settings pattern if one is set.

    `given_as_tags`: the caller passed them in a `tags=` mapping (the Bedrock helpers), so messages name
    `tags["Owner"]` rather than the `owner=` parameter of WorkspaceKey and CompliantWorkspace.
    """
    values = {"Owner": owner, "CostCenter": cost_center, "DataClassification": data_classification}
    params = {"Owner": "owner", "CostCenter": "cost_center", "DataClassification": "data_classification"}
    for tag, value in values.items():
        param = f"tags[{tag!r}]" if given_as_tags else params[tag]
        example = (f"tags={{..., {tag!r}: {_EXAMPLES[tag]!r}}}" if given_as_tags
                   else f"{params[tag]}=\"{_EXAMPLES[tag]}\"")
        if not isinstance(value, str) or not value.strip():
            raise ConstructInputError(f"{param} must be a non-empty string (it becomes the {tag} tag); got {value!r}. "
                                      f"Pass e.g. {example}.")
        if value != value.strip() or not _TAG_VALUE.match(value):
            raise ConstructInputError(f"{param}={value!r} is not a valid tag value: use 1-256 letters, digits, spaces "
                                      "or _ . : / = + - @, without leading or trailing spaces.")
        pattern = settings.tag_pattern(tag)
        if pattern is not None and not pattern.fullmatch(value):
            raise ConstructInputError(f"{param}={value!r} does not match the pattern {pattern.pattern!r} that the "
                                      f"guardrails settings (cdk.json context 'guardrails'.required_tags.{tag}) require.")
    return dict(values)


_EXAMPLES = {"Owner": "ml-team@example.com", "CostCenter": "CC-1234", "DataClassification": "confidential"}


def team_tags(settings: Settings, tags: Mapping[str, str], team: Any) -> dict[str, str]:
    """Tags with the team's isolation tag added; a team that contradicts a tag already given is refused."""
    tag = settings.isolation_tag
    if not isinstance(team, str) or team != team.strip() or not _TAG_VALUE.match(team):
        raise ConstructInputError(f"team={team!r} is not a valid tag value (it becomes the {tag} tag and the "
                                  f"aws:PrincipalTag/{tag} value a principal needs): use 1-256 letters, digits, spaces "
                                  "or _ . : / = + - @, without leading or trailing spaces.")
    if tags.get(tag, team) != team:
        raise ConstructInputError(f"team={team!r} but the {tag} tag (the isolation_tag setting) is {tags[tag]!r}: the "
                                  f"team is what {tag} says, so pass the same value to both.")
    return {**tags, tag: team}


def extra_tags(tags: Mapping[str, str] | None) -> dict[str, str]:
    checked = {}
    for name, value in (tags or {}).items():
        if not isinstance(name, str) or not 1 <= len(name) <= 128 or name.startswith("aws:"):
            raise ConstructInputError(f"extra_tags key {name!r} must be 1-128 characters and not start with 'aws:'.")
        if not isinstance(value, str) or not (value == "" or _TAG_VALUE.match(value)):
            raise ConstructInputError(f"extra_tags[{name!r}]={value!r} is not a valid tag value.")
        checked[name] = value
    return checked


def domain_name(name: Any) -> str:
    if not isinstance(name, str) or not _DOMAIN_NAME.match(name):
        raise ConstructInputError(f"name={name!r} is not a valid workspace name: use 1-64 letters, digits, '-' or '_', "
                                  "starting with a letter or digit.")
    return name


def rotation_days(settings: Settings, rotation_period: Duration) -> int:
    days = _whole_days("rotation_period", rotation_period, f"Duration.days({settings.max_rotation_days})")
    if not ROTATION_MIN_DAYS <= days <= settings.max_rotation_days:
        raise ConstructInputError(f"rotation_period is {days} days; it must be {ROTATION_MIN_DAYS}-{settings.max_rotation_days} "
                                  f"days (KMS minimum, guardrails setting max_rotation_days). Pass e.g. "
                                  f"Duration.days({settings.max_rotation_days}).")
    return days


def pending_days(settings: Settings, pending_window: Duration) -> int:
    days = _whole_days("pending_window", pending_window, f"Duration.days({PENDING_MAX_DAYS})")
    if not max(PENDING_MIN_DAYS, settings.min_pending_window_days) <= days <= PENDING_MAX_DAYS:
        raise ConstructInputError(f"pending_window is {days} days; it must be {settings.min_pending_window_days}-{PENDING_MAX_DAYS} "
                                  "days (guardrails setting min_pending_window_days, KMS maximum). Pass Duration.days(30).")
    return days


def _whole_days(param: str, duration: Any, example: str) -> int:
    """KMS takes whole days (RotationPeriodInDays, PendingWindowInDays): refuse what would be rounded."""
    if not isinstance(duration, Duration):
        raise ConstructInputError(f"{param} must be an aws_cdk.Duration; got {duration!r}. Pass e.g. {example}.")
    days = duration.to_days(integral=False)
    if days != int(days):
        raise ConstructInputError(f"{param} is {days:g} days; KMS takes whole days. Pass e.g. {example}.")
    return int(days)


def admin_principals(principals: Sequence[Any]) -> list[Any]:
    if not principals:
        raise ConstructInputError("admin_principals is empty: the key would have no administrator and could only be "
                                  "recovered through AWS Support. Pass at least one role (e.g. iam.Role.from_role_arn(...)) "
                                  "or leave admin_principals unset to use the account root and settings.key_admin_roles.")
    return list(principals)


def domain_version(version: Any) -> str:
    if version not in ("V1", "V2"):
        raise ConstructInputError(f"domain_version={version!r}: use \"V2\" (SageMaker Unified Studio) or \"V1\" (Bedrock Studio).")
    return version


def knowledge_base_type(kind: Any, *, storage_configuration: Any, embedding_model_arn: Any) -> str:
    """MANAGED (Bedrock's storage, our key) or VECTOR (the caller's vector store), with what each needs."""
    if kind not in ("MANAGED", "VECTOR"):
        raise ConstructInputError(f"knowledge_base_type={kind!r}: use \"MANAGED\" (Bedrock stores the vectors, encrypted "
                                  "with key=) or \"VECTOR\" (your vector store, in storage_configuration=).")
    if kind == "MANAGED" and storage_configuration is not None:
        raise ConstructInputError("storage_configuration is for a VECTOR knowledge base; a MANAGED one keeps its vectors "
                                  "in storage Bedrock manages, encrypted with key=. Drop storage_configuration or pass "
                                  "knowledge_base_type=\"VECTOR\".")
    if kind == "VECTOR" and (storage_configuration is None or not embedding_model_arn):
        raise ConstructInputError("a VECTOR knowledge base needs storage_configuration= (the vector store) and "
                                  "embedding_model_arn=; or use knowledge_base_type=\"MANAGED\" and let Bedrock store "
                                  "the vectors under key=.")
    return kind


# What to do instead of a refused key, by who asks: a workspace can make its own key; a Bedrock helper cannot.
WORKSPACE_KEY_FIX = "Leave key= unset (a dedicated WorkspaceKey is created) or pass a WorkspaceKey."
BEDROCK_KEY_FIX = ("Pass a WorkspaceKey (e.g. key=workspace.workspace_key of your CompliantWorkspace) or the literal ARN "
                   "of a customer-managed key in this region.")


def checked_key_arn(scope: IConstruct, key: kms.IKey | str, fix: str = WORKSPACE_KEY_FIX) -> str:
    """The ARN of a key a workspace or Bedrock resource may use, or ConstructInputError naming the fix.

    Refused: aliases (DataZone needs a key ARN), AWS-managed and AWS-owned keys, keys that are not
    symmetric, keys from another region, and imported keys whose ARN cannot be checked at synth time.
    `fix` is what the caller's user can do instead (WORKSPACE_KEY_FIX or BEDROCK_KEY_FIX).
    """
    if not isinstance(key, str) and not hasattr(key, "key_arn"):
        raise ConstructInputError(f"key= must be a customer-managed KMS key (a WorkspaceKey, a kms.IKey or a key ARN); "
                                  f"got {key!r}. {fix}")
    if getattr(key, "alias_name", None) is not None:
        raise ConstructInputError(f"key= is an alias ({_shown(key.alias_name)}); the resource needs a customer-managed "
                                  f"key ARN, and an alias can be repointed to any key. {fix}")
    if isinstance(key, kms.Key):
        _refuse_asymmetric(key, fix)
        _refuse_other_region(scope, Stack.of(key).region, fix)
        return key.key_arn
    arn = key if isinstance(key, str) else key.key_arn
    if Token.is_unresolved(arn):
        raise ConstructInputError("key= is an imported key whose ARN is only known at deploy time, so it cannot be shown "
                                  f"to be a customer-managed key in this region. Pass the literal key ARN. {fix}")
    if "alias/aws/" in arn:
        raise ConstructInputError(f"key= {arn!r} is an AWS-managed key: it cannot be rotated on your schedule, restricted "
                                  f"or audited per resource. {fix}")
    if "alias/" in arn:
        raise ConstructInputError(f"key= {arn!r} is an alias; the resource needs a key ARN (arn:aws:kms:<region>:<account>:"
                                  f"key/<id>), and an alias can be repointed. {fix}")
    parsed = parse_key_arn(arn)
    if parsed is None:
        raise ConstructInputError(f"key= {arn!r} is not a full customer-managed key ARN (arn:aws:kms:<region>:<account>:"
                                  f"key/<id>); AWS-owned keys and bare key ids are refused. {fix}")
    _refuse_other_region(scope, parsed.region, fix)
    return arn


def _refuse_asymmetric(key: kms.Key, fix: str) -> None:
    cfn = key.node.default_child
    spec, usage = getattr(cfn, "key_spec", None), getattr(cfn, "key_usage", None)
    if spec not in (None, *_SYMMETRIC) or usage not in (None, "ENCRYPT_DECRYPT"):
        raise ConstructInputError(f"key= {key.node.path} is not a symmetric encryption key (KeySpec {spec}, KeyUsage "
                                  f"{usage}); DataZone and Bedrock only encrypt with SYMMETRIC_DEFAULT keys. {fix}")


def _refuse_other_region(scope: IConstruct, key_region: str, fix: str) -> None:
    here = Stack.of(scope).region
    if not Token.is_unresolved(here) and not Token.is_unresolved(key_region) and key_region != here:
        raise ConstructInputError(f"key= is in region {key_region}, but the stack deploys to {here}; KMS keys cannot be "
                                  f"used across regions. Use a key in {here}. {fix}")


def _shown(value: str) -> str:
    return "a token" if Token.is_unresolved(value) else repr(value)
