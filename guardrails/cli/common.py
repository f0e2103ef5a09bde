"""Options every subcommand shares, so the CLI behaves alike everywhere (as cfn-lint and checkov users expect)."""

from __future__ import annotations

import argparse
import contextlib
import io
from typing import Callable, Iterator

DEBUG_HELP = "show a traceback on internal errors (also accepted before the subcommand)"


def each_parser(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """The parser and every subcommand's parser below it."""
    yield parser
    for action in parser._actions:  # argparse keeps subparsers only here
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                yield from each_parser(child)


def accept_debug_everywhere(parser: argparse.ArgumentParser) -> None:
    """`--debug` after the subcommand too. SUPPRESS keeps a subcommand from resetting the top-level value;
    main() reads the flag from argv anyway, before any parser runs."""
    for each in list(each_parser(parser))[1:]:
        if "--debug" not in each._option_string_actions:
            each.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)


def add_output(parser: argparse.ArgumentParser, what: str = "the report") -> None:
    parser.add_argument("--output", "-o", metavar="FILE", help=f"write {what} here instead of stdout")


def printed_to(output: str | None, body: Callable[[], int]) -> int:
    """Run a command that prints its report, and send what it printed to --output (or stdout)."""
    from guardrails.cli.output import write_output

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = body()
    write_output(buffer.getvalue(), output)
    return code
