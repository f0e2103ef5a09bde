"""BedrockGuardrails-KeyRotation: templates/key_rotation/{pass,fail}."""

from guardrails.rules.key_rotation import RULE
from tests.rules.template_cases import template_tests

test_pass, test_fail = template_tests("key_rotation", RULE.id)
