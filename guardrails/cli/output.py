"""Writing a rendered report to --output or stdout, shared by the subcommands."""

from __future__ import annotations

import sys
from pathlib import Path

from guardrails.errors import GuardrailsInputError


def write_output(text: str, output: str | None) -> None:
    if not output or output == "-":
        sys.stdout.write(text)
        return
    try:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise GuardrailsInputError(output, f"cannot write report: {exc.strerror or exc}") from None
