"""`guardrails scan PATH...`: the catalog over CloudFormation templates or a cdk.out, no Node needed."""

from __future__ import annotations

import argparse
import sys

from guardrails.reports import FORMATS
from guardrails.settings import CONFIG_HELP

FAIL_ON = {"error": 2, "warning": 1, "never": 99}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "scan", help="check CloudFormation templates or a cdk.out against the rule catalog",
        description="Scan cdk.out cloud assemblies (all stacks, nested stacks, StackSet templates and stages), template "
                    "files (.json, .yaml, .yml, .template, any case), directories of them, or - for standard input. "
                    "Exit 0 when clean, 1 when findings reach --fail-on, 2 for bad input or usage (the findings of "
                    "every input that could be read are still reported). See docs/scan.md.")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="cdk.out directory, template file, directory of templates, or - (standard input)")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report here instead of stdout")
    parser.add_argument("--fail-on", choices=tuple(FAIL_ON), default="error",
                        help="lowest severity that makes the exit code 1 (default: error)")
    parser.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from guardrails import __version__
    from guardrails.cloud_assembly import discover
    from guardrails.engine import scan
    from guardrails.reports import render
    from guardrails.cli.output import write_output
    from guardrails.settings import load_settings_with_sources, settings_note

    settings, settings_files = load_settings_with_sources(args.config)
    report = scan(discover(args.paths), settings)
    if report.templates:  # partial failure: the findings that could be computed are still reported
        note = settings_note(settings_files) if args.format == "text" else ""  # which settings file judged this
        write_output(render(args.format, report, __version__) + note, args.output)
    if report_errors(report, args.paths):
        return 2
    threshold = FAIL_ON[args.fail_on]
    return 1 if any(f.severity.rank >= threshold for f in report.findings) else 0


def report_errors(report, paths) -> bool:
    """Print every input error (and "nothing found" when nothing was scanned) to stderr; True when any."""
    from guardrails.reports.safe_text import printable

    for error in report.errors:
        print(f"guardrails: error: {printable(error)}", file=sys.stderr)
    if not report.templates and not report.errors:
        print("guardrails: error: no CloudFormation templates found in " + printable(", ".join(paths)), file=sys.stderr)
        return True
    return bool(report.errors)
