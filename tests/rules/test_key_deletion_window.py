"""BedrockGuardrails-KeyDeletionWindow: templates/key_deletion_window/{pass,fail}."""

from guardrails.rules.key_deletion_window import RULE
from tests.rules.template_cases import template_tests

test_pass, test_fail = template_tests("key_deletion_window", RULE.id)
