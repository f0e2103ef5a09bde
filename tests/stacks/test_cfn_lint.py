"""cfn-lint over every synthesized template of the suite: zero errors."""

from __future__ import annotations

from cfnlint.api import ManualArgs, lint_file


def test_every_template_is_valid_cloudformation(suite_templates):
    assert suite_templates
    for name, path in suite_templates.items():
        matches = lint_file(path, ManualArgs(regions=["us-east-1"]))
        errors = [f"{m.rule.id} {m.message} ({m.path_string if hasattr(m, 'path_string') else ''})"
                  for m in matches if m.rule.severity == "error"]
        assert errors == [], f"{name}: {errors}"
