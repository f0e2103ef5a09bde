"""`guardrails kill-switch plan|engage|release`: cut off a workspace's data by disabling its key, and restore it.

Exit codes: 0 done (plan: blast radius complete; engage/release: the key is in the wanted state);
1 not confirmed, nothing changed; 2 usage error, refused key or failed call; 3 plan incomplete (some
resources could not be read, so the blast radius may be larger); 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone

from guardrails.cli.common import add_aws_connection, add_output

ACTIONS = {
    "plan": "list every workspace and Bedrock resource that uses the key, with owners; changes nothing",
    "engage": "disable the key (DisableKey) after confirmation; records who, when, why and the blast radius",
    "release": "enable the key again (EnableKey) and record it",
}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "kill-switch", help="revoke (and restore) access to a workspace's data by disabling its KMS key",
        description="Make a workspace's data unreadable at once by disabling its customer-managed key, and restore it. "
                    "Never schedules key deletion. Exit 0 done, 1 not confirmed, 2 usage error or refused, "
                    "3 plan incomplete.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, help_text in ACTIONS.items():
        sub = actions.add_parser(name, help=help_text, description=help_text)
        target = sub.add_mutually_exclusive_group(required=True)
        target.add_argument("--key", metavar="ARN", help="the KMS key ARN")
        target.add_argument("--domain-id", help="a DataZone domain id: act on the key it is encrypted with")
        if name != "plan":
            sub.add_argument("--reason", required=True, help="why (recorded in the history file and as a key tag)")
            sub.add_argument("--yes", action="store_true", help="do not ask for confirmation")
            sub.add_argument("--force", action="store_true",
                             help="act on a key that is not a workspace key (engage) or was not disabled by the "
                                  "kill switch (release)")
        add_aws_connection(sub, regions="to search for dependents (default: the key's region)",
                           accounts="that may use the key too, searched besides the key's own")
        sub.add_argument("--format", choices=("text", "json"), default="text", help="report format (default text)")
        add_output(sub)
        sub.add_argument("--history", metavar="FILE", help="append the action to this JSON-lines file (the audit's "
                                                           "--history file works)")
        sub.add_argument("--config", metavar="FILE", help="settings file (default: [tool.guardrails] in ./pyproject.toml)")
        sub.set_defaults(func=run, _parser=sub)


def run(args: argparse.Namespace) -> int:
    from guardrails.audit.accounts import parse_accounts
    from guardrails.audit.clients import ClientFactory
    from guardrails.audit.model import Scope
    from guardrails.cli.output import write_output
    from guardrails.errors import GuardrailsInputError
    from guardrails.kill_switch import record, report, switch, target
    from guardrails.kill_switch.blast_radius import blast_radius
    from guardrails.settings import load_settings

    if (args.accounts and not args.role_name):
        args._parser.error("--accounts needs --role-name (the role to assume in each account)")
    settings = load_settings(args.config)
    factory = ClientFactory(profile=args.profile, endpoint_url=args.endpoint_url, role_name=args.role_name, max_workers=1)
    regions = [r.strip() for r in (args.regions or "").split(",") if r.strip()]
    home = factory.home_account()
    if args.domain_id:
        region = regions[0] if regions else factory.base_session.region_name
        if not region:
            raise GuardrailsInputError("--domain-id", "name the domain's region with --regions or the profile")
        key_arn = target.key_of_domain(factory.client("datazone", region, home), args.domain_id)
    else:
        key_arn = args.key
    ref = target.parse_key_arn(key_arn)
    if ref.account != home and not args.role_name:
        raise GuardrailsInputError("--key", f"the key belongs to account {ref.account}, not {home}: give --role-name "
                                   "to act there (KMS does not allow DisableKey/EnableKey across accounts)")
    kms = factory.client("kms", ref.region, ref.account)
    key = target.describe(kms, ref)
    accounts = list(dict.fromkeys([ref.account, *(parse_accounts(args.accounts) if args.accounts else [])]))
    scopes = [Scope(account, region) for account in accounts for region in (regions or [ref.region])]
    radius = blast_radius(ref, scopes, factory.client, settings.isolation_tag)

    if args.action == "plan":
        write_output(report.render(args.format, report.document(key, radius)), args.output)
        return 0 if radius.complete else 3

    if args.action == "engage":
        switch.check_engage(key, radius, settings, args.force)
    else:
        switch.check_release(key, args.force)
    if not args.yes and not _confirmed(args.action, key, radius, report):
        print("guardrails: not confirmed: nothing changed", file=sys.stderr)
        return 1
    who = factory.client("sts", ref.region, ref.account).get_caller_identity()["Arn"]
    when = datetime.now(timezone.utc).isoformat(timespec="seconds")
    outcome = switch.flip(kms, key, args.action, who, when, args.reason)
    entry = record.history_entry(args.action, who, when, args.reason, radius, outcome.state_before, outcome.state_after)
    record.record(args.history, entry)
    action = {**{k: entry[k] for k in ("action", "who", "timestamp", "reason", "state_before", "state_after")},
              "tagged": outcome.tagged, "tag_error": outcome.tag_error}
    write_output(report.render(args.format, report.document(key, radius, action)), args.output)
    wanted = "Disabled" if args.action == "engage" else "Enabled"
    return 0 if outcome.state_after == wanted else 1


def _confirmed(action: str, key, radius, report) -> bool:
    """Ask on the terminal: the user types the key id. Without a terminal there is no one to ask: --yes."""
    from guardrails.errors import GuardrailsInputError

    if not sys.stdin.isatty():
        raise GuardrailsInputError("--yes", f"{action} needs confirmation: run it in a terminal or pass --yes")
    sys.stderr.write(report.render("text", report.document(key, radius)))
    verb = "DISABLE (every dependent becomes unreadable)" if action == "engage" else "ENABLE"
    sys.stderr.write(f"Type the key id {key.ref.key_id} to {verb}: ")
    sys.stderr.flush()
    return sys.stdin.readline().strip() == key.ref.key_id
