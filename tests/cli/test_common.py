"""The AWS connection options are declared once (add_aws_connection): every command that reaches AWS spells
and explains --profile, --endpoint-url, --region(s), --accounts and --role-name alike, and parses them as before."""

from __future__ import annotations

import argparse

import pytest

from guardrails.cli.common import ENDPOINT_URL_HELP, PROFILE_HELP, REGION_HELP, ROLE_NAME_HELP, each_parser
from guardrails.cli.main import COMMANDS, build_parser

KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
# What each command reaches AWS with; a command missing here that takes --profile fails the test below.
CONNECTION = {
    "audit": {"--profile", "--endpoint-url", "--regions", "--accounts", "--role-name"},
    "kill-switch": {"--profile", "--endpoint-url", "--regions", "--accounts", "--role-name"},
    "migrate": {"--profile", "--endpoint-url", "--region"},
    "migrate-plan": {"--profile", "--endpoint-url", "--region"},
}
FIXED_HELP = {"--profile": PROFILE_HELP, "--endpoint-url": ENDPOINT_URL_HELP, "--region": REGION_HELP,
              "--role-name": ROLE_NAME_HELP}
ALL = {"--profile", "--endpoint-url", "--region", "--regions", "--accounts", "--role-name"}


def _leaves(command: str) -> list[argparse.ArgumentParser]:
    parsers = list(each_parser(build_parser(command)))[1:]
    return [p for p in parsers if not any(isinstance(a, argparse._SubParsersAction) for a in p._actions)]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_takes_exactly_its_connection_options_with_the_shared_help(command):
    for parser in _leaves(command):
        options = parser._option_string_actions
        assert ALL & set(options) == CONNECTION.get(command, set()), parser.prog
        for flag in ALL & set(options):
            assert options[flag].help == FIXED_HELP.get(flag, options[flag].help), (parser.prog, flag)
            assert options[flag].help.startswith(FIXED_HELP.get(flag, "comma-separated "))


@pytest.mark.parametrize("argv, expected", [
    (["audit", "--profile", "p", "--regions", "us-east-1,eu-west-1", "--endpoint-url", "http://e", "--accounts",
      "111111111111", "--role-name", "R"],
     {"profile": "p", "regions": "us-east-1,eu-west-1", "endpoint_url": "http://e", "accounts": "111111111111", "role_name": "R"}),
    (["audit"], {"profile": None, "regions": None, "endpoint_url": None, "accounts": None, "role_name": None}),
    (["kill-switch", "plan", "--key", KEY, "--profile", "p", "--regions", "eu-west-1", "--accounts", "222222222222",
      "--role-name", "R", "--endpoint-url", "http://e"],
     {"profile": "p", "regions": "eu-west-1", "accounts": "222222222222", "role_name": "R", "endpoint_url": "http://e"}),
    (["migrate", "--from", "dzd_a", "--to", "dzd_b", "--profile", "p", "--region", "eu-west-1", "--endpoint-url", "http://e"],
     {"profile": "p", "region": "eu-west-1", "endpoint_url": "http://e"}),
    (["migrate-plan", "--domain-id", "dzd_a"], {"profile": None, "region": None, "endpoint_url": None}),
])
def test_the_shared_options_parse_as_before(argv, expected):
    args = build_parser(argv[0]).parse_args(argv)
    assert {name: getattr(args, name) for name in expected} == expected
