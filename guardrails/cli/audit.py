"""`guardrails audit`: inventory live accounts and regions and judge every workspace and Bedrock resource.

Exit codes: 0 all compliant; 1 non-compliant found; 2 usage error; 3 incomplete (some scopes not
evaluated, nothing non-compliant, or --security-hub could not import every finding); 130 interrupted (the
partial report is still written). --fix changes nothing without a confirmation (or --yes) and does not
change the exit code: it reports the audit as it found the estate.
boto3 and the audit modules are imported inside run(), so `guardrails --help` stays fast.
"""

from __future__ import annotations

import argparse
import logging
import sys

from guardrails.audit.reports import FORMATS  # light: the writers are imported only when used
from guardrails.cli.common import add_aws_connection, add_output


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "audit", help="inventory and judge live accounts, KPIs and migration needs",
        description="Judge DataZone domains (Bedrock workspaces, V1 and V2) and Bedrock agents, knowledge bases, data "
                    "sources, guardrails, flows, prompts and custom models by their KMS keys. Exit 0 all compliant, "
                    "1 non-compliant found, 2 usage error, 3 incomplete (some scopes not evaluated).")
    add_aws_connection(parser, regions="to audit (default: every region where the services exist)", accounts="to audit")
    parser.add_argument("--org", action="store_true", help="audit every ACTIVE account of the organization")
    parser.add_argument("--aggregator", metavar="NAME",
                        help="read the detective Config rule's verdicts from this Config aggregator instead of crawling "
                             "(a few paginated calls for the whole organization; see docs/audit.md)")
    parser.add_argument("--aggregator-region", metavar="REGION", help="the aggregator's region (default: the profile's)")
    parser.add_argument("--max-workers", type=int, default=8, help="parallel account-regions (default 8)")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), json, csv, html (one offline file), sarif, asff (Security Hub), ocsf")
    add_output(parser)
    parser.add_argument("--history", metavar="FILE", help="append this run to FILE (JSON lines); MTTR and trends from it")
    parser.add_argument("--config", metavar="FILE", help="settings file (default: [tool.guardrails] in ./pyproject.toml)")
    parser.add_argument("--security-hub", action="store_true",
                        help="import the findings into Security Hub (BatchImportFindings) in each audited account and region; "
                             "findings fixed since the last import are archived as PASSED; accepted exceptions are "
                             "SUPPRESSED with their reason (BatchUpdateFindings)")
    parser.add_argument("--security-hub-route", choices=("auto", "import", "config"), default="auto",
                        help="with --security-hub: auto (default) leaves to the detective Config rule, where it is "
                             "deployed, the findings Security Hub already gets from its evaluations; import imports "
                             "everything; config never imports the kinds the Config rule judges")
    parser.add_argument("--fix", action="store_true",
                        help="after the audit, turn key rotation on and cancel scheduled key deletions (asks first)")
    parser.add_argument("--yes", action="store_true", help="with --fix: apply without asking")
    parser.add_argument("--verbose", "-v", action="store_true", help="log progress and every gap to stderr")
    parser.set_defaults(func=run, _parser=parser)


def _validate(args: argparse.Namespace) -> None:
    parser = args._parser
    if args.max_workers < 1:
        parser.error("--max-workers must be at least 1")
    if (args.org or args.accounts) and not args.role_name:
        parser.error("--org and --accounts need --role-name (the role to assume in each account)")
    if args.org and args.accounts:
        parser.error("use --org or --accounts, not both")
    if args.aggregator and (args.org or args.accounts or args.regions):
        parser.error("--aggregator reads every account and region the aggregator holds: drop --org, --accounts and --regions")
    if args.aggregator_region and not args.aggregator:
        parser.error("--aggregator-region goes with --aggregator")
    if args.security_hub_route != "auto" and not args.security_hub:
        parser.error("--security-hub-route goes with --security-hub")
    if args.yes and not args.fix:
        parser.error("--yes only confirms --fix")


