"""The `bedrock-guardrails` command (also installed as `guardrails`). Subcommands live in their own
modules and are imported only when used, so `guardrails scan --help` starts fast and never imports
aws_cdk (or starts Node).

Exit codes: 0 clean; 1 findings at or above --fail-on (audit: non-compliant found); 2 bad input or
usage; 3 (audit) incomplete; 4 an optional dependency is missing (the message names the extra to
install); 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys

from guardrails import __version__
from guardrails.cli.common import accept_debug_everywhere
from guardrails.errors import GuardrailsInputError
from guardrails.extras import missing_extra_message

EXIT_MISSING_EXTRA = 4
# Both names run this entry point; `bedrock-guardrails` does not clash with guardrails-ai's `guardrails`.
PROGRAM_NAMES = ("bedrock-guardrails", "guardrails")

# name -> (module with register(subparsers), one-line help)
COMMANDS = {
    "scan": ("guardrails.cli.scan", "check CloudFormation templates or a cdk.out against the rule catalog"),
    "summary": ("guardrails.cli.summary", "short summary of a cdk.out: stacks, resources, findings, exceptions, CMK coverage"),
    "rules": ("guardrails.cli.rules", "list the rule catalog"),
    "policy": ("guardrails.cli.policy", "print the SCP or permission-boundary documents for the current settings"),
    "audit": ("guardrails.cli.audit", "inventory and judge live accounts, KPIs and migration needs"),
    "migrate-plan": ("guardrails.cli.migrate_plan", "plan the migration of a workspace to a customer-managed key"),
    "kill-switch": ("guardrails.cli.kill_switch", "revoke (and restore) access to a workspace's data by disabling its key"),
    "migrate": ("guardrails.cli.migrate", "copy a workspace into a new domain on a customer-managed key, then verify"),
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    invoked = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    parser = argparse.ArgumentParser(prog=invoked if invoked in PROGRAM_NAMES else "guardrails", description="Bedrock CMK Guardrails: keep Bedrock workspaces "
                                     "and resources on customer-managed KMS keys.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        if only not in (None, name) or importlib.util.find_spec(module) is None:
            continue
        if only is None:  # the top-level help lists commands without importing them
            subparsers.add_parser(name, help=help_text, add_help=False)
        else:
            importlib.import_module(module).register(subparsers)
    accept_debug_everywhere(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    debug = "--debug" in argv
    try:
        parser = build_parser(command if command in COMMANDS else None)
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help(sys.stderr)
            return 2
        return int(args.func(args) or 0)
    except ImportError as error:
        hint = missing_extra_message(error)
        if hint is None:
            if debug:
                raise
            return _internal_error(error)
        print(f"guardrails: error: {hint}", file=sys.stderr)
        return EXIT_MISSING_EXTRA
    except GuardrailsInputError as error:
        from guardrails.reports.safe_text import printable

        print(f"guardrails: error: {printable(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("guardrails: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # a bug: say so plainly; --debug shows where
        if debug:
            raise
        return _internal_error(error)


def _internal_error(error: Exception) -> int:
    print(f"guardrails: internal error: {type(error).__name__}: {error} (rerun with --debug for a traceback)",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
