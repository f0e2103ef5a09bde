"""Audit scaling: 100 account-regions with 50 ms of latency injected into every AWS call, at
--max-workers 1, 8 and 32, the median of REPEATS runs each.

Default mode, `replay`: the estate (benchmarks/audit_estate.py, moto + the test fake) is audited once
to record every response; each measured run then gets its responses from a botocore `before-send`
handler that sleeps 50 ms and returns the recorded one (benchmarks/replay.py): no sockets and no
server CPU, so the audit's own code path and threading are what is measured. Mode `moto` injects the
same latency in front of the live endpoint instead; there the emulator's CPU, on the same cores,
caps the speed-up.

Writes benchmarks/results/audit_scaling.json and prints a markdown table. `main()` is the entry point
for `python -m benchmarks.run`; `python -m benchmarks.audit_scaling [--mode moto] [--repeats N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import threading
import time
from pathlib import Path

from benchmarks.audit_estate import REGIONS, accounts, served_estate
from benchmarks.replay import Recorder, Replayer

LATENCY_S = 0.050
WORKERS = (1, 8, 32)
REPEATS = 3
RESULTS = Path(__file__).parent / "results" / "audit_scaling.json"


class _Latency:
    """moto mode: the injected latency in front of a live endpoint, and a count of the calls it delayed."""

    def __init__(self) -> None:
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, client) -> None:
        client.meta.events.register("before-send", self._delay)

    def _delay(self, **_) -> None:
        with self._lock:
            self.calls += 1
        time.sleep(LATENCY_S)


def _audit(workers: int, on_client, endpoint_url: str | None, resources: int) -> float:
    from guardrails.audit.session import AuditRequest, execute
    from tests.audit.world import ROLE

    request = AuditRequest(regions=",".join(REGIONS), endpoint_url=endpoint_url, accounts=",".join(accounts()),
                           role_name=ROLE, max_workers=workers, on_client=on_client)
    started = time.perf_counter()
    outcome = execute(request)
    elapsed = time.perf_counter() - started
    kpis = outcome.report.kpis
    assert kpis["scopes"] == len(accounts()) * len(REGIONS) and kpis["resources"] == resources, kpis
    assert kpis["not_evaluated"] == 0, outcome.report.result.not_evaluated[:3]
    return elapsed


def _measure(workers: int, repeats: int, run_once) -> dict:
    timings, calls = [], 0
    for _ in range(repeats):
        seconds, calls = run_once(workers)
        timings.append(seconds)
    return {"max_workers": workers, "seconds": round(statistics.median(timings), 2),
            "runs_seconds": [round(t, 2) for t in timings], "calls": calls}


def main(mode: str = "replay", repeats: int = REPEATS) -> dict:
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"})
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_SESSION_TOKEN", None)
    with served_estate() as (url, resources):
        if mode == "replay":
            recorder = Recorder()
            _audit(8, recorder, url, resources)
        else:
            def run_once(workers):
                latency = _Latency()
                return _audit(workers, latency, url, resources), latency.calls
            rows = [_measure(w, repeats, run_once) for w in WORKERS]
    if mode == "replay":
        def run_once(workers):
            replayer = Replayer(recorder.responses, LATENCY_S)
            return _audit(workers, replayer, None, resources), replayer.calls
        rows = [_measure(w, repeats, run_once) for w in WORKERS]
    base = rows[0]["seconds"]
    for row in rows:
        row["speedup"] = round(base / row["seconds"], 2)
        row["efficiency"] = round(row["speedup"] / row["max_workers"], 2)
    result = {"benchmark": "audit_scaling", "mode": mode, "latency_ms_per_call": LATENCY_S * 1000,
              "account_regions": len(accounts()) * len(REGIONS), "resources": resources, "repeats": repeats,
              "cpu_count": os.cpu_count(), "latency_floor_seconds_at_1_worker": round(rows[0]["calls"] * LATENCY_S, 2),
              "runs": rows}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    target = RESULTS if mode == "replay" else RESULTS.with_name(f"audit_scaling_{mode}.json")
    target.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(markdown(result))
    return result


def markdown(result: dict) -> str:
    how = ("responses replayed in-process" if result["mode"] == "replay" else "against moto on the same CPUs")
    lines = [f"Audit of {result['account_regions']} account-regions ({result['resources']} resources), "
             f"{result['latency_ms_per_call']:.0f} ms injected per AWS call, {how}, median of {result['repeats']} runs, "
             f"{result['cpu_count']} CPUs", "",
             "| --max-workers | seconds | AWS calls | speed-up | efficiency |", "|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['max_workers']} | {r['seconds']} | {r['calls']} | {r['speedup']}x | {r['efficiency']} |"
              for r in result["runs"]]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=("replay", "moto"), default="replay")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    options = parser.parse_args()
    main(options.mode, options.repeats)
