"""Writing a rendered report to --output or stdout, shared by the subcommands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterable

from guardrails.errors import GuardrailsInputError


def write_output(text: str | Iterable[str], output: str | None) -> None:
    """Write the report, whole or in pieces (written as they come: a big report is never whole in memory)."""
    pieces = [text] if isinstance(text, str) else text
    if not output or output == "-":
        for piece in pieces:
            sys.stdout.write(piece)
        return
    try:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        with open(output, "w", encoding="utf-8") as handle:
            for piece in pieces:
                handle.write(piece)
    except OSError as exc:
        raise GuardrailsInputError(output, f"cannot write report: {exc.strerror or exc}") from None
