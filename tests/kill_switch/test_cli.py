"""`guardrails kill-switch` end to end through botocore against the audit endpoint (moto KMS, STS, Bedrock Agents;
the DataZone layer). Key states are read back from KMS (DescribeKey), never from our own output."""

from __future__ import annotations

import io
import json

import boto3
import pytest

from guardrails.audit.history import load_history
from guardrails.cli.main import main
from tests.audit.endpoint import Fault
from tests.audit.world import HOME

TEAM_A = [{"TagKey": "Owner", "TagValue": "team-a"}, {"TagKey": "CostCenter", "TagValue": "cc-1"},
          {"TagKey": "DataClassification", "TagValue": "internal"}]


def kill_switch(endpoint, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["kill-switch", *args, "--endpoint-url", endpoint.url])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def key_state(world, arn: str) -> str:
    return world.client("kms").describe_key(KeyId=arn)["KeyMetadata"]["KeyState"]


def key_tags(world, arn: str) -> dict[str, str]:
    return {t["TagKey"]: t["TagValue"] for t in world.client("kms").list_resource_tags(KeyId=arn)["Tags"]}


@pytest.fixture
def estate(world):
    """A workspace key used by a domain and an agent; a second key used by another team's agent."""
    key = world.key(tags=TEAM_A)
    other = world.key()
    domain_id = world.domain("research", key, version="V2", tags={"Owner": "team-a"})
    world.agent("helper", key, tags={"Owner": "team-b"})
    world.agent("unrelated", other)
    world.domain("legacy", None)
    return {"key": key, "other": other, "domain_id": domain_id}


def test_plan_lists_every_dependent_with_owners_and_changes_nothing(endpoint, world, estate, capsys):
    code, out, _ = kill_switch(endpoint, capsys, "plan", "--key", estate["key"], "--format", "json")
    plan = json.loads(out)
    assert code == 0 and plan["complete"] is True
    assert sorted((d["type"], d["name"]) for d in plan["dependents"]) == [
        ("AWS::Bedrock::Agent", "helper"), ("AWS::DataZone::Domain", "research (V2)")]
    assert plan["owners"] == ["team-a", "team-b"]
    assert key_state(world, estate["key"]) == "Enabled"


def test_plan_by_domain_id_finds_the_domain_key(endpoint, world, estate, capsys):
    code, out, _ = kill_switch(endpoint, capsys, "plan", "--domain-id", estate["domain_id"], "--regions", "us-east-1")
    assert code == 0 and estate["key"] in out and "research (V2)" in out and "helper" in out


def test_a_domain_on_an_aws_owned_key_has_nothing_to_switch_off(endpoint, world, capsys):
    domain_id = world.domain("keyless", None)
    code, _, err = kill_switch(endpoint, capsys, "plan", "--domain-id", domain_id, "--regions", "us-east-1")
    assert code == 2 and "AWS-owned key" in err and "migrate-plan" in err


def test_plan_that_cannot_read_everything_says_so_and_exits_3(endpoint, world, estate, capsys):
    endpoint.faults.append(Fault(lambda c: c.path.startswith("/agents"), "AccessDeniedException", 403))
    code, out, _ = kill_switch(endpoint, capsys, "plan", "--key", estate["key"])
    assert code == 3 and "INCOMPLETE" in out and "AWS::Bedrock::Agent" in out


def test_engage_disables_tags_and_records_then_release_restores(endpoint, world, estate, capsys, tmp_path):
    history = tmp_path / "history.jsonl"
    code, out, _ = kill_switch(endpoint, capsys, "engage", "--key", estate["key"], "--reason", "legal hold LH-42",
                               "--yes", "--history", str(history), "--format", "json")
    assert code == 0 and key_state(world, estate["key"]) == "Disabled"
    assert json.loads(out)["action"]["state_after"] == "Disabled"
    tags = key_tags(world, estate["key"])
    assert tags["GuardrailsKillSwitch"] == "engaged" and tags["GuardrailsKillSwitchReason"] == "legal hold LH-42"
    assert tags["GuardrailsKillSwitchBy"].startswith("arn:aws:")
    assert key_state(world, estate["other"]) == "Enabled"  # only the named key

    code, _, _ = kill_switch(endpoint, capsys, "release", "--key", estate["key"], "--reason", "hold lifted LH-42",
                             "--yes", "--history", str(history))
    assert code == 0 and key_state(world, estate["key"]) == "Enabled"
    assert key_tags(world, estate["key"])["GuardrailsKillSwitch"] == "released"

    entries = [json.loads(line) for line in history.read_text().splitlines()]
    assert [(e["kind"], e["action"], e["state_before"], e["state_after"]) for e in entries] == [
        ("kill-switch", "engage", "Enabled", "Disabled"), ("kill-switch", "release", "Disabled", "Enabled")]
    assert entries[0]["who"].startswith("arn:aws:") and entries[0]["reason"] == "legal hold LH-42"
    assert {d["name"] for d in entries[0]["blast_radius"]} == {"research (V2)", "helper"}
    assert load_history(history) == []  # the audit's MTTR and trends ignore kill-switch events


