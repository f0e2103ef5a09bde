"""`guardrails audit --fix` against moto's KMS: asks first, turns rotation on, cancels a scheduled deletion,
prints what it changed, never touches AWS-managed keys or accepted exceptions, and points a keyless
workspace at migrate-plan."""

from __future__ import annotations

import io

from guardrails.cli.main import main

REASON = "legacy workspace, migration SEC-42 due 2027-03"


def audit(endpoint, capsys, *extra: str) -> tuple[int, str]:
    code = main(["audit", "--endpoint-url", endpoint.url, "--regions", "us-east-1", "--format", "json", "--fix", *extra])
    return code, capsys.readouterr().err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def rotation(world, key: str) -> bool:
    return world.client("kms").get_key_rotation_status(KeyId=key)["KeyRotationEnabled"]


def state(world, key: str) -> str:
    return world.client("kms").describe_key(KeyId=key)["KeyMetadata"]["KeyState"]


def test_yes_fixes_rotation_and_deletion_and_says_what_changed(world, endpoint, capsys):
    unrotated, doomed = world.key(rotation=False), world.key(state="PendingDeletion")
    world.domain("ws", unrotated)
    world.agent("helper", unrotated)  # two resources, one key: one change
    world.agent("doomed", doomed)
    world.domain("keyless", None)
    code, err = audit(endpoint, capsys, "--yes")
    assert code == 1  # the audit's verdict is as found
    assert rotation(world, unrotated) and state(world, doomed) == "Disabled"
    assert err.count("CHANGED EnableKeyRotation") == 1 and "for 2 resource(s)" in err
    assert f"CHANGED CancelKeyDeletion {doomed}: deletion cancelled" in err
    assert "keyless (V1): no customer-managed key, cannot be fixed in place: `guardrails migrate-plan --domain-id dzd_" in err

    _, err = audit(endpoint, capsys, "--yes")  # the disabled key is now its owner's call
    assert f"NOT CHANGED CancelKeyDeletion {doomed}: key is Disabled, not pending deletion" in err
    assert "EnableKeyRotation" not in err


def test_nothing_changes_without_confirmation(world, endpoint, capsys, monkeypatch):
    key = world.key(rotation=False)
    world.domain("ws", key)
    _, err = audit(endpoint, capsys)  # no terminal, no --yes
    assert "nothing changed: no terminal to ask; pass --yes" in err and not rotation(world, key)
    monkeypatch.setattr("sys.stdin", _Terminal("n\n"))
    _, err = audit(endpoint, capsys)
    assert "Apply these 1 changes? [y/N]" in err and "nothing changed" in err and not rotation(world, key)
    monkeypatch.setattr("sys.stdin", _Terminal("y\n"))
    _, err = audit(endpoint, capsys)
    assert "CHANGED EnableKeyRotation" in err and rotation(world, key)


def test_exceptions_and_aws_managed_keys_are_left_alone(world, endpoint, capsys):
    excused = world.key(rotation=False)
    world.domain("legacy", excused, tags={"GuardrailsException": REASON})
    world.agent("managed", world.aws_managed_key())
    _, err = audit(endpoint, capsys, "--yes")
    assert "nothing can be fixed in place" in err and not rotation(world, excused)


def test_yes_without_fix_is_a_usage_error(capsys):
    import pytest

    with pytest.raises(SystemExit) as exit_info:
        main(["audit", "--yes"])
    assert exit_info.value.code == 2 and "--yes only confirms --fix" in capsys.readouterr().err


def _rotation_finding(key: str):
    from guardrails.audit.fix import _ROTATION_OFF
    from guardrails.audit.model import Finding

    return Finding("arn:aws:bedrock:eu-west-1:111111111111:agent/A", "AWS::Bedrock::Agent", "a", "111111111111",
                   "eu-west-1", "NON_COMPLIANT", _ROTATION_OFF, "rotation is off", key=key)


def test_a_key_or_alias_arn_names_the_account_and_region_the_change_is_made_in():
    from guardrails.audit.fix import plan
    from tests.test_kms_identifiers import UUID

    # KMS calls do not cross accounts: a well-formed key ARN or alias ARN says where its key lives.
    for key in (f"arn:aws:kms:us-west-2:222222222222:key/{UUID}", "arn:aws:kms:us-west-2:222222222222:alias/team"):
        [action], _ = plan([_rotation_finding(key)])
        assert (action.account, action.region, action.key) == ("222222222222", "us-west-2", key)
    # Anything else is looked up where the resource is (DescribeKey then says whether it is there): a malformed
    # ARN no longer lends its account or Region to the change.
    for key in (UUID, "alias/team", f"arn:aws-evil:kms:us-west-2:222222222222:key/{UUID}",
                f"arn:aws:kms:us-west-2:222222222222:key/{UUID}\n", f"arn:aws:kms:us-west-2:222222222222:key/{'-' * 36}"):
        [action], _ = plan([_rotation_finding(key)])
        assert (action.account, action.region) == ("111111111111", "eu-west-1"), key
