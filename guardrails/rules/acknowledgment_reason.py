"""BedrockGuardrails-AcknowledgmentReason: an exception without a real reason is itself an error.

Not a resource check: the engine reports it when it meets an acknowledgment of one of our rules
whose reason is shorter than MIN_REASON characters (the acknowledgment is then not honoured).
"""

from guardrails.rules.base import PREFIX, Rule

MIN_REASON = 10

RULE = Rule(
    id=PREFIX + "AcknowledgmentReason",
    title="Acknowledgments carry a reason",
    explanation="Every exception is counted and audited; a reason of fewer than 10 characters explains nothing, so "
                "the acknowledgment is not honoured.",
    remediation="Give the acknowledgment a reason a reviewer can check (why the exception is safe, who accepted it, until when).",
    resource_types=(),
    check=lambda resource, ctx: [],
    scope="meta",
)