def test_never_schedules_deletion(endpoint, world, estate, capsys):
    kill_switch(endpoint, capsys, "engage", "--key", estate["key"], "--reason", "compromised account", "--yes")
    assert key_state(world, estate["key"]) == "Disabled"
    kms_calls = {call.split(":", 1)[1].split(".")[-1] for call in endpoint.calls if call.startswith("kms:")}
    assert "DisableKey" in kms_calls and "TagResource" in kms_calls  # the counter does see KMS calls
    assert not kms_calls & {"ScheduleKeyDeletion", "DeleteImportedKeyMaterial", "PutKeyPolicy"}


def test_a_key_that_protects_nothing_and_is_not_tagged_is_refused_unless_forced(endpoint, world, capsys):
    plain = world.key()
    code, _, err = kill_switch(endpoint, capsys, "engage", "--key", plain, "--reason", "suspicious use", "--yes")
    assert code == 2 and "not a workspace key" in err and "--force" in err
    assert key_state(world, plain) == "Enabled"
    code, _, _ = kill_switch(endpoint, capsys, "engage", "--key", plain, "--reason", "suspicious use", "--yes", "--force")
    assert code == 0 and key_state(world, plain) == "Disabled"


def test_a_tagged_workspace_key_with_no_dependents_yet_is_accepted(endpoint, world, capsys):
    tagged = world.key(tags=[*TEAM_A, {"TagKey": "GuardrailsPurpose", "TagValue": "bedrock-workspace"}])
    code, _, _ = kill_switch(endpoint, capsys, "engage", "--key", tagged, "--reason", "partner departed", "--yes")
    assert code == 0 and key_state(world, tagged) == "Disabled"


def test_release_refuses_a_key_the_switch_did_not_disable(endpoint, world, capsys):
    disabled = world.key(state="Disabled")
    code, _, err = kill_switch(endpoint, capsys, "release", "--key", disabled, "--reason", "re-enable it now", "--yes")
    assert code == 2 and "not disabled by the kill switch" in err and key_state(world, disabled) == "Disabled"


def test_aws_managed_and_pending_deletion_keys_are_refused(endpoint, world, estate, capsys):
    managed = world.aws_managed_key()
    code, _, err = kill_switch(endpoint, capsys, "engage", "--key", managed, "--reason", "no such luck", "--yes", "--force")
    assert code == 2 and "managed by AWS" in err
    pending = world.key(state="PendingDeletion")
    code, _, err = kill_switch(endpoint, capsys, "engage", "--key", pending, "--reason", "too late now", "--yes", "--force")
    assert code == 2 and "pending deletion" in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_confirmation_needs_the_key_id_typed(endpoint, world, estate, capsys, monkeypatch):
    key_id = estate["key"].rsplit("/", 1)[1]
    monkeypatch.setattr("sys.stdin", _Terminal("yes\n"))
    code, _, err = kill_switch(endpoint, capsys, "engage", "--key", estate["key"], "--reason", "legal hold LH-42")
    assert code == 1 and "nothing changed" in err and key_state(world, estate["key"]) == "Enabled"
    monkeypatch.setattr("sys.stdin", _Terminal(key_id + "\n"))
    code, _, err = kill_switch(endpoint, capsys, "engage", "--key", estate["key"], "--reason", "legal hold LH-42")
    assert code == 0 and key_id in err and key_state(world, estate["key"]) == "Disabled"


def test_without_a_terminal_or_yes_nothing_changes(endpoint, world, estate, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = kill_switch(endpoint, capsys, "engage", "--key", estate["key"], "--reason", "legal hold LH-42")
    assert code == 2 and "--yes" in err and key_state(world, estate["key"]) == "Enabled"


@pytest.mark.parametrize("bad", [
    "alias/workspace", "arn:aws:kms:us-east-1:123456789012:alias/workspace", "1234abcd-12ab-34cd-56ef-1234567890ab",
    "arn:aws:kms:us-east-1:123456789012:key/" + "-" * 36, "arn:aws:kms:us-east-1:123456789012:key/"
    "1234abcd-12ab-34cd-56ef-1234567890ab\n", "arn:evil:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"])
def test_only_full_key_arns_are_accepted(endpoint, capsys, bad):
    code, _, err = kill_switch(endpoint, capsys, "plan", "--key", bad)
    assert code == 2 and "not a KMS key ARN" in err


def test_a_key_of_another_account_needs_a_role(endpoint, capsys):
    foreign = "arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    code, _, err = kill_switch(endpoint, capsys, "engage", "--key", foreign, "--reason", "cross account", "--yes")
    assert code == 2 and "--role-name" in err


def test_dependents_naming_the_key_by_alias_are_found(endpoint, world, capsys):
    key = world.key(tags=TEAM_A)
    world.client("kms").create_alias(AliasName="alias/research", TargetKeyId=key)
    world.agent("by-alias", f"arn:aws:kms:us-east-1:{HOME}:alias/research")
    code, out, _ = kill_switch(endpoint, capsys, "plan", "--key", key, "--format", "json")
    assert code == 0 and [d["name"] for d in json.loads(out)["dependents"]] == ["by-alias"]


def test_reason_is_required_for_engage_and_release(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["kill-switch", "engage", "--key", "arn:aws:kms:us-east-1:123456789012:key/x", "--yes"])
    assert exit_info.value.code == 2 and "--reason" in capsys.readouterr().err
