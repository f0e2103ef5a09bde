"""What every rule shares: a finding placed in its template, and the per-scan memo of verdicts."""

from __future__ import annotations

import dataclasses

from guardrails.key_reference import KeyResolver
from guardrails.rules.base import MEMO_ENTRIES, Finding, RuleContext, Severity
from guardrails.settings import Settings
from guardrails.template import Template


def test_a_placed_finding_is_dataclasses_replace_and_leaves_the_original_alone():
    finding = Finding("R[D]", Severity.WARNING, "/abs/t.json", "Id", "AWS::X::Y", "P", "m", "fix", path="a/b")
    placed = finding.placed("t.json", 7)
    assert placed == dataclasses.replace(finding, template="t.json", line=7) and type(placed) is Finding
    assert (finding.template, finding.line) == ("/abs/t.json", None) and placed.base_rule_id == "R"
    assert hash(placed) == hash(dataclasses.replace(finding, template="t.json", line=7))


def test_the_memo_answers_a_repeated_key_and_stays_bounded():
    ctx = RuleContext(Settings(), KeyResolver(Template("t.json", {"Resources": {}})))
    calls = []
    assert ctx.memoised("a", lambda: calls.append("a") or 1) == 1
    assert ctx.memoised("a", lambda: calls.append("again") or 2) == 1 and calls == ["a"]
    for index in range(MEMO_ENTRIES + 10):
        ctx.memoised(index, lambda: index)
    assert len(ctx.memo) == MEMO_ENTRIES and "a" not in ctx.memo
