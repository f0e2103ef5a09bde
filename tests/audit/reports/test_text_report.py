"""The text report says what to do about each open finding, and nothing for an accepted exception."""

from guardrails.audit.reports import render


def test_open_findings_carry_their_fix(mixed_report):
    out = render("text", mixed_report)
    assert "fix: A domain's key is fixed at creation" in out and "guardrails migrate-plan --domain-id dzd_abc123" in out
    assert "fix: `guardrails audit --fix` can enable automatic rotation" in out
    excepted = out[out.index("EXCEPTION"):].split("\n")[:4]
    assert any("accepted: legacy agent" in line for line in excepted) and not any("fix:" in line for line in excepted)
