"""`guardrails summary cdk.out`: the short closing summary `make synth` prints."""

from __future__ import annotations

import argparse

from guardrails.cli.common import add_output, printed_to
from guardrails.settings import CONFIG_HELP


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "summary", help="short summary of a cdk.out",
        description="A few lines for the end of a synth: stacks and resources scanned, findings by severity, what "
                    "could not be examined, acknowledged exceptions (ours and other packs'), CMK coverage of "
                    "workspaces and Bedrock resources. Exit 0 without error findings, 1 with, 2 for bad input.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="cdk.out directory, template file or directory")
    parser.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    add_output(parser, "the summary")
    parser.add_argument("--list-acknowledgments", action="store_true",
                        help="list every pack's acknowledgments with their reasons, not only ours")
    parser.add_argument("--markdown", action="store_true",
                        help="with --list-acknowledgments: print only a markdown table of them (for the README)")
    parser.set_defaults(func=run)


def _all_acknowledgments(sources) -> list:
    """(construct path, acknowledgment) for every acknowledgment recorded in the assemblies, any pack."""
    assemblies = {id(s.assembly): s.assembly for s in sources if s.assembly is not None}
    return [(path, ack) for assembly in assemblies.values() for path, acks in sorted(assembly.acknowledgments.items())
            for ack in acks]


def _other_pack_acknowledgments(sources) -> list:
    """Acknowledgments of other packs' rules (cdk-nag, Control Tower...) recorded in the assemblies."""
    from guardrails.rules.base import PREFIX

    return [(path, ack) for path, ack in _all_acknowledgments(sources) if not ack.rule_id.rsplit("::", 1)[-1].startswith(PREFIX)]


def acknowledgments_markdown(acknowledgments) -> str:
    """A markdown table: rule id (as CDK prints it), construct, reason; one row per acknowledgment."""
    rows = ["| rule | construct | reason |", "|---|---|---|"]
    for path, ack in acknowledgments:
        reason = ack.reason.replace("|", "\\|").replace("\n", " ")
        rows.append(f"| `{ack.rule_id.removeprefix('Annotation::')}` | `{path}` | {reason} |")
    return "\n".join(rows) + "\n"


def run(args: argparse.Namespace) -> int:
    return printed_to(args.output, lambda: _summary(args))


def _summary(args: argparse.Namespace) -> int:
    from guardrails.cli.scan import report_errors
    from guardrails.cloud_assembly import discover
    from guardrails.engine import scan
    from guardrails.reports.safe_text import printable
    from guardrails.settings import load_settings

    sources = discover(args.paths)
    if args.list_acknowledgments and args.markdown:
        print(acknowledgments_markdown(_all_acknowledgments(sources)), end="")
        return 0
    report = scan(sources, load_settings(args.config, read_cdk_json=True))  # the settings scan and synth judge with
    kpis, summary = report.kpis, report.summary()
    stacks = sum(1 for s in sources if s.stack_name)

    def pct(value):
        return "n/a" if value is None else f"{value}%"

    print(f"Stacks: {stacks} ({summary['templates']} templates), resources: {summary['resources']}")
    print(f"Findings: {summary['errors']} errors, {summary['warnings']} warnings, {summary['info']} info")
    if summary["not_examined"]:
        print(f"Not examined (nested stacks, StackSets, macros, includes) or ambiguous exports: {summary['not_examined']} "
              "(BedrockGuardrails-InputCoverage warnings: `guardrails scan` lists them)")
    others = _other_pack_acknowledgments(sources)
    print(f"Acknowledged exceptions: {kpis['exceptions'] + len(others)} "
          f"({kpis['exceptions']} of Bedrock CMK Guardrails rules, {len(others)} of other packs)")
    for item in summary["acknowledged"]:
        print(printable(f"  - {item['rule_id']} on {item['path'] or item['logical_id']}: {item['reason']}"))
    if args.list_acknowledgments:
        for path, ack in others:
            print(printable(f"  - {ack.rule_id.removeprefix('Annotation::')} on {path}: {ack.reason}"))
    elif others:
        per_pack: dict[str, int] = {}
        for _, ack in others:
            pack, separator, _ = ack.rule_id.removeprefix("Annotation::").partition("::")  # the pack comes first
            pack = pack if separator else "other"
            per_pack[pack] = per_pack.get(pack, 0) + 1
        print("  other packs: " + ", ".join(f"{pack} {count}" for pack, count in sorted(per_pack.items()))
              + " (reasons: docs/acknowledgments.md, or --list-acknowledgments)")
    print(f"CMK coverage: workspaces {kpis['workspaces_cmk']}/{kpis['workspaces']} ({pct(kpis['cmk_coverage_pct'])}), "
          f"Bedrock resources {kpis['bedrock_resources_cmk']}/{kpis['bedrock_resources']} ({pct(kpis['bedrock_cmk_coverage_pct'])})")
    if report_errors(report, args.paths):  # bad input fails as it does for `scan`
        return 2
    return 1 if summary["errors"] else 0
