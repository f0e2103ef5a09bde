"""`guardrails scan PATH...`: the catalog over CloudFormation templates or a cdk.out, no Node needed."""

from __future__ import annotations

import argparse
import itertools
import sys

from guardrails.reports import FORMATS
from guardrails.settings import CONFIG_HELP

FAIL_ON = {"error": 2, "warning": 1, "info": 0, "never": 99}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "scan", help="check CloudFormation templates or a cdk.out against the rule catalog",
        description="Scan cdk.out cloud assemblies (all stacks, nested stacks, StackSet templates and stages), template "
                    "files (.json, .yaml, .yml, .template, any case), directories of them, or - for standard input. "
                    "Exit 0 when clean, 1 when findings reach --fail-on, 2 for bad input or usage (the findings of "
                    "every input that could be read are still reported). See docs/scan.md.")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="cdk.out directory, template file, directory of templates, or - (standard input)")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), json, sarif (SARIF 2.1.0, for code scanning) or junit (one test case per "
                             "finding)")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report here instead of stdout")
    parser.add_argument("--fail-on", choices=tuple(FAIL_ON), default="error",
                        help="lowest severity that makes the exit code 1 (default: error; never: always 0)")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="report only findings that reach --fail-on, and nothing at all when there are none")
    parser.add_argument("--rule", action="append", metavar="ID",
                        help="report only these rule ids (repeatable or comma-separated; wildcards such as 'Key*'; "
                             "the BedrockGuardrails- prefix may be left out)")
    parser.add_argument("--skip-rule", action="append", metavar="ID",
                        help="do not report these rule ids (same forms as --rule; wins over --rule)")
    parser.add_argument("--baseline", metavar="FILE",
                        help="accept the findings recorded in FILE (see --create-baseline): only new ones are reported")
    parser.add_argument("--create-baseline", metavar="FILE",
                        help="record today's findings in FILE as accepted, and exit 0")
    parser.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from guardrails import __version__
    from guardrails.cloud_assembly import discover
    from guardrails.engine import scan
    from guardrails.reports import render_chunks
    from guardrails.cli.output import write_output
    from guardrails.rule_selection import RuleSelection
    from guardrails.settings import load_settings_with_sources, settings_note

    selection = RuleSelection.from_options(args.rule, args.skip_rule)  # a typo is a usage error before any work
    if args.baseline or args.create_baseline:  # only then: its hashing and dates cost every scan start-up time
        from guardrails.baseline import Baseline, write_baseline
    baseline = Baseline.load(args.baseline) if args.baseline else None
    settings, settings_files = load_settings_with_sources(args.config)
    report = scan(discover(args.paths), settings)
    threshold = FAIL_ON[args.fail_on]
    _select(report, selection, baseline, args.baseline)
    if args.create_baseline:
        count = write_baseline(args.create_baseline, report.findings)
        print(f"guardrails: {count} findings recorded as accepted in {args.create_baseline}", file=sys.stderr)
    if args.quiet:
        report.findings = [f for f in report.findings if f.severity.rank >= threshold]
    if report.templates and not (args.quiet and not report.findings):  # partial failure: findings are still reported
        note = settings_note(settings_files) if args.format == "text" and not args.quiet else ""
        write_output(itertools.chain(render_chunks(args.format, report, __version__), [note]), args.output)
    if report_errors(report, args.paths):
        return 2
    if args.create_baseline:
        return 0
    return 1 if any(f.severity.rank >= threshold for f in report.findings) else 0


def _select(report, selection, baseline, baseline_path: str | None) -> None:
    """--rule/--skip-rule, then --baseline: what is left is what is reported and judged."""
    report.findings = selection.filter(report.findings)
    report.exceptions = [e for e in report.exceptions if selection.selects(e.finding.rule_id)]
    if baseline is not None:
        report.findings, known, stale = baseline.split(report.findings)
        print(f"guardrails: {len(known)} findings accepted by the baseline {baseline_path}"
              + (f"; {stale} of its entries match nothing any more (fixed? recreate it)" if stale else ""),
              file=sys.stderr)


def report_errors(report, paths) -> bool:
    """Print every input error (and "nothing found" when nothing was scanned) to stderr; True when any."""
    from guardrails.reports.safe_text import printable

    for error in report.errors:
        print(f"guardrails: error: {printable(error)}", file=sys.stderr)
    if not report.templates and not report.errors:
        print("guardrails: error: no CloudFormation templates found in " + printable(", ".join(paths)), file=sys.stderr)
        return True
    return bool(report.errors)
