"""`guardrails migrate` as users run it: exit codes, confirmation, the verify subcommand."""

from __future__ import annotations

import io
import json

import pytest

from guardrails.cli.main import main
from tests.audit.endpoint import Fault
from tests.migrate.conftest import _server, endpoint, estate  # noqa: F401 - the shared endpoint fixtures


def migrate(endpoint, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["migrate", *args, "--region", "us-east-1", "--endpoint-url", endpoint.url])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_dry_run_is_the_default(endpoint, estate, capsys):
    source, target = estate.source(), estate.target()
    before = list(endpoint.store.mutations)
    code, out, _ = migrate(endpoint, capsys, "--from", source, "--to", target)
    assert code == 0 and "Dry run: nothing was changed" in out and "create  project team-analytics" in out
    assert endpoint.store.mutations == before


def test_apply_with_yes_migrates_records_state_and_exits_0(endpoint, estate, capsys, tmp_path):
    source, target, state = estate.source(uncopyable=False), estate.target(), tmp_path / "state.json"
    code, out, err = migrate(endpoint, capsys, "--from", source, "--to", target, "--apply", "--yes", "--state", str(state))
    assert code == 0 and "Result: migrated and verified (exit 0)" in out
    assert "  done    project team-analytics" in err  # progress as it happens
    assert len(json.loads(state.read_text())["done"]) == 22


def test_apply_asks_first_and_changes_nothing_without_yes(endpoint, estate, capsys, monkeypatch, tmp_path):
    source, target = estate.source(), estate.target()
    before = list(endpoint.store.mutations)
    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))  # not a terminal: no prompt can be answered
    code, out, err = migrate(endpoint, capsys, "--from", source, "--to", target, "--apply", "--state", str(tmp_path / "s.json"))
    assert code == 2 and "not confirmed: nothing was changed" in err and "pass --yes" in err
    assert endpoint.store.mutations == before


def test_apply_on_a_terminal_goes_on_only_after_yes(endpoint, estate, capsys, monkeypatch, tmp_path):
    source, target = estate.source(uncopyable=False), estate.target()

    class Terminal(io.StringIO):
        def isatty(self):
            return True
    monkeypatch.setattr("sys.stdin", Terminal("yes\n"))
    code, _, err = migrate(endpoint, capsys, "--from", source, "--to", target, "--apply", "--state", str(tmp_path / "s.json"))
    assert code == 0 and f"Create 22 items in domain {target} (research-cmk)? Type 'yes' to go on:" in err


def test_interrupted_exits_3_and_the_same_command_resumes(endpoint, estate, capsys, tmp_path):
    source, target, state = estate.source(uncopyable=False), estate.target(), str(tmp_path / "s.json")
    endpoint.faults.append(Fault(lambda c: c.method == "POST" and c.path.endswith("/asset-types"), "ServiceUnavailableException", 503))
    args = ("--from", source, "--to", target, "--apply", "--yes", "--state", state)
    code, out, _ = migrate(endpoint, capsys, *args)
    assert code == 3 and f"resume with the same --state {state} (exit 3)" in out
    endpoint.faults.clear()
    code, out, _ = migrate(endpoint, capsys, *args)
    assert code == 0 and endpoint.store.names(target, "asset-types") == ["SalesTable"]


def test_verify_subcommand_exits_1_on_differences_and_0_when_equal(endpoint, estate, capsys, tmp_path):
    source, target = estate.source(uncopyable=False), estate.target()
    code, out, _ = migrate(endpoint, capsys, "verify", "--from", source, "--to", target)
    assert code == 1 and "project team-analytics: missing in the target" in out and "Plan:" not in out
    migrate(endpoint, capsys, "--from", source, "--to", target, "--apply", "--yes", "--state", str(tmp_path / "s.json"))
    code, out, _ = migrate(endpoint, capsys, "verify", "--from", source, "--to", target)
    assert code == 0 and "Verify: 0 difference(s)" in out


def test_a_target_not_on_a_cmk_exits_2_with_the_reason(endpoint, estate, capsys):
    source, target = estate.source(), estate.domain("plain")
    code, out, err = migrate(endpoint, capsys, "--from", source, "--to", target, "--apply", "--yes")
    assert code == 2 and out == ""
    assert f"target domain {target}: refused: it is not on a customer-managed key" in err and "CompliantWorkspace" in err


@pytest.mark.parametrize("args, message", [
    (["--from", "dzd_a"], "the following arguments are required: --to"),
    (["--from", "dzd_a", "--to", "dzd_b", "--apply", "--dry-run"], "not allowed with argument"),
    (["verify", "--from", "dzd_a", "--to", "dzd_b", "--apply"], "verify compares only"),
])
def test_usage_errors_exit_2(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["migrate", *args])
    assert exit_info.value.code == 2 and message in capsys.readouterr().err


def test_same_domain_unknown_domain_and_bad_state_exit_2(endpoint, estate, capsys, tmp_path):
    source, target = estate.source(), estate.target()
    assert migrate(endpoint, capsys, "--from", source, "--to", source)[2].endswith("must differ from the source domain\n")
    code, _, err = migrate(endpoint, capsys, "--from", "dzd_missing", "--to", target)
    assert code == 2 and "source domain dzd_missing: cannot read it: ResourceNotFoundException" in err
    bad = tmp_path / "s.json"
    bad.write_text("{")
    code, _, err = migrate(endpoint, capsys, "--from", source, "--to", target, "--apply", "--yes", "--state", str(bad))
    assert code == 2 and "not a migration state file" in err


def test_ctrl_c_while_reading_exits_3(endpoint, estate, capsys, monkeypatch, tmp_path):
    source, target = estate.source(), estate.target()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr("guardrails.migrate.run.read_catalog", interrupted)
    code, out, err = migrate(endpoint, capsys, "--from", source, "--to", target, "--apply", "--yes", "--state", str(tmp_path / "s"))
    assert code == 3 and f"interrupted (resume with the same --state {tmp_path / 's'})" in err and out == ""


def test_ctrl_c_while_applying_exits_3_with_the_report(endpoint, estate, capsys, monkeypatch, tmp_path):
    source, target, state = estate.source(uncopyable=False), estate.target(), tmp_path / "s.json"
    import guardrails.migrate.apply as apply

    real, calls = apply.MigrationState.record, []

    def record_then_stop(self, key, values):
        real(self, key, values)
        calls.append(key)
        if len(calls) == 3:
            raise KeyboardInterrupt
    monkeypatch.setattr(apply.MigrationState, "record", record_then_stop)
    code, out, _ = migrate(endpoint, capsys, "--from", source, "--to", target, "--apply", "--yes", "--state", str(state))
    assert code == 3 and "Result: interrupted (Ctrl-C); resume with the same --state" in out
    assert len(json.loads(state.read_text())["done"]) == 3
