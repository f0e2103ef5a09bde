"""One migration (or verification) from request to outcome; the CLI only parses flags and prints.

Order: connect, read both domains (GetDomain of either failing is a usage/access error), refuse a
target not on a customer-managed key, read and plan, then either stop (dry run) or confirm, apply and
verify by reading both domains again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError, ProfileNotFound

from guardrails.audit.clients import ClientFactory
from guardrails.audit.errors import describe_error
from guardrails.errors import GuardrailsInputError
from guardrails.migrate.apply import AccessProblem, Applied, Interrupted, apply_plan
from guardrails.migrate.context import PlanContext
from guardrails.migrate.identities import IdentityMapper
from guardrails.migrate.model import Catalog
from guardrails.migrate.plan import Plan, build_plan, read_catalog
from guardrails.migrate.reader import Reader
from guardrails.migrate.readonly import ReadOnlyClient
from guardrails.migrate.state import MigrationState
from guardrails.migrate.target_key import KeyJudgment, judge_target_key
from guardrails.migrate.verify import Difference, compare
from guardrails.settings import Settings

HOME_REGION = "us-east-1"
MIGRATED, DIFFERENCES, USAGE, INTERRUPTED = 0, 1, 2, 3


@dataclass
class MigrationRequest:
    source: str
    target: str
    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    state_path: str | None = None
    apply: bool = False
    confirm: Callable[[str], bool] = lambda prompt: False  # asked before anything is created
    settings: Settings = field(default_factory=Settings)
    session: Any = None  # a boto3.Session instead of --profile (tests)
    on_step: Callable[[Any, str], None] = lambda step, outcome: None


@dataclass
class Outcome:
    exit_code: int
    source: Catalog
    target: Catalog
    key: KeyJudgment | None = None
    plan: Plan | None = None
    applied: Applied | None = None
    differences: list[Difference] | None = None
    stopped: str | None = None  # why the run stopped early (interrupted, access)
    state_path: str | None = None
    applying: bool = False


def _connect(request: MigrationRequest) -> tuple[Any, Any]:
    if request.source == request.target:
        raise GuardrailsInputError("--to", "the target domain must differ from the source domain")
    try:
        # The audit's clients: botocore's adaptive retry mode, "standard mode plus automatic client-side rate
        # limiting" (AWS SDKs and Tools reference guide, "Retry behavior"; boto3 guide "Retries").
        factory = ClientFactory(profile=request.profile, endpoint_url=request.endpoint_url, session=request.session)
        region = request.region or factory.base_session.region_name or HOME_REGION
        return factory.client("datazone", region), factory.client("kms", region)
    except (NoCredentialsError, ProfileNotFound, NoRegionError) as exc:
        raise GuardrailsInputError("credentials", str(exc)) from None


def _reader(client: Any, domain_id: str, role: str) -> Reader:
    try:
        return Reader(client, domain_id)
    except (ClientError, BotoCoreError) as exc:
        raise GuardrailsInputError(f"{role} domain {domain_id}", f"cannot read it: {describe_error(exc)}") from None


def _catalogs(client: Any, request: MigrationRequest) -> tuple[Catalog, Catalog]:
    return read_catalog(_reader(ReadOnlyClient(client), request.source, "source")), read_catalog(_reader(client, request.target, "target"))


def verify(request: MigrationRequest) -> Outcome:
    datazone, _ = _connect(request)
    try:
        source, target = _catalogs(datazone, request)
    except (ClientError, BotoCoreError) as exc:
        raise GuardrailsInputError("reading the domains", describe_error(exc)) from None
    differences = compare(source, target)
    return Outcome(DIFFERENCES if differences else MIGRATED, source, target, differences=differences)


def migrate(request: MigrationRequest) -> Outcome:
    datazone, kms = _connect(request)
    state = MigrationState(request.state_path, request.source, request.target)  # a bad state file stops us before any call
    source_reader = _reader(ReadOnlyClient(datazone), request.source, "source")
    target_reader = _reader(datazone, request.target, "target")
    judgment = judge_target_key(target_reader.catalog.domain, kms, request.settings)
    if judgment.refusal:
        raise GuardrailsInputError(f"target domain {request.target}", f"refused: it is not on a customer-managed key "
                                   f"({judgment.refusal}). Create it on a CMK (e.g. with CompliantWorkspace) and migrate into that.")
    try:
        source, target = read_catalog(source_reader), read_catalog(target_reader)
        plan = build_plan(PlanContext(source, target, IdentityMapper(target_reader), datazone.meta.service_model))
    except (ClientError, BotoCoreError) as exc:  # retries spent while reading: nothing was created yet
        raise GuardrailsInputError("reading the domains", describe_error(exc)) from None
    outcome = Outcome(MIGRATED, source, target, judgment, plan, state_path=request.state_path, applying=request.apply)
    if not request.apply:
        return outcome
    pending = [step for step in plan.steps if step.key not in state.done]
    if pending and not request.confirm(f"Create {len(pending)} items in domain {request.target}"
                                       f" ({target.domain.get('name', '?')})?"):
        raise GuardrailsInputError("--apply", "not confirmed: nothing was changed")
    outcome.applied = Applied()
    try:
        apply_plan(datazone, request.target, plan.steps, state, target, request.on_step, outcome.applied)
    except Interrupted as exc:
        outcome.exit_code, outcome.stopped = INTERRUPTED, f"interrupted: {exc}"
        return outcome
    except KeyboardInterrupt:
        outcome.exit_code, outcome.stopped = INTERRUPTED, "interrupted (Ctrl-C)"
        return outcome
    except AccessProblem as exc:
        outcome.exit_code, outcome.stopped = USAGE, f"access denied: {exc}"
        return outcome
    try:
        final = verify(request)
    except GuardrailsInputError as exc:
        outcome.exit_code, outcome.stopped = INTERRUPTED, f"interrupted while verifying: {exc}"
        return outcome
    outcome.source, outcome.target, outcome.differences = final.source, final.target, final.differences
    outcome.exit_code = final.exit_code
    return outcome
