"""`guardrails summary cdk.out`: the short closing summary `make synth` prints."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser("summary", help="short summary of a cdk.out")
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("--config", metavar="FILE")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from guardrails.cloud_assembly import discover
    from guardrails.engine import scan
    from guardrails.settings import load_settings

    sources = discover(args.paths)
    report = scan(sources, load_settings(args.config))
    kpis, summary = report.kpis, report.summary()
    stacks = sum(1 for s in sources if s.stack_name)

    def pct(value):
        return "n/a" if value is None else f"{value}%"

    print(f"Stacks: {stacks} ({summary['templates']} templates), resources: {summary['resources']}")
    print(f"Findings: {summary['errors']} errors, {summary['warnings']} warnings, {summary['info']} info")
    print(f"Acknowledged exceptions: {kpis['exceptions']}")
    for item in summary["acknowledged"]:
        print(f"  - {item['rule_id']} on {item['path'] or item['logical_id']}: {item['reason']}")
    print(f"CMK coverage: workspaces {kpis['workspaces_cmk']}/{kpis['workspaces']} ({pct(kpis['cmk_coverage_pct'])}), "
          f"Bedrock resources {kpis['bedrock_resources_cmk']}/{kpis['bedrock_resources']} ({pct(kpis['bedrock_cmk_coverage_pct'])})")
    return 1 if summary["errors"] or report.errors else 0
