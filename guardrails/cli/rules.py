"""`guardrails rules`: the catalog, for reviewers and for wiring acknowledgments."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser("rules", help="list the rule catalog")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from guardrails.rules import CATALOG
    from guardrails.rules.compliance import by_framework

    if args.format == "json":
        import json

        print(json.dumps([{"id": r.id, "title": r.title, "severity": r.severity.value, "resource_types": list(r.resource_types),
                           "details": list(r.details), "explanation": r.explanation, "remediation": r.remediation,
                           "compliance": by_framework(r.id)}
                          for r in CATALOG], indent=2))
        return 0
    for rule in CATALOG:
        details = f" [{', '.join(rule.details)}]" if rule.details else ""
        controls = "; ".join(f"{name} {', '.join(ids)}" for name, ids in by_framework(rule.id).items()) or "none"
        print(f"{rule.id}{details} ({rule.severity.value}): {rule.title}\n    {rule.explanation}\n    Fix: {rule.remediation}\n"
              f"    Controls: {controls}\n")
    return 0
