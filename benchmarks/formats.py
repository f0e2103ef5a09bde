"""How each report format grows with the number of findings: rendering alone, in process.

A report with N findings is made from a real scan's findings, repeated under new logical ids (so
every case and result is distinct) over the same templates. Linear growth shows as a flat time per
finding; a quadratic writer (JUnit through junitparser was: 1,500 findings 3.4 s, 12,000 238 s)
shows as a time per finding that doubles with every doubling of N.
"""

from __future__ import annotations

import itertools
import statistics
import time
from dataclasses import replace

from guardrails.engine import ScanReport


def scaled_report(base: ScanReport, findings: int) -> ScanReport:
    """`base` with exactly `findings` findings, its own repeated under distinct logical ids."""
    if not base.findings:
        raise ValueError("the base report has no findings to repeat")
    count = len(base.findings)
    made = [replace(f, logical_id=f"{f.logical_id}R{i // count}") for i, f in zip(range(findings), itertools.cycle(base.findings))]
    return replace(base, findings=made, exceptions=[])


def format_growth(base: ScanReport, sizes: list[int], formats: tuple[str, ...], runs: int) -> dict:
    """format -> {"points": [{findings, median_s, us_per_finding}], "growth": time per finding at the largest
    size over the smallest (about 1 for linear writers)}."""
    from guardrails.reports import render

    out: dict = {}
    reports = {n: scaled_report(base, n) for n in sizes}
    for fmt in formats:
        points = []
        for n in sizes:
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                render(fmt, reports[n], "bench")
                times.append(time.perf_counter() - start)
            median = statistics.median(times)
            points.append({"findings": n, "median_s": round(median, 4), "us_per_finding": round(1e6 * median / n, 2)})
        first, last = points[0]["us_per_finding"], points[-1]["us_per_finding"]
        out[fmt] = {"points": points, "growth": round(last / first, 2) if first else None}
    return out
