"""The HTML report in a real headless browser (Debian's chromium; `make test` installs it): it renders
without console messages, charts carry accessible labels, and the filters and sorting change the
visible rows. Chromium's --dump-dom returns the DOM after the page's script ran; the filters read the
URL fragment (#status=...&q=...&sort=N), the same code path the controls drive."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from guardrails.audit.model import Finding
from guardrails.audit.reports import render
from tests.audit.reports.conftest import ACCOUNT, AGENT, DOMAIN, KEY, REGION, make_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0", "--allow-file-access-from-files"]


def browse(page: Path, fragment: str = "") -> tuple[str, list[str]]:
    """The DOM after scripts ran, and every console message the page produced."""
    assert CHROMIUM, "chromium is not installed: `make test` installs it (apt-get install chromium)"
    done = subprocess.run([CHROMIUM, *FLAGS, "--dump-dom", page.as_uri() + fragment],
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout, [line for line in done.stderr.splitlines() if ":CONSOLE" in line]


class _Rows(HTMLParser):
    """Visible rows of the findings table (name cell text), in document order; and every svg's aria-label."""

    def __init__(self):
        super().__init__()
        self.visible: list[str] = []
        self.labels: list[str] = []
        self._row, self._cells, self._in_findings, self._cell = None, [], False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg":
            self.labels.append(attrs.get("aria-label", ""))
        if tag == "table":
            self._in_findings = attrs.get("id") == "findings"
        if tag == "tr" and self._in_findings and "data-status" in attrs:
            self._row, self._cells = "hidden" not in attrs, []
        if tag == "td" and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._cells.append(self._cell.strip())
            self._cell = None
        if tag == "tr" and self._row is not None:
            if self._row:
                self.visible.append(self._cells[4].split("arn:", 1)[0].strip())  # the name, before its ARN
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def rows(dom: str) -> _Rows:
    parser = _Rows()
    parser.feed(dom)
    return parser


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    report = make_report(
        Finding(DOMAIN, "AWS::DataZone::Domain", "old-ws (V1)", ACCOUNT, REGION, "NON_COMPLIANT",
                "BedrockGuardrails-WorkspaceCMK", "no customer-managed key", owner="data-team"),
        Finding(AGENT, "AWS::Bedrock::Agent", "helper", ACCOUNT, REGION, "NON_COMPLIANT",
                "BedrockGuardrails-KeyRotation[RotationDisabled]", "automatic key rotation is off", KEY, True, owner="ml-team"),
        Finding(AGENT + "X", "AWS::Bedrock::Agent", "assistant", ACCOUNT, REGION, "NON_COMPLIANT",
                "BedrockGuardrails-KeyOwnershipTags", "missing tag Owner", KEY, True, exception="owner change SEC-42 in progress"),
        Finding(f"arn:aws:bedrock:{REGION}:{ACCOUNT}:custom-model/m", "Bedrock::CustomModel", "tuned", ACCOUNT, REGION,
                "COMPLIANT", "BedrockGuardrails-ResourceCMK", "customer-managed key", KEY, True, owner="ml-team"),
    )
    report.history = {"runs": 3, "mttr_hours": 5.0, "resolved_findings": 1, "trend": [
        {"timestamp": "2026-11-28T10:00:00+00:00", "pct_on_cmk": 25.0, "open_findings": 4},
        {"timestamp": "2026-11-29T10:00:00+00:00", "pct_on_cmk": 50.0, "open_findings": 3},
        {"timestamp": "2026-11-30T10:00:00+00:00", "pct_on_cmk": 75.0, "open_findings": 2}]}
    path = tmp_path_factory.mktemp("html") / "audit.html"
    path.write_text(render("html", report), encoding="utf-8")
    return path


def test_renders_without_console_messages_and_charts_are_labelled(page):
    dom, console = browse(page)
    assert console == []
    found = rows(dom)
    assert found.visible == ["helper", "assistant", "old-ws (V1)", "tuned"]  # the report's order: worst first
    assert len(found.labels) == 4 and all(found.labels)  # three coverage charts and the trend
    (owners,) = [label for label in found.labels if label.startswith("CMK coverage by owner (Owner tag): ")]
    assert "data-team 0.0%" in owners and "ml-team 100.0%" in owners
    assert "Trend: CMK coverage from 25.0% to 75.0%, open findings from 4 to 2" in found.labels
    assert '4 of 4 findings' in dom


@pytest.mark.parametrize("fragment, expected", [
    ("#status=NON_COMPLIANT", ["helper", "old-ws (V1)"]),
    ("#status=EXCEPTION", ["assistant"]),
    ("#type=AWS::Bedrock::CustomModel", ["tuned"]),
    ("#owner=ml-team", ["helper", "tuned"]),
    ("#q=rotation", ["helper"]),
    ("#status=NON_COMPLIANT&owner=data-team", ["old-ws (V1)"]),
    ("#sort=4", ["assistant", "helper", "old-ws (V1)", "tuned"]),  # by the Resource column
])
def test_filters_and_sorting_change_the_visible_rows(page, fragment, expected):
    dom, console = browse(page, fragment)
    assert console == [] and rows(dom).visible == expected
    assert f"{len(expected)} of 4 findings" in dom
