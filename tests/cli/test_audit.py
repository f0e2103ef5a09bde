"""`guardrails audit` as users run it: usage errors, every format, the history file."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import jsonschema
import pytest

from guardrails.audit.history import mttr_and_trend
from guardrails.cli.main import main
from tests.conftest import SARIF_SCHEMA
from tests.audit.conftest import _server, endpoint, world  # noqa: F401 - the shared endpoint fixtures



def run(endpoint, capsys, *args: str) -> tuple[int, str]:
    code = main(["audit", "--endpoint-url", endpoint.url, "--regions", "us-east-1", *args])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["--org"], "--role-name"),
    (["--accounts", "123456789012"], "--role-name"),
    (["--max-workers", "0"], "at least 1"),
    (["--format", "xml"], "invalid choice"),
])
def test_usage_errors_exit_2(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["audit", *args])
    assert exit_info.value.code == 2 and message in capsys.readouterr().err


def test_bad_account_ids_exit_2(endpoint, capsys):
    code = main(["audit", "--endpoint-url", endpoint.url, "--accounts", "12345", "--role-name", "R"])
    assert code == 2 and "12-digit" in capsys.readouterr().err


@pytest.fixture
def estate(world):
    world.domain("good", world.key(), version="V2")
    world.domain("bad <script>", None)


def test_html_is_one_offline_file_with_charts_and_findings(endpoint, estate, capsys):
    code, out = run(endpoint, capsys, "--format", "html")
    assert code == 1 and out.startswith("<!doctype html>")
    assert out.count("<svg") == 3 and "CMK coverage by account and region" in out and "by resource type" in out
    assert "by owner (Owner tag)" in out
    # one inline script (filters, sorting) and nothing fetched: no src, no href, no URL but the SVG namespace
    assert out.count("<script>") == 1 and " src=" not in out and " href=" not in out
    assert "http://" not in out.replace("http://www.w3.org/2000/svg", "") and "https://" not in out
    assert "bad &lt;script&gt; (V1)" in out  # names are escaped


def test_csv_has_one_row_per_finding(endpoint, estate, capsys):
    _, out = run(endpoint, capsys, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["status"] for r in rows} == {"COMPLIANT", "NON_COMPLIANT"}
    assert {r["resource_type"] for r in rows} == {"AWS::DataZone::Domain"}


def test_sarif_is_valid_2_1_0_through_the_scan_writer(endpoint, estate, capsys):
    _, out = run(endpoint, capsys, "--format", "sarif")
    log = json.loads(out)
    with open(SARIF_SCHEMA, encoding="utf-8") as handle:
        jsonschema.validate(log, json.load(handle))
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["BedrockGuardrails-WorkspaceCMK"]
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("arn:aws:datazone:")


def test_text_summarises(endpoint, estate, capsys):
    _, out = run(endpoint, capsys)
    assert "NON_COMPLIANT 123456789012/us-east-1 AWS::DataZone::Domain bad <script> (V1)" in out
    assert "2 resources in 1 account-regions: 1 on customer-managed keys (50.0%)" in out


def test_history_appends_runs_and_reports_mttr(world, endpoint, tmp_path, capsys):
    history = tmp_path / "history.jsonl"
    world.domain("late", None)
    run(endpoint, capsys, "--history", str(history), "--format", "json")
    endpoint.domains.clear()  # the bad domain was replaced
    world.domain("late", world.key())
    code, out = run(endpoint, capsys, "--history", str(history), "--format", "json")
    report = json.loads(out)
    stats = report["kpis"]["history"]
    assert code == 0 and stats["runs"] == 2 and stats["resolved_findings"] == 1 and stats["mttr_hours"] is not None
    assert [t["open_findings"] for t in stats["trend"]] == [1, 0]
    assert len(history.read_text().splitlines()) == 2


def test_mttr_needs_the_scope_to_be_read_again():
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    open_entry = {"timestamp": start.isoformat(), "open": ["a/r|arn1|Rule"], "complete_scopes": ["a/r"]}
    unread = {"timestamp": (start + timedelta(hours=5)).isoformat(), "open": [], "complete_scopes": []}
    fixed = {"timestamp": (start + timedelta(hours=10)).isoformat(), "open": [], "complete_scopes": ["a/r"]}
    assert mttr_and_trend([open_entry, unread])["mttr_hours"] is None
    assert mttr_and_trend([open_entry, unread, fixed])["mttr_hours"] == 10.0
