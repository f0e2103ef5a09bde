"""Crawl vs aggregator: the same simulated estate (benchmarks/audit_estate.py: 100 account-regions, 300
resources) audited by crawling every account-region and by reading an AWS Config aggregator, with 50 ms
injected into every AWS call, at --max-workers 8, median of REPEATS runs each. Counts the AWS calls.

Crawl: responses recorded once from the moto-backed estate and replayed (benchmarks/replay.py), as in
benchmarks/audit_scaling.py. Aggregator: moto has no aggregate-compliance APIs, so tests/audit/aggregator_fake.py
answers DescribeAggregateComplianceByConfigRules / GetAggregateComplianceDetailsByConfigRule at AWS's
maximum page sizes (1000 / 100) after the same 50 ms, holding one evaluation per resource as the
detective Config rule would have put it (the crawl's verdict of that resource: tests/audit/test_aggregator.py
shows the rule's real evaluations give the crawl's verdicts), plus each account's own evaluation.

Writes benchmarks/results/audit_aggregator.json and prints a markdown table:
`python -m benchmarks.audit_aggregator [--repeats N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from datetime import datetime, timezone
from pathlib import Path

from benchmarks.audit_estate import REGIONS, accounts, served_estate
from benchmarks.replay import Recorder, Replayer

LATENCY_S = 0.050
WORKERS = 8
REPEATS = 3
AGGREGATOR = "org-aggregator"
RESULTS = Path(__file__).parent / "results" / "audit_aggregator.json"


def _crawl(on_client, endpoint_url):
    from guardrails.audit.session import AuditRequest, execute
    from tests.audit.world import ROLE

    return execute(AuditRequest(regions=",".join(REGIONS), endpoint_url=endpoint_url, accounts=",".join(accounts()),
                                role_name=ROLE, max_workers=WORKERS, on_client=on_client)).report


def _aggregator_from(report):
    """The evaluations the Config rule would have put for this estate: one per resource, and the account's."""
    from guardrails.detective.names import DeploymentNames
    from tests.audit.aggregator_fake import AggregatorFake

    fake = AggregatorFake(AGGREGATOR, LATENCY_S, page=1000)
    rule = DeploymentNames().workspace_rule
    when = datetime.now(timezone.utc)
    per_scope: dict[tuple[str, str], dict[str, list]] = {}
    for finding in report.findings:
        per_scope.setdefault((finding.account, finding.region), {}).setdefault(finding.resource, []).append(finding)
    for (account, region), resources in per_scope.items():
        evaluations = [{"ComplianceResourceType": fs[0].resource_type, "ComplianceResourceId": arn.rsplit("/", 1)[-1],
                        "ComplianceType": "NON_COMPLIANT" if any(f.status == "NON_COMPLIANT" for f in fs) else "COMPLIANT",
                        "Annotation": "; ".join(f.reason for f in fs)[:256], "OrderingTimestamp": when}
                       for arn, fs in resources.items()]
        evaluations.append({"ComplianceResourceType": "AWS::::Account", "ComplianceResourceId": account,
                            "ComplianceType": "COMPLIANT", "OrderingTimestamp": when})
        fake.record(rule, account, region, evaluations)
    return fake


class _Counted:
    """Counts every call the aggregator run sends anywhere (the fake's, and STS's GetCallerIdentity)."""

    def __init__(self, fake) -> None:
        self.fake, self.calls = fake, 0

    def __call__(self, client) -> None:
        client.meta.events.register("before-send", self._count)
        self.fake(client)

    def _count(self, **_) -> None:
        self.calls += 1


def _read_aggregator(fake, endpoint_url):
    from guardrails.audit.session import AuditRequest, execute

    counted = _Counted(fake)
    report = execute(AuditRequest(endpoint_url=endpoint_url, aggregator=AGGREGATOR, max_workers=WORKERS,
                                  on_client=counted)).report
    return report, counted.calls


def main(repeats: int = REPEATS) -> dict:
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"})
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_SESSION_TOKEN", None)
    crawl_s, aggregate_s = [], []
    with served_estate() as (url, resources):
        recorder = Recorder()
        recorded = _crawl(recorder, url)
        fake = _aggregator_from(recorded)
        for _ in range(repeats):
            replayer = Replayer(recorder.responses, LATENCY_S)
            started = time.perf_counter()
            crawl = _crawl(replayer, None)
            crawl_s.append(time.perf_counter() - started)
            crawl_calls = replayer.calls
            started = time.perf_counter()
            aggregate, aggregate_calls = _read_aggregator(fake, url)  # STS goes to the estate's endpoint, undelayed
            aggregate_s.append(time.perf_counter() - started)
    assert crawl.kpis["resources"] == aggregate.kpis["resources"] == resources, (crawl.kpis, aggregate.kpis)
    assert crawl.kpis["pct_on_cmk"] == aggregate.kpis["pct_on_cmk"]
    rows = [{"source": "crawl", "seconds": round(statistics.median(crawl_s), 2), "calls": crawl_calls},
            {"source": "aggregator", "seconds": round(statistics.median(aggregate_s), 2), "calls": aggregate_calls}]
    result = {"benchmark": "audit_aggregator", "latency_ms_per_call": LATENCY_S * 1000, "max_workers": WORKERS,
              "account_regions": len(accounts()) * len(REGIONS), "resources": resources, "repeats": repeats,
              "cpu_count": os.cpu_count(), "runs": rows}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(markdown(result))
    return result


def markdown(result: dict) -> str:
    lines = [f"Audit of {result['account_regions']} account-regions ({result['resources']} resources), "
             f"{result['latency_ms_per_call']:.0f} ms per AWS call, --max-workers {result['max_workers']}, "
             f"median of {result['repeats']} runs, {result['cpu_count']} CPUs", "",
             "| source | seconds | AWS calls |", "|---|---:|---:|"]
    lines += [f"| {r['source']} | {r['seconds']} | {r['calls']} |" for r in result["runs"]]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=REPEATS)
    main(parser.parse_args().repeats)
