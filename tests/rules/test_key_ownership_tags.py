"""BedrockGuardrails-KeyOwnershipTags: templates/key_ownership_tags/{pass,fail}."""

from guardrails.rules.key_ownership_tags import RULE
from tests.rules.template_cases import template_tests

test_pass, test_fail = template_tests("key_ownership_tags", RULE.id)
