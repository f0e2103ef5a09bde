"""`guardrails migrate-plan --domain-id ID`: a plan to replace a workspace with one on a customer-managed key.

Exit codes: 0 plan written; 2 usage error or the domain cannot be read.
"""

from __future__ import annotations

import argparse

from guardrails.cli.common import add_aws_connection, add_output


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "migrate-plan", help="plan the migration of a workspace to a customer-managed key",
        description="Read a DataZone domain (projects, environments, blueprints, members, glossaries) and write a "
                    "Markdown plan: the CompliantWorkspace CDK snippet, ordered steps, what cannot be migrated "
                    "automatically, and a checklist.")
    parser.add_argument("--domain-id", required=True, help="the DataZone domain id (dzd_...)")
    add_aws_connection(parser, region=True)
    add_output(parser, "the plan")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    from guardrails.audit.clients import RETRY_CONFIG
    from guardrails.audit.errors import describe_error
    from guardrails.audit.migration import read_domain, render_plan
    from guardrails.cli.output import write_output
    from guardrails.errors import GuardrailsInputError

    try:
        session = boto3.Session(profile_name=args.profile)
        client = session.client("datazone", region_name=args.region or session.region_name or "us-east-1",
                                endpoint_url=args.endpoint_url, config=Config(retries=dict(RETRY_CONFIG)))
        snapshot = read_domain(client, args.domain_id)
    except (ClientError, BotoCoreError) as exc:
        raise GuardrailsInputError(f"domain {args.domain_id}", f"cannot read it: {describe_error(exc)}") from None
    write_output(render_plan(snapshot), args.output)
    return 0
