"""Judge a deployed resource's key from AWS API responses.

Pure functions, no AWS calls: the Config rule handler (detective/) and `guardrails audit` gather
DescribeKey, GetKeyRotationStatus, ListResourceTags and GetKeyPolicy results (or the error of each
call) into `LiveKeyFacts`, and both get the same `Verdict` from here. Rule ids are the catalog's, so
a finding means the same thing at synth time, in a scan, in Config and in an audit.

Fail closed: a call that failed (AccessDenied, a key in another account, throttling that never
cleared) never yields COMPLIANT; the reason names the call and the error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from guardrails.key_policy import analyze_key_policy
from guardrails.key_reference import ALIAS, KEY_ARN, KEY_ID
from guardrails.rules import key_ownership_tags, key_policy_least_privilege, key_rotation, key_spec, resource_cmk, workspace_cmk
from guardrails.rules.ownership_tags import tag_problems
from guardrails.settings import Settings

COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE = "COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"
ANNOTATION_LIMIT = 256  # AWS Config's annotation length limit


@dataclass(frozen=True)
class LiveKeyFacts:
    """What the KMS APIs said about one key; `errors` maps an API name to the error it returned."""

    key_id: str
    describe: Mapping[str, Any] | None = None  # DescribeKey's KeyMetadata
    rotation: Mapping[str, Any] | None = None  # GetKeyRotationStatus's response
    tags: list[Mapping[str, str]] | None = None  # ListResourceTags' Tags (TagKey / TagValue)
    policy: str | None = None  # GetKeyPolicy's Policy (JSON text)
    errors: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    rule_id: str
    message: str


@dataclass(frozen=True)
class Verdict:
    status: str
    problems: tuple[Problem, ...] = ()
    exception: str | None = None  # the accepted reason, when the resource is tagged as an exception

    @property
    def reason(self) -> str:
        text = "; ".join(p.message for p in self.problems) or "customer-managed key, enabled, rotated, owned, least-privilege"
        return f"accepted exception ({self.exception}): {text}" if self.exception else text

    def annotation(self, limit: int = ANNOTATION_LIMIT) -> str:
        text = self.reason
        return text if len(text) <= limit else text[: limit - 3] + "..."


def key_reference_problem(identifier: str | None, *, workspace: bool) -> Problem | None:
    """A problem when the identifier alone proves the resource is not on a customer-managed key."""
    rule = workspace_cmk.RULE.id if workspace else resource_cmk.RULE.id
    if not identifier:
        return Problem(rule, "no customer-managed key: encrypted with an AWS-owned key" +
                       (" (fixed at creation: create a new workspace on a CMK and migrate)" if workspace else ""))
    alias = ALIAS.match(identifier)
    if alias and alias.group("name").startswith("aws/"):
        return Problem(rule, f"uses the AWS-managed key {identifier}")
    if not (KEY_ARN.match(identifier) or KEY_ID.match(identifier) or alias):
        return Problem(rule, f"{identifier!r} is not a KMS key identifier")
    return None


def judge_key(identifier: str | None, facts: LiveKeyFacts | None, settings: Settings, *, workspace: bool) -> Verdict:
    """The verdict for a resource whose key property holds `identifier`, given what KMS said about it."""
    reference = key_reference_problem(identifier, workspace=workspace)
    if reference is not None:
        return Verdict(NON_COMPLIANT, (reference,))
    assert facts is not None, "facts are needed for a resource that names a key"
    rule = workspace_cmk.RULE.id if workspace else resource_cmk.RULE.id
    describe_error = facts.errors.get("DescribeKey")
    if describe_error or facts.describe is None:
        return Verdict(NON_COMPLIANT, (Problem(f"{rule}[Unverifiable]", f"cannot prove {identifier} is customer-managed: "
                                               f"DescribeKey failed ({describe_error or 'no response'})"),))
    meta = facts.describe
    problems: list[Problem] = []
    if meta.get("KeyManager") != "CUSTOMER":
        return Verdict(NON_COMPLIANT, (Problem(rule, f"key {meta.get('KeyId', identifier)} is {meta.get('KeyManager', 'not')} managed, "
                                               "not customer-managed"),))
    state = meta.get("KeyState")
    if state != "Enabled":
        when = f" (deletion on {meta['DeletionDate']})" if meta.get("DeletionDate") else ""
        problems.append(Problem(f"{rule}[KeyNotEnabled]", f"key is {state}{when}: the data it protects is unreadable or about to be"))
    spec = meta.get("KeySpec", meta.get("CustomerMasterKeySpec"))
    symmetric = spec in (None, "SYMMETRIC_DEFAULT")
    if not symmetric or meta.get("KeyUsage", "ENCRYPT_DECRYPT") != "ENCRYPT_DECRYPT":
        problems.append(Problem(key_spec.RULE.id, f"key spec {spec} / usage {meta.get('KeyUsage')} is not a symmetric encryption key"))
    if symmetric:
        problems.extend(_rotation_problems(facts, settings))
    problems.extend(_readable(facts, "ListResourceTags", key_ownership_tags.RULE.id, "ownership tags") or _tag_problems(facts, settings))
    problems.extend(_readable(facts, "GetKeyPolicy", f"{key_policy_least_privilege.RULE.id}[Unverifiable]", "the key policy")
                    or [Problem(f"{key_policy_least_privilege.RULE.id}[{p.detail}]", p.message)
                        for p in analyze_key_policy(facts.policy, account=_key_account(meta, identifier))])
    return Verdict(NON_COMPLIANT if problems else COMPLIANT, tuple(problems))


def _key_account(meta: Mapping[str, Any], identifier: str) -> str | None:
    """The key's own account (DescribeKey's AWSAccountId, else the ARN's): its root is the owner."""
    account = meta.get("AWSAccountId")
    if isinstance(account, str):
        return account
    arn = KEY_ARN.match(str(meta.get("Arn") or identifier))
    return arn.group(0).split(":")[4] if arn else None


