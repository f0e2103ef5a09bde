"""`guardrails rules`: the catalog, for reviewers and for wiring acknowledgments.

`--format json` gives every rule's `enforcement`: per point (synth, scan, guard, config, audit) `true`
or the reason the rule cannot be enforced there. `--format markdown` renders the README table and
`--format docs` the reference in docs/rules.md (with the exemption reasons) (tests/cli/test_rules.py keeps both fresh).
"""

from __future__ import annotations

import argparse
import json

from guardrails.cli.common import add_output, printed_to
from guardrails.rules import CATALOG
from guardrails.rules.base import POINTS, Rule
from guardrails.rules.compliance import by_framework

FORMATS = ("text", "json", "markdown", "docs")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "rules", help="list the rule catalog and where each rule is enforced",
        description="Every rule: id, granular ids, severity, what it demands, the fix, where it is enforced (synth, "
                    "scan, guard, config, audit) or why it cannot be, and the compliance controls it evidences.")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default); json (with `enforcement` and `compliance`); markdown (README table); "
                             "docs (docs/rules.md reference)")
    add_output(parser, "the catalog")
    parser.set_defaults(func=run)


def as_json(rule: Rule) -> dict:
    return {"id": rule.id, "title": rule.title, "severity": rule.severity.value, "resource_types": list(rule.resource_types),
            "live_types": list(rule.live_types), "details": list(rule.details), "live_details": list(rule.live_details),
            "explanation": rule.explanation, "remediation": rule.remediation, "enforcement": rule.enforcement,
            "compliance": by_framework(rule.id)}


def _ids(rule: Rule) -> str:
    details = [f"`[{d}]`" for d in rule.details] + [f"`[{d}]` (live)" for d in rule.live_details]
    return ", ".join(details) or "-"


def markdown_table(*, reasons: bool = True) -> str:
    """One row per rule, one column per enforcement point: ✓, or "exempt" (with a numbered reason below
    when `reasons`; the README's short table links to docs/rules.md instead)."""
    notes: dict[str, int] = {}
    rows = ["| id | what it demands | " + " | ".join(POINTS) + " | granular ids |",
            "|---|---|" + "---|" * len(POINTS) + "---|"]
    for rule in CATALOG:
        cells = []
        for point in POINTS:
            value = rule.enforcement[point]
            if value is True:
                cells.append("✓")
            elif reasons:
                cells.append(f"exempt [{notes.setdefault(f'{rule.short_name}: {value}', len(notes) + 1)}]")
            else:
                cells.append("exempt")
        rows.append(f"| `{rule.id}` | {rule.title} | " + " | ".join(cells) + f" | {_ids(rule)} |")
    table = "\n".join(rows) + "\n"
    if not reasons:
        return table + "\nWhy a rule is exempt at a point: [docs/rules.md](docs/rules.md#enforcement-by-rule).\n"
    return table + "\n" + "\n".join(f"{n}. {note}" for note, n in notes.items()) + "\n"


def readme_table() -> str:
    return markdown_table(reasons=False)


def docs_reference() -> str:
    """docs/rules.md: the table with the exemptions' reasons, then the per-rule reference."""
    parts = [markdown_table(reasons=True)]
    for rule in CATALOG:
        types = ", ".join(f"`{t}`" for t in (*rule.resource_types, *rule.live_types)) or "acknowledgments (not resources)"
        enforcement = "\n".join(f"- **{point}**: " + ("enforced" if value is True else f"exempt: {value}")
                                for point, value in rule.enforcement.items())
        parts.append(f"### `{rule.id}`: {rule.title}\n\n{rule.explanation}\n\n**Fix:** {rule.remediation}\n\n"
                     f"Severity {rule.severity.value}; looks at {types}; granular ids: {_ids(rule)}.\n\n{enforcement}\n")
    return "\n".join(parts)


def run(args: argparse.Namespace) -> int:
    return printed_to(args.output, lambda: _print(args))


def _print(args: argparse.Namespace) -> int:
    if args.format == "json":
        print(json.dumps([as_json(r) for r in CATALOG], indent=2, ensure_ascii=False))
    elif args.format == "markdown":
        print(readme_table(), end="")
    elif args.format == "docs":
        print(docs_reference(), end="")
    else:
        for rule in CATALOG:
            details = f" [{', '.join(rule.details)}]" if rule.details else ""
            where = ", ".join(p for p, v in rule.enforcement.items() if v is True)
            controls = "; ".join(f"{name} {', '.join(ids)}" for name, ids in by_framework(rule.id).items()) or "none"
            print(f"{rule.id}{details} ({rule.severity.value}): {rule.title}\n    {rule.explanation}\n"
                  f"    Fix: {rule.remediation}\n    Enforced at: {where}\n    Controls: {controls}\n")
    return 0
