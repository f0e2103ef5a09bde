"""BedrockGuardrails-AcknowledgmentReason: an exception without a real reason is itself an error.

Not a resource check: wherever an acknowledgment decides a finding (guardrails/acknowledgments.py:
CDK metadata, template Metadata, the exception tag), one whose reason is shorter than MIN_REASON
characters is not honoured and this rule reports it, next to the finding it failed to accept.
"""

from guardrails.acknowledgments import MIN_REASON, too_short
from guardrails.rules.base import PREFIX, Problem, Rule


def _template_check(finding, ack):
    """(finding the acknowledgment was meant for, the acknowledgment) -> the finding, or None when honoured."""
    if ack.honoured:
        return None
    return RULE.finding_like(finding, "Metadata", too_short(finding.rule_id, finding.logical_id, ack))


def _live_check(problem, ack, subject: str):
    if ack.honoured:
        return None
    return Problem(RULE.id, too_short(problem.rule_id, subject, ack))


RULE = Rule(
    id=PREFIX + "AcknowledgmentReason",
    title="Acknowledgments carry a reason",
    explanation=f"Every exception is counted and audited; a reason of fewer than {MIN_REASON} characters explains "
                "nothing, so the acknowledgment is not honoured.",
    remediation="Give the acknowledgment a reason a reviewer can check (why the exception is safe, who accepted it, until when).",
    resource_types=(),
    check=_template_check,
    live=_live_check,
    scope="acknowledgment",
    exempt={"guard": "the Guard hook honours no acknowledgment (deploy time is stricter: docs/acknowledgments.md), "
                     "so there is no reason for it to judge"},
)
