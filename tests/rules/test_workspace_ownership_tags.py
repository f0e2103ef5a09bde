"""BedrockGuardrails-WorkspaceOwnershipTags: templates/workspace_ownership_tags/{pass,fail}."""

from guardrails.rules.workspace_ownership_tags import RULE
from tests.rules.template_cases import template_tests

test_pass, test_fail = template_tests("workspace_ownership_tags", RULE.id)
