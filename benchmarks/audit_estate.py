"""The benchmark's estate: 10 accounts x 10 regions, each with a key, a workspace, an agent and a guardrail,
served by the test endpoint (moto + the local DataZone/Bedrock fake) in a child process, so the
server's CPU work does not share the audit's GIL."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ACCOUNTS = 10
REGIONS = ("us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-west-2", "eu-central-1", "eu-north-1",
           "ap-southeast-1", "ap-southeast-2", "ap-northeast-1")


def accounts() -> list[str]:
    from tests.audit.world import HOME

    return [HOME] + [f"{100000000000 + n:012d}" for n in range(1, ACCOUNTS)]


def _serve() -> None:
    """Child process: build the estate, print `URL RESOURCES`, serve until stdin closes."""
    from tests.audit.endpoint import AuditEndpoint
    from tests.audit.world import World

    endpoint = AuditEndpoint()
    endpoint.start()
    resources = 0
    world = World(endpoint)
    for account in accounts():
        for region in REGIONS:
            key = world.key(account=account, region=region)
            world.domain(f"ws-{account[-2:]}-{region}", key, account=account, region=region)
            world.agent(f"agent-{region}", key, account=account, region=region)
            world.guardrail(f"guard-{region}", key, account=account, region=region)
            resources += 3
    print(endpoint.url, resources, flush=True)
    sys.stdin.read()
    endpoint.stop()


@contextmanager
def served_estate() -> Iterator[tuple[str, int]]:
    """(endpoint URL, number of resources) while the child process serves the estate."""
    root = Path(__file__).resolve().parent.parent
    server = subprocess.Popen([sys.executable, "-c", "from benchmarks.audit_estate import _serve; _serve()"], cwd=root,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url, resources = server.stdout.readline().split()
        yield url, int(resources)
    finally:
        server.stdin.close()
        server.wait(timeout=30)
