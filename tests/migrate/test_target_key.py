"""The target must be on a customer-managed key, judged as the audit judges it (live_verdict.judge)."""

from __future__ import annotations

import pytest

from guardrails.errors import GuardrailsInputError
from tests.audit.endpoint import Fault
from tests.migrate.helpers import run


def test_a_target_on_an_aws_owned_key_is_refused_before_anything_is_read_or_created(endpoint, estate, tmp_path):
    source, target = estate.source(), estate.domain("no-key")
    before = list(endpoint.store.mutations)
    with pytest.raises(GuardrailsInputError, match="refused: it is not on a customer-managed key .*AWS-owned key"):
        run(endpoint, source, target, apply=True, state=tmp_path / "s.json")
    assert endpoint.store.mutations == before and not (tmp_path / "s.json").exists()


def test_a_target_on_an_aws_managed_key_is_refused(endpoint, estate):
    source, target = estate.source(), estate.domain("managed", estate.world.aws_managed_key())
    with pytest.raises(GuardrailsInputError, match="is AWS managed, not customer-managed"):
        run(endpoint, source, target)


def test_a_key_that_cannot_be_described_is_refused(endpoint, estate):
    """Fail closed: no proof the key is customer-managed, no migration."""
    source, target = estate.source(), estate.cmk_domain()
    endpoint.faults.append(Fault(lambda c: c.service == "kms" and c.target == "DescribeKey", "AccessDeniedException"))
    with pytest.raises(GuardrailsInputError, match=r"cannot prove .* is customer-managed: DescribeKey failed \(AccessDeniedException"):
        run(endpoint, source, target)


def test_other_key_findings_are_warnings_not_refusals(endpoint, estate):
    """Rotation can be turned on later on the same key; the domain need not be replaced again."""
    source, target = estate.source(), estate.domain("cmk", estate.world.key(rotation=False))
    outcome, text = run(endpoint, source, target)
    assert outcome.exit_code == 0
    assert "Target key: customer-managed\n  warning: BedrockGuardrails-KeyRotation[RotationDisabled]: automatic key rotation is off" in text
