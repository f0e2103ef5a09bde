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


# The options that say how to reach AWS, declared once so that every command spells and explains them alike.
PROFILE_HELP = "AWS profile (default: the usual credential chain)"
ENDPOINT_URL_HELP = "one endpoint URL for every service, like the AWS CLI's"
REGION_HELP = "the region to work in (default: the profile's, else us-east-1)"
ROLE_NAME_HELP = "role to assume in every account other than the caller's own (AWS STS AssumeRole)"


def add_aws_connection(parser: argparse.ArgumentParser, *, region: bool = False, regions: str | None = None,
                       accounts: str | None = None) -> None:
    """--profile and --endpoint-url; with `region`, --region (one region); with `regions`, --regions, where
    `regions` says what they are for and their default; with `accounts`, --accounts and --role-name, where
    `accounts` says what the listed accounts are for."""
    parser.add_argument("--profile", help=PROFILE_HELP)
    if region:
        parser.add_argument("--region", help=REGION_HELP)
    if regions is not None:
        parser.add_argument("--regions", help=f"comma-separated regions {regions}")
    parser.add_argument("--endpoint-url", help=ENDPOINT_URL_HELP)
    if accounts is not None:
        parser.add_argument("--accounts", help=f"comma-separated account ids {accounts} (with --role-name)")
        parser.add_argument("--role-name", help=ROLE_NAME_HELP)


def printed_to(output: str | None, body: Callable[[], int]) -> int:
    """Run a command that prints its report, and send what it printed to --output (or stdout)."""
    from guardrails.cli.output import write_output

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = body()
    write_output(buffer.getvalue(), output)
    return code
