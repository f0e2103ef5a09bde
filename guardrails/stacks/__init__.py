"""The stacks app.py composes. Nothing imports this package except app.py and tests."""

from guardrails.stacks.suite import add_policy_packs, build_suite

__all__ = ["add_policy_packs", "build_suite"]
