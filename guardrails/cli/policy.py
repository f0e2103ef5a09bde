"""`guardrails policy scp|boundary`: the preventive documents for the current settings, for review and apply."""

from __future__ import annotations

import argparse

from guardrails.cli.common import add_output, printed_to

from guardrails.settings import CONFIG_HELP


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "policy", help="print the SCP or permission-boundary documents for the current settings",
        description="The documents the preventive stacks deploy, for review or to apply by hand: the service control "
                    "policies (packed into as few as fit AWS's size limit) or the permission boundary.")
    parser.add_argument("kind", choices=("scp", "boundary"),
                        help="scp: service control policies (each <= 5,120 characters, <= 5); boundary: one IAM policy")
    parser.add_argument("--format", choices=("json", "yaml"), default="json", help="json (default) or yaml")
    add_output(parser, "the documents")
    parser.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return printed_to(args.output, lambda: _print(args))


def _print(args: argparse.Namespace) -> int:
    from guardrails.errors import GuardrailsInputError
    from guardrails.preventive.documents import boundary_document, scp_documents
    from guardrails.settings import load_settings

    settings = load_settings(args.config, read_cdk_json=True)  # the settings the stacks deploy with
    try:
        documents = scp_documents(settings) if args.kind == "scp" else [boundary_document(settings)]
    except ValueError as error:  # the settings make documents AWS would refuse
        raise GuardrailsInputError(args.config or "settings", str(error)) from None
    if args.format == "yaml":
        import yaml

        print(yaml.safe_dump(documents, sort_keys=False), end="")
    else:
        import json

        print(json.dumps(documents, indent=2))
    return 0
