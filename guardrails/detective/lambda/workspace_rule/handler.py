"""Entry point of the periodic custom Config rule (see README, Detective controls).

Per run, in this account and region: list every kind `guardrails audit` lists (DataZone domains and every
Bedrock and AgentCore resource that can name a key: inventory.CONFIG_TYPES), ask KMS about each key,
judge it with guardrails.live_verdict (the same code as `guardrails audit`), mark accepted exceptions (a
NON_COMPLIANT resource's exception tag, accepted_exceptions.py), report to Config in batches of 100,
report NOT_APPLICABLE for resources that have gone, and publish the KPIs. A failed call never yields COMPLIANT. A resource whose Get call fails (AccessDenied, e.g. a
CMK-encrypted agent whose key the rule may not use) is NOT_APPLICABLE with the reason, never a false
NON_COMPLIANT: its open case, if any, stays open, and the account's own evaluation is NON_COMPLIANT and
names it (Config's Evaluation type does not accept INSUFFICIENT_DATA from a custom rule). A failed KMS
read of a key that was read is still judged NON_COMPLIANT with the reason (guardrails.live_verdict). A
resource that holds no data under a key of its own (a knowledge base on a vector store) is NOT_APPLICABLE,
as in the audit.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from botocore.exceptions import BotoCoreError

from guardrails.live_verdict import (NON_COMPLIANT, NOT_APPLICABLE, LiveSubject, Verdict, judge, key_identity,
                                     key_usage_problems, names_customer_key)
from guardrails.settings import Settings, settings_from_mapping

from . import kpi, remediation
from .accepted_exceptions import apply_exception, resource_tags
from .clients import Clients, UnknownService
from .evaluations import evaluation, put_evaluations
from .inventory import (CLIENT_ATTRIBUTE, CONFIG_TYPES, DATA_SOURCE_TYPE, KNOWLEDGE_BASES, SOURCES, ListingFailed, Resource,
                        Source, knowledge_base_data_sources, list_resources)
from .key_facts import KeyFactsCache, rule_key_facts

ACCOUNT_TYPE = "AWS::::Account"
NO_KEY_OF_ITS_OWN = "holds no data under a key of its own"  # the audit's reason (audit/evaluate.py)


@dataclass(frozen=True)
class Judged:
    resource: Resource
    verdict: Verdict
    on_cmk: bool  # DescribeKey proved the key customer-managed

    def annotation(self) -> str:
        return NO_KEY_OF_ITS_OWN if not self.resource.applicable else self.verdict.annotation()


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    import boto3

    settings = settings_from_mapping(json.loads(os.environ.get("GUARDRAILS_SETTINGS", "{}")), "GUARDRAILS_SETTINGS")
    return evaluate(event, Clients.from_session(boto3.Session()), settings, os.environ["STATE_TABLE"])


def evaluate(event: dict[str, Any], clients: Clients, settings: Settings, state_table: str,
             now: datetime | None = None) -> dict[str, Any]:
    invoking = json.loads(event.get("invokingEvent") or "{}")
    now = now or datetime.now(timezone.utc)
    when = _timestamp(invoking.get("notificationCreationTime")) or now
    account = event.get("accountId") or invoking.get("awsAccountId", "")
    keys = rule_key_facts(clients.kms, account)

    judged: list[Judged] = []
    origins: list[tuple[Source, Any]] = []  # where each judged resource was read, for its tags
    failures: list[ListingFailed] = []
    gaps: list[str] = []  # parts of a listed kind that could not be listed (one knowledge base's data sources)
    listed: set[str] = set()
    unreachable: dict[str, str] = {}  # service -> why: its other kinds are not tried (each would wait out the retries)
    for source in SOURCES:
        client = getattr(clients, CLIENT_ATTRIBUTE[source.service])
        try:
            if isinstance(client, UnknownService):  # never a crash, never COMPLIANT by omission
                raise ListingFailed(source, client.reason)
            if source.service in unreachable:
                raise ListingFailed(source, unreachable[source.service])
            resources = list(list_resources(source, client))
        except BotoCoreError as exc:  # no endpoint (a region without the service) or no connection: not listed
            unreachable[source.service] = f"{type(exc).__name__}: {exc}"
            failures.append(ListingFailed(source, unreachable[source.service]))
            continue
        except ListingFailed as failure:
            failures.append(failure)
            continue
        listed.add(source.resource_type)
        if source is KNOWLEDGE_BASES:
            children, problems = knowledge_base_data_sources(client, resources)
            resources += children
            gaps += problems
            if not problems:  # else some data sources are unknown: none of them has "gone"
                listed.add(DATA_SOURCE_TYPE)
        for resource in resources:
            judged.append(_judge(source, client, resource, keys, settings, account))
            origins.append((source, client))
    _judge_key_usage(judged, origins, keys, settings, account)

    unreadable = [j.resource for j in judged if j.resource.error]
    before = remediation.load(clients.dynamodb, state_table)
    statuses = {(j.resource.resource_type, j.resource.resource_id): j.verdict.status for j in judged if not j.resource.error}
    after, outcome = remediation.reconcile(before, statuses, listed, now,
                                           unknown={(r.resource_type, r.resource_id) for r in unreadable})

    items = [evaluation(j.resource.resource_type, j.resource.resource_id, j.verdict.status, j.annotation(), when)
             for j in judged]
    items += [evaluation(rtype, rid, NOT_APPLICABLE, "no longer exists", when) for rtype, rid in outcome.gone]
    items.append(_inventory_evaluation(account, failures, unreadable, gaps, when))
    failed = put_evaluations(clients.config, items, event["resultToken"])
    remediation.save(clients.dynamodb, state_table, before, after)  # only after Config has the results

    kpis = _kpis(judged, listed, outcome.remediation_hours)
    kpis.non_compliant += bool(failures or unreadable or gaps)  # the account's own evaluation
    kpi.publish(clients.cloudwatch, kpis, now)
    return {"evaluations": len(items), "failedEvaluations": len(failed), "nonCompliant": kpis.non_compliant,
            "exceptions": kpis.exceptions, "listingFailures": [str(f) for f in failures]}


def _judge(source: Source, client: Any, resource: Resource, keys: KeyFactsCache, settings: Settings, account: str) -> Judged:
    if not resource.applicable and not resource.error:
        return Judged(resource, Verdict(NOT_APPLICABLE), False)
    facts = keys.facts(resource.key, account, "") if not resource.error and names_customer_key(resource.key) else None
    subject = LiveSubject(resource.resource_type, resource.key, facts, resource.tags, resource.error)
    verdict = judge(subject, settings)
    if resource.error:  # unread is not evidence of a bad key: the account's evaluation carries it (fail closed there)
        return Judged(resource, replace(verdict, status=NOT_APPLICABLE), False)
    verdict = apply_exception(verdict, source, client, resource, settings)
    on_cmk = bool(facts and facts.describe and facts.describe.get("KeyManager") == "CUSTOMER")
    return Judged(resource, verdict, on_cmk)


def _judge_key_usage(judged: list[Judged], origins: list[tuple[Source, Any]], keys: KeyFactsCache, settings: Settings,
                     account: str) -> None:
    """The rules that judge how keys are shared, over this account-region; owners (the isolation tag) are read
    only for keys more than one resource uses. Unreadable tags leave the owner untold (fail closed)."""
    def key_of(index: int) -> str | None:
        resource = judged[index].resource
        return key_identity(resource.key, keys.facts(resource.key, account, "")) if judged[index].on_cmk else None

    def tags_of(index: int) -> dict[str, str] | None:
        resource = judged[index].resource
        return resource.tags if resource.tags is not None else resource_tags(*origins[index], resource)

    def name_of(index: int) -> str:
        return f"{judged[index].resource.resource_type} {judged[index].resource.name or judged[index].resource.resource_id}"

    for index, problems in key_usage_problems(range(len(judged)), key_of, tags_of, name_of, settings).items():
        old = judged[index]
        verdict = Verdict(NON_COMPLIANT, (*old.verdict.problems, *problems))
        judged[index] = Judged(old.resource, apply_exception(verdict, *origins[index], old.resource, settings), old.on_cmk)


def _inventory_evaluation(account: str, failures: list[ListingFailed], unreadable: list[Resource], gaps: list[str],
                          when: datetime) -> dict[str, Any]:
    """The account itself: NON_COMPLIANT while some resource type could not be listed, or some resource could not
    be read (so not judged)."""
    if failures or unreadable or gaps:
        reasons = [f"cannot list, so cannot judge: {f.source.resource_type} {f}" for f in failures]
        reasons += [f"cannot read {r.resource_type} {r.resource_id}: {r.error}" for r in unreadable]
        reasons += [f"cannot list, so cannot judge: {gap}" for gap in gaps]
        return evaluation(ACCOUNT_TYPE, account, NON_COMPLIANT, "; ".join(reasons), when)
    return evaluation(ACCOUNT_TYPE, account, "COMPLIANT", "every workspace and Bedrock resource type was listed", when)


def _kpis(judged: list[Judged], listed: set[str], hours: list[float]) -> kpi.Kpis:
    """Coverage counts every kind; a resource with no key of its own is not counted (as in the audit's KPIs)."""
    counted = [j for j in judged if j.resource.applicable]
    workspaces = [j for j in counted if j.resource.workspace]
    bedrock = [j for j in counted if not j.resource.workspace]
    workspaces_listed = "AWS::DataZone::Domain" in listed
    bedrock_listed = all(t in listed for t in CONFIG_TYPES if t != "AWS::DataZone::Domain")
    return kpi.Kpis(
        workspaces=len(workspaces) if workspaces_listed else None,
        workspaces_cmk=sum(j.on_cmk for j in workspaces) if workspaces_listed else None,
        bedrock_resources=len(bedrock) if bedrock_listed else None,
        bedrock_resources_cmk=sum(j.on_cmk for j in bedrock) if bedrock_listed else None,
        non_compliant=sum(j.verdict.status == NON_COMPLIANT and not j.verdict.exception for j in judged),  # open only
        exceptions=sum(bool(j.verdict.exception) for j in judged),
        remediation_hours=hours,
    )


def _timestamp(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
