"""Produce docs/migrate.md's example: `guardrails migrate` run for real against the test endpoint.

    .venv/bin/python -m tests.migrate.example_run

Starts the endpoint, builds the test estate's source domain (on an AWS-owned key) and a target on a
CMK, then runs the CLI: a dry run, an apply, and verify. Ids are random, so they differ on every run.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile

from guardrails.cli.main import main
from tests.migrate.endpoint import MigrateEndpoint
from tests.migrate.estate import Estate


def _run(argv: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    shown = " ".join(a if not a.startswith("http") else "$ENDPOINT" for a in argv)
    print(f"$ guardrails {shown}\n{err.getvalue()}{out.getvalue()}")
    assert f"(exit {code})" in out.getvalue() or code == 2


def example() -> None:
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")
    endpoint = MigrateEndpoint()
    endpoint.start()
    try:
        estate = Estate(endpoint)
        source, target = estate.source(), estate.target()
        common = ["--from", source, "--to", target, "--endpoint-url", endpoint.url]
        with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
            _run(["migrate", *common])
            _run(["migrate", *common, "--apply", "--yes", "--state", "research.state.json"])
            estate.user(target, "bob")  # the platform team gives bob a profile in the new domain; the same command resumes
            _run(["migrate", *common, "--apply", "--yes", "--state", "research.state.json"])
            _run(["migrate", "verify", *common])
    finally:
        endpoint.stop()


if __name__ == "__main__":
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    example()
