"""Execute a plan on the target domain, one call at a time, recording each result in the state file.

How a failing call ends the run (exit codes are the CLI's):
- throttling or server errors that outlived botocore's adaptive retries, lost connections, Ctrl-C:
  Interrupted (exit 3); what was created is in the state file, rerun with the same --state;
- AccessDenied: AccessProblem (exit 2): the caller lacks a permission, so the next call would fail too;
- anything else (a ValidationException, a conflict): that item fails, is reported, and the run goes on;
  items that need it fail with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from botocore import xform_name
from botocore.exceptions import ClientError, ParamValidationError

from guardrails.audit.errors import describe_error, is_access_denied
from guardrails.migrate.model import Catalog, Ref, Step
from guardrails.migrate.reader import is_retryable
from guardrails.migrate.state import MigrationState


class Interrupted(Exception):
    """The run stopped before the end; the state file holds what was done."""


class AccessProblem(Exception):
    """The caller may not make a call the migration needs."""


@dataclass
class Applied:
    done: list[Step] = field(default_factory=list)  # made by this run
    resumed: list[Step] = field(default_factory=list)  # done by an earlier run (state file)
    failed: list[tuple[Step, str]] = field(default_factory=list)


class Unresolved(Exception):
    pass


_ABSENT = object()  # an optional reference to an item the target does not have: the parameter is left out


def resolve(value: Any, state: MigrationState, target: Catalog) -> Any:
    if isinstance(value, Ref):
        recorded = state.done.get(value.key) or {}
        record = target.records.get(value.key)
        found = recorded.get(value.field) or (record and (record.refs.get(value.field) or (record.id if value.field == "id" else None)))
        if found:
            return found
        if value.optional:
            return _ABSENT
        raise Unresolved(f"needs {value.key}, which was not created")
    if isinstance(value, dict):
        resolved = {k: resolve(v, state, target) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not _ABSENT}
    if isinstance(value, list):
        return [v for v in (resolve(item, state, target) for item in value) if v is not _ABSENT]
    return value


def apply_plan(client: Any, target_id: str, steps: list[Step], state: MigrationState, target: Catalog,
               on_step: Callable[[Step, str], None] = lambda step, outcome: None, applied: Applied | None = None) -> Applied:
    """Fills `applied` as it goes, so a caller that catches Interrupted still knows what this run did."""
    applied = Applied() if applied is None else applied
    for step in steps:
        if step.key in state.done:
            applied.resumed.append(step)
            continue
        try:
            params = resolve(step.params, state, target)
        except Unresolved as exc:
            applied.failed.append((step, str(exc)))
            on_step(step, "failed")
            continue
        try:
            response = getattr(client, xform_name(step.operation))(domainIdentifier=target_id, **params)
        except ParamValidationError as exc:
            applied.failed.append((step, f"rejected by botocore's model: {exc}"))
            on_step(step, "failed")
            continue
        except ClientError as exc:
            if is_access_denied(exc) and step.may_be_denied:
                applied.failed.append((step, f"the caller may not create it: {describe_error(exc)}"))
                on_step(step, "failed")
                continue
            if is_access_denied(exc):
                raise AccessProblem(f"{step.operation} for {step.label}: {describe_error(exc)}") from None
            if is_retryable(exc):
                raise Interrupted(f"{step.operation} for {step.label}: {describe_error(exc)}") from None
            applied.failed.append((step, describe_error(exc)))
            on_step(step, "failed")
            continue
        except Exception as exc:  # connection lost, read timeout: botocore's retries are spent
            if is_retryable(exc):
                raise Interrupted(f"{step.operation} for {step.label}: {describe_error(exc)}") from None
            raise
        state.record(step.key, {name: response[field] for name, field in step.record.items() if field in response})
        applied.done.append(step)
        on_step(step, "done")
    return applied