def run(args: argparse.Namespace) -> int:
    _validate(args)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    from guardrails.audit.session import AuditRequest, execute
    from guardrails.cli.output import write_output
    from guardrails.settings import load_settings

    request = AuditRequest(profile=args.profile, regions=args.regions, endpoint_url=args.endpoint_url, org=args.org,
                           accounts=args.accounts, role_name=args.role_name, max_workers=args.max_workers,
                           history=args.history, settings=load_settings(args.config), aggregator=args.aggregator,
                           aggregator_region=args.aggregator_region)
    show_progress = sys.stderr.isatty() and not args.verbose
    outcome = execute(request, progress=_rich_progress() if show_progress else None)
    from guardrails.audit.reports import render

    write_output(render(args.format, outcome.report), args.output)
    if outcome.report.result.interrupted:
        print("guardrails: interrupted: the report holds what was gathered so far", file=sys.stderr)
        return 130
    code = outcome.exit_code
    if args.security_hub and not _import(outcome, args.security_hub_route) and code != 1:
        code = 3  # findings that did not reach Security Hub: incomplete
    if args.fix:
        _fix(outcome, args.yes)
    return code


def _import(outcome, route: str) -> bool:
    """Import into Security Hub; False (and the failures on stderr) when some findings did not get there."""
    from guardrails.audit.security_hub import import_report

    result = import_report(outcome.report, lambda service, account, region: outcome.factory.client(service, region, account),
                           route=route)
    print(f"guardrails: Security Hub: {result.imported} findings imported, {result.resolved} fixed findings archived, "
          f"{result.suppressed} accepted exceptions suppressed, {result.reopened} reopened, "
          f"{result.left_to_config} left to the Config route ({result.handed_over} earlier ones archived for it)",
          file=sys.stderr)
    if result.config_suppressed or result.config_reopened or result.config_unmatched:
        print(f"guardrails: Security Hub: on the Config route, {result.config_suppressed} accepted exceptions suppressed, "
              f"{result.config_reopened} reopened, {result.config_unmatched} without a Config finding to suppress yet "
              f"(Config delivers within minutes of an evaluation; run again, or suppress them by hand)", file=sys.stderr)
    for line in result.routes:
        print(f"guardrails: Security Hub route in {line}", file=sys.stderr)
    for failure in result.failed:
        print(f"guardrails: Security Hub refused {failure.get('Id')}: {failure.get('ErrorCode')} {failure.get('ErrorMessage')}",
              file=sys.stderr)
    for error in result.errors:
        print(f"guardrails: Security Hub not reached in {error}", file=sys.stderr)
    return result.ok


def _fix(outcome, yes: bool) -> None:
    """Show the plan, ask (unless --yes), apply, print what changed. Findings stay as the audit saw them."""
    from guardrails.audit import fix

    actions, migrations = fix.plan(outcome.report.result.non_compliant)
    for line in migrations:
        print(f"guardrails: fix: {line}", file=sys.stderr)
    if not actions:
        print("guardrails: fix: nothing can be fixed in place", file=sys.stderr)
        return
    for action in actions:
        print(f"guardrails: fix: would call {action.operation} on {action.key} ({action.account}/{action.region}) "
              f"for {len(action.resources)} resource(s)", file=sys.stderr)
    if not yes:
        if not sys.stdin.isatty():
            print("guardrails: fix: nothing changed: no terminal to ask; pass --yes to apply", file=sys.stderr)
            return
        print(f"Apply these {len(actions)} changes? [y/N] ", end="", file=sys.stderr, flush=True)
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            print("guardrails: fix: nothing changed", file=sys.stderr)
            return
    for change in fix.apply(actions, lambda account, region: outcome.factory.client("kms", region, account)):
        print(f"guardrails: fix: {change}", file=sys.stderr)


def _rich_progress():
    """A context manager yielding (start(total), advance(label)) callbacks, drawn by rich on stderr."""
    from contextlib import contextmanager

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    @contextmanager
    def progress():
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("auditing", total=None)
            yield (lambda total: bar.update(task, total=total),
                   lambda label: bar.update(task, advance=1, description=f"auditing {label}"))
    return progress
