"""BedrockGuardrails-KeySpec: templates/key_spec/{pass,fail}."""

from guardrails.rules.key_spec import RULE
from tests.rules.template_cases import template_tests

test_pass, test_fail = template_tests("key_spec", RULE.id)
