"""One audit from request to report: accounts, regions, fan-out, KPIs, history. The CLI and the
benchmark both call `execute`; neither needs to know how the pieces fit."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from botocore.exceptions import NoCredentialsError, NoRegionError, ProfileNotFound

from guardrails.audit.accounts import organization_accounts, parse_accounts
from guardrails.audit.clients import ClientFactory
from guardrails.audit.history import append_history, load_history, mttr_and_trend, run_entry
from guardrails.audit.kpis import compute_kpis
from guardrails.audit.model import Scope
from guardrails.audit.regions import parse_regions
from guardrails.audit.reports.document import AuditReport, exit_code
from guardrails.audit.runner import Auditor
from guardrails.errors import GuardrailsInputError
from guardrails.settings import Settings

HOME_REGION = "us-east-1"  # STS and Organizations calls when the profile names no region


@dataclass
class AuditRequest:
    profile: str | None = None
    regions: str | None = None
    endpoint_url: str | None = None
    org: bool = False
    accounts: str | None = None
    role_name: str | None = None
    max_workers: int = 8
    history: str | None = None
    settings: Settings = field(default_factory=Settings)
    session: Any = None  # a boto3.Session to use instead of --profile (tests, benchmarks)
    on_client: Callable[[Any], None] | None = None  # e.g. a benchmark's latency hook
    aggregator: str | None = None  # read our Config rule's verdicts from this aggregator instead of crawling
    aggregator_region: str | None = None  # the aggregator's region (default: the profile's, else us-east-1)


@dataclass
class AuditOutcome:
    report: AuditReport
    exit_code: int
    factory: Any = None  # the run's clients, for what follows the audit (--security-hub, --fix)


def execute(request: AuditRequest, progress=None) -> AuditOutcome:
    if request.aggregator:
        return _from_aggregator(request)
    try:
        factory = ClientFactory(profile=request.profile, endpoint_url=request.endpoint_url, role_name=request.role_name,
                                max_workers=request.max_workers, session=request.session, on_client=request.on_client)
        home_region = factory.base_session.region_name or HOME_REGION
        home = factory.home_account()
        if request.org:
            accounts = organization_accounts(factory, home_region)
        elif request.accounts:
            accounts = parse_accounts(request.accounts)
        else:
            accounts = [home]
    except (NoCredentialsError, ProfileNotFound, NoRegionError) as exc:
        raise GuardrailsInputError("credentials", str(exc)) from None
    regions = parse_regions(request.regions, factory.base_session)
    scopes = [Scope(account, region) for account in accounts for region in regions]
    auditor = Auditor(factory, request.settings, accounts)
    with (progress() if progress else contextlib.nullcontext((lambda total: None, lambda label: None))) as (start, advance):
        start(len(scopes))
        result = auditor.run(scopes, request.max_workers, lambda scope, _: advance(str(scope)))
    return _outcome(request, result, factory, {"accounts": accounts, "regions": regions})


def _from_aggregator(request: AuditRequest) -> AuditOutcome:
    from botocore.exceptions import BotoCoreError, ClientError

    from guardrails.audit.aggregator import read_aggregator
    from guardrails.audit.errors import describe_error

    try:
        # --role-name still matters after the read: --security-hub and --fix act in each account with it.
        factory = ClientFactory(profile=request.profile, endpoint_url=request.endpoint_url, role_name=request.role_name,
                                session=request.session, on_client=request.on_client)
        region = request.aggregator_region or factory.base_session.region_name or HOME_REGION
        factory.home_account()  # the partition, and a clear error when there are no credentials
        result = read_aggregator(factory.client("config", region), request.aggregator, factory.partition, request.max_workers)
    except (NoCredentialsError, ProfileNotFound, NoRegionError) as exc:
        raise GuardrailsInputError("credentials", str(exc)) from None
    except (ClientError, BotoCoreError) as exc:  # no such aggregator, or not allowed to read it: nothing to audit
        raise GuardrailsInputError(f"aggregator {request.aggregator}", f"cannot read it: {describe_error(exc)}") from None
    scopes = sorted({(s.account, s.region) for s in result.scopes})
    return _outcome(request, result, factory, {"source": f"aggregator {request.aggregator} ({region})", "granular_rules": False,
                                               "accounts": sorted({a for a, _ in scopes}), "regions": sorted({r for _, r in scopes})})


def _outcome(request: AuditRequest, result, factory: ClientFactory, meta: dict[str, Any]) -> AuditOutcome:
    kpis = compute_kpis(result)
    now = datetime.now(timezone.utc)
    history = None
    if request.history and not result.interrupted:
        entry = run_entry(result, kpis, now)
        history = mttr_and_trend([*load_history(request.history), entry])
        append_history(request.history, entry)
    from guardrails import __version__

    report = AuditReport(result, kpis, history, generated_at=now.isoformat(timespec="seconds"), tool_version=__version__,
                         meta=meta)
    return AuditOutcome(report, exit_code(result), factory)
