"""The blast radius of switching a key off: every workspace and Bedrock resource that uses it.

It reads the same inventory as `guardrails audit` (guardrails.audit.inventory), so what the audit sees
is what the kill switch sees. A resource's key as its API reports it may be a key ARN, a key id or an
alias; aliases are resolved with DescribeKey in the resource's own account and region. What cannot be
read or resolved is listed as not evaluated: a blast radius is only complete when that list is empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from guardrails.audit.errors import describe_error
from guardrails.audit.inventory import KINDS, Kind
from guardrails.audit.model import NotEvaluated, Resource, Scope
from guardrails.audit.resource_tags import tags_of
from guardrails.kill_switch.target import KeyRef
from guardrails.kms_identifiers import parse_key_arn

ClientFor = Callable[[str, str, str], Any]  # (service, region, account) -> client


@dataclass(frozen=True)
class Dependent:
    resource: Resource
    owner: str | None  # the isolation tag's value; None when the resource has none or it could not be read


@dataclass
class BlastRadius:
    key: KeyRef
    scopes: list[Scope]
    dependents: list[Dependent] = field(default_factory=list)
    not_evaluated: list[NotEvaluated] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.not_evaluated

    @property
    def workspaces(self) -> list[Dependent]:
        return [d for d in self.dependents if d.resource.workspace]

    @property
    def owners(self) -> list[str]:
        return sorted({d.owner for d in self.dependents if d.owner})


class _KeyMatcher:
    """Does a reported key identifier name the target key? Aliases are resolved once per account-region."""

    def __init__(self, key: KeyRef, client_for: ClientFor):
        self.key = key
        self.client_for = client_for
        self._aliases: dict[tuple[str, str, str], str] = {}  # (account, region, alias) -> key ARN

    def uses_key(self, resource: Resource) -> bool:
        identifier = resource.key.strip()
        arn = parse_key_arn(identifier)
        if arn:
            return identifier == self.key.arn or (arn.region, arn.account, arn.key_id) == (
                self.key.region, self.key.account, self.key.key_id)
        if ":alias/" in identifier or identifier.startswith("alias/"):
            return self._resolve_alias(resource, identifier) == self.key.arn
        # A bare key id names a key of the resource's own account and region.
        return (identifier, resource.account, resource.region) == (self.key.key_id, self.key.account, self.key.region)

    def _resolve_alias(self, resource: Resource, alias: str) -> str:
        cache_key = (resource.account, resource.region, alias)
        if cache_key not in self._aliases:
            kms = self.client_for("kms", resource.region, resource.account)
            self._aliases[cache_key] = kms.describe_key(KeyId=alias)["KeyMetadata"]["Arn"]
        return self._aliases[cache_key]


def blast_radius(key: KeyRef, scopes: Iterable[Scope], client_for: ClientFor, isolation_tag: str,
                 kinds: tuple[Kind, ...] = KINDS) -> BlastRadius:
    radius = BlastRadius(key, list(scopes))
    matcher = _KeyMatcher(key, client_for)
    for scope in radius.scopes:
        for kind in kinds:
            try:
                for item in kind.lister(client_for(kind.service, scope.region, scope.account), scope):
                    if isinstance(item, NotEvaluated):
                        radius.not_evaluated.append(item)
                    elif item.key:
                        _add_if_dependent(radius, matcher, item, client_for, isolation_tag)
            except Exception as exc:  # noqa: BLE001 - recorded: the radius is then incomplete, and says so
                radius.not_evaluated.append(NotEvaluated(scope.account, scope.region, kind.name, describe_error(exc)))
    return radius


def _add_if_dependent(radius: BlastRadius, matcher: _KeyMatcher, resource: Resource, client_for: ClientFor,
                      isolation_tag: str) -> None:
    try:
        if not matcher.uses_key(resource):
            return
    except Exception as exc:  # noqa: BLE001 - an alias we cannot resolve may be the key: fail closed
        radius.not_evaluated.append(NotEvaluated(resource.account, resource.region,
                                                 f"key {resource.key} of {resource.arn}", describe_error(exc)))
        return
    try:
        tags = tags_of(resource, client_for) or {}
        owner = tags.get(isolation_tag) or None
    except Exception:  # noqa: BLE001 - an unknown owner does not change what the switch cuts off
        owner = None
    radius.dependents.append(Dependent(resource, owner))
