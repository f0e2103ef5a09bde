"""Audit scaling: 100 account-regions with 50 ms of latency injected into every AWS call (a botocore
`before-send` hook), at --max-workers 1, 8 and 32. The audit is I/O bound, so the speed-up should be
near-linear until the pool outnumbers the scopes' calls or the CPU.

Runs against the test endpoint (moto + the local DataZone fake from tests/audit/endpoint.py).
Writes benchmarks/results/audit_scaling.json and prints a markdown table. `main()` is the entry point
for `python -m benchmarks.run`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

LATENCY_S = 0.050
WORKERS = (1, 8, 32)
ACCOUNTS, REGIONS = 10, ("us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-west-2", "eu-central-1",
                         "eu-north-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1")
RESULTS = Path(__file__).parent / "results" / "audit_scaling.json"


class _Latency:
    """The injected latency, and a count of the calls it delayed."""

    def __init__(self) -> None:
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, client) -> None:
        client.meta.events.register("before-send", self._delay)

    def _delay(self, **_) -> None:
        with self._lock:
            self.calls += 1
        time.sleep(LATENCY_S)


def _serve() -> None:
    """Child process: the endpoint and its estate, so the server's CPU work does not share the audit's GIL."""
    from tests.audit.endpoint import AuditEndpoint
    from tests.audit.world import World

    endpoint = AuditEndpoint()
    endpoint.start()
    resources = 0
    world = World(endpoint)
    for account in _accounts():
        for region in REGIONS:
            key = world.key(account=account, region=region)
            world.domain(f"ws-{account[-2:]}-{region}", key, account=account, region=region)
            world.agent(f"agent-{region}", key, account=account, region=region)
            world.guardrail(f"guard-{region}", key, account=account, region=region)
            resources += 3
    print(endpoint.url, resources, flush=True)
    sys.stdin.read()  # serve until the parent closes our stdin
    endpoint.stop()


def _accounts() -> list[str]:
    from tests.audit.world import HOME

    return [HOME] + [f"{100000000000 + n:012d}" for n in range(1, ACCOUNTS)]


def main() -> dict:
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"})
    from guardrails.audit.session import AuditRequest, execute
    from tests.audit.world import ROLE

    root = Path(__file__).resolve().parent.parent
    server = subprocess.Popen([sys.executable, "-c", "from benchmarks.audit_scaling import _serve; _serve()"], cwd=root,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url, resources = server.stdout.readline().split()
        resources = int(resources)
        accounts = _accounts()
        rows = []
        for workers in WORKERS:
            latency = _Latency()
            request = AuditRequest(regions=",".join(REGIONS), endpoint_url=url, accounts=",".join(accounts),
                                   role_name=ROLE, max_workers=workers, on_client=latency)
            started = time.perf_counter()
            outcome = execute(request)
            elapsed = time.perf_counter() - started
            kpis = outcome.report.kpis
            assert kpis["scopes"] == len(accounts) * len(REGIONS) and kpis["resources"] == resources, kpis
            assert kpis["not_evaluated"] == 0, outcome.report.result.not_evaluated[:3]
            rows.append({"max_workers": workers, "seconds": round(elapsed, 2), "calls": latency.calls})
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    base = rows[0]["seconds"]
    for row in rows:
        row["speedup"] = round(base / row["seconds"], 2)
        row["efficiency"] = round(row["speedup"] / row["max_workers"], 2)
    result = {"benchmark": "audit_scaling", "latency_ms_per_call": LATENCY_S * 1000,
              "account_regions": len(accounts) * len(REGIONS), "resources": resources, "cpu_count": os.cpu_count(),
              "latency_floor_seconds_at_1_worker": round(rows[0]["calls"] * LATENCY_S, 2), "runs": rows}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(markdown(result))
    return result


def markdown(result: dict) -> str:
    lines = [f"Audit of {result['account_regions']} account-regions ({result['resources']} resources), "
             f"{result['latency_ms_per_call']:.0f} ms injected per AWS call, {result['cpu_count']} CPUs", "",
             "| --max-workers | seconds | AWS calls | speed-up | efficiency |", "|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['max_workers']} | {r['seconds']} | {r['calls']} | {r['speedup']}x | {r['efficiency']} |"
              for r in result["runs"]]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