def with_exception(verdict: Verdict, resource_tags: Mapping[str, str] | None, settings: Settings) -> Verdict:
    """Mark a NON_COMPLIANT verdict as an accepted exception when the resource carries the exception tag.

    The status stays NON_COMPLIANT (Config has no "excepted" state, and the data is still not on a
    compliant key); reports and KPIs count it as an exception instead of an open finding. A reason
    shorter than MIN_REASON characters is not honoured, as with acknowledgments at synth time.
    """
    from guardrails.rules.acknowledgment_reason import MIN_REASON

    reason = (resource_tags or {}).get(settings.exception_tag, "").strip()
    if verdict.status != NON_COMPLIANT or len(reason) < MIN_REASON:
        return verdict
    return Verdict(verdict.status, verdict.problems, reason)


def _readable(facts: LiveKeyFacts, api: str, rule_id: str, what: str) -> list[Problem]:
    error = facts.errors.get(api)
    if error:
        return [Problem(rule_id, f"cannot verify {what}: {api} failed ({error})")]
    return []


def _rotation_problems(facts: LiveKeyFacts, settings: Settings) -> list[Problem]:
    denied = _readable(facts, "GetKeyRotationStatus", f"{key_rotation.RULE.id}[Unverifiable]", "rotation")
    if denied or facts.rotation is None:
        return denied or [Problem(f"{key_rotation.RULE.id}[Unverifiable]", "cannot verify rotation: no rotation status")]
    if not facts.rotation.get("KeyRotationEnabled"):
        return [Problem(f"{key_rotation.RULE.id}[RotationDisabled]", "automatic key rotation is off")]
    period = facts.rotation.get("RotationPeriodInDays", 365)
    if period > settings.max_rotation_days:
        return [Problem(f"{key_rotation.RULE.id}[RotationPeriod]", f"rotation period {period} days exceeds {settings.max_rotation_days}")]
    return []


def _tag_problems(facts: LiveKeyFacts, settings: Settings) -> list[Problem]:
    tags = [{"Key": t.get("TagKey"), "Value": t.get("TagValue")} for t in facts.tags or []]
    problems = tag_problems(tags, settings, _LiteralRender())
    return [Problem(key_ownership_tags.RULE.id, "; ".join(problems))] if problems else []


class _LiteralRender:
    """Live tag values are plain strings: render them as they are."""

    @staticmethod
    def render(value: Any) -> str | None:
        return value if isinstance(value, str) else None


def account_of(key_arn: str) -> str | None:
    match = re.match(r"^arn:[^:]+:kms:[^:]*:(\d{12}):", key_arn or "")
    return match.group(1) if match else None
