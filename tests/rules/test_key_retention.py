"""BedrockGuardrails-KeyRetention: templates/key_retention/{pass,fail}."""

from guardrails.rules.key_retention import RULE
from tests.rules.template_cases import template_tests

test_pass, test_fail = template_tests("key_retention", RULE.id)
