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
        description="Scan cdk.out cloud assemblies (all stacks, nested stacks and stages), template files "
                    "(.json, .yaml, .yml, .template) or directories of them. Exit 0 when clean, 1 when findings "
                    "reach --fail-on, 2 for bad input or usage.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="cdk.out directory, template file, or directory of templates")
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
    for error in report.errors:
        print(f"guardrails: error: {error}", file=sys.stderr)
    if report.errors:
        return 2
    if not report.templates:
        print("guardrails: error: no CloudFormation templates found in " + ", ".join(args.paths), file=sys.stderr)
        return 2
    note = settings_note(settings_files) if args.format == "text" else ""  # which settings file judged this
    write_output(render(args.format, report, __version__) + note, args.output)
    threshold = FAIL_ON[args.fail_on]
    return 1 if any(f.severity.rank >= threshold for f in report.findings) else 0
