"""Errors that the CLI turns into a clear message and exit code 2 (never a traceback)."""

from __future__ import annotations


class GuardrailsInputError(Exception):
    """Bad input: a file that cannot be read or parsed, or a bad setting.

    `source` names the file (or setting), `line` the 1-based line where one is known.
    """

    def __init__(self, source: str, message: str, line: int | None = None):
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}")
