"""`guardrails migrate --from DOMAIN --to DOMAIN`: copy a workspace into a new domain on a customer-managed key.

`guardrails migrate verify --from --to` only compares. Exit codes: 0 migrated (or planned) and verified;
1 differences remain; 2 usage or access errors (a target not on a customer-managed key included);
3 interrupted: rerun with the same --state to resume. boto3 and the migrate package are imported
inside run(), so `guardrails --help` stays fast.
"""

from __future__ import annotations

import argparse
import sys

from guardrails.cli.common import add_aws_connection, add_output


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "migrate", help="copy a workspace's contents into a new domain on a customer-managed key",
        description="Copy a DataZone domain's glossaries, form and asset types, projects (V2: project profiles, domain "
                    "units), members, blueprint configurations, environment profiles, environments, data sources and "
                    "assets' metadata into a new domain on a customer-managed key. Dry run unless --apply. "
                    "`guardrails migrate verify --from A --to B` only compares both domains. Exit 0 migrated and "
                    "verified, 1 differences remain, 2 usage or access error, 3 interrupted (resume with the same --state).")
    parser.add_argument("action", nargs="?", choices=("verify",), help="verify: compare both domains, change nothing")
    parser.add_argument("--from", dest="source", required=True, metavar="DOMAIN_ID", help="the domain to copy (dzd_...)")
    parser.add_argument("--to", dest="target", required=True, metavar="DOMAIN_ID", help="the new domain, on a customer-managed key")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="print what would be created and change nothing (the default)")
    mode.add_argument("--apply", action="store_true", help="create the missing items in the target, after confirmation")
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation before --apply")
    parser.add_argument("--state", metavar="FILE", help="record every created id here as it happens, to resume an interrupted "
                        "run (default with --apply: migrate-FROM-to-TO.state.json)")
    add_aws_connection(parser, region=True)
    parser.add_argument("--config", metavar="FILE", help="settings file for judging the target's key "
                        "(default: [tool.guardrails] in ./pyproject.toml)")
    add_output(parser)
    parser.set_defaults(func=run, _parser=parser)


def _confirm(prompt: str) -> bool:
    if not sys.stdin.isatty():
        print(f"guardrails: {prompt} Confirmation needs a terminal: pass --yes to apply without asking.", file=sys.stderr)
        return False
    print(f"{prompt} Type 'yes' to go on: ", end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip().lower() == "yes"


def run(args: argparse.Namespace) -> int:
    if args.action == "verify" and (args.apply or args.state):
        args._parser.error("verify compares only: --apply and --state do not apply")
    from guardrails.cli.output import write_output
    from guardrails.migrate.report import render_text
    from guardrails.migrate.run import MigrationRequest, migrate, verify
    from guardrails.settings import load_settings

    state = args.state or (f"migrate-{args.source}-to-{args.target}.state.json" if args.apply else None)
    request = MigrationRequest(source=args.source, target=args.target, region=args.region, profile=args.profile,
                               endpoint_url=args.endpoint_url, state_path=state, apply=args.apply,
                               confirm=(lambda prompt: True) if args.yes else _confirm, settings=load_settings(args.config),
                               on_step=lambda step, outcome: print(f"  {outcome:6}  {step.label}", file=sys.stderr))
    try:
        outcome = verify(request) if args.action == "verify" else migrate(request)
    except KeyboardInterrupt:  # while reading: nothing half-done; while applying, migrate() reports it itself
        resume = f" (resume with the same --state {state})" if state else ""
        print(f"guardrails: interrupted{resume}", file=sys.stderr)
        return 3
    write_output(render_text(outcome), args.output)
    return outcome.exit_code
