"""`make bench`: generate the corpora, run every tool side by side, write benchmarks/results/ and BENCHMARKS.md.

Environment:
  BENCH_QUICK=1         small sizes and 3 runs: a smoke run of the whole pipeline in a few minutes
  BENCH_RUNS=N          timed runs per command (default 5; each after one warm-up run)
  BENCH_ONLY=a,b        only these sections: scan, realistic, formats, yaml, growth, synth, cli, profile, audit,
                        aggregator
  BENCH_MERGE=1         keep the other sections' figures from the existing results.json (rerun one section; the
                        report then says which sections came from which run)
  BENCH_GROWTH=1000,... resource counts of the growth curve (default 1000,3000,10000,30000,100000)

Every ratio is measured in one run, with the commands interleaved round-robin (A B C A B C ...), so the
noise of a shared machine falls on all of them alike; the figure kept is the median.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from benchmarks import findings, tools
from benchmarks.corpus import write_scan_corpus, write_yaml_copy
from benchmarks.realistic_corpus import write_realistic_corpus

HERE = tools.HERE
ROOT = tools.ROOT
OUT = HERE / "out"
RESULTS = HERE / "results"
BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python") if (BIN / "python").exists() else sys.executable
GUARDRAILS = [PYTHON, "-m", "guardrails.cli.main"]
SHARED_WITH_CHECKOV = ("AgentCMK", "KeyRotation")
SHARED_WITH_GUARD = ("WorkspaceCMK", "AgentCMK", "KeyRotation")


class Config:
    def __init__(self) -> None:
        self.quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
        self.runs = int(os.environ.get("BENCH_RUNS", "3" if self.quick else "5"))
        self.scan_templates, self.scan_resources = (20, 1500) if self.quick else (200, 15000)
        default_growth = "1000,3000,10000" if self.quick else "1000,3000,10000,30000,100000"
        self.growth = [int(n) for n in os.environ.get("BENCH_GROWTH", default_growth).split(",")]
        self.realistic_stacks = 20 if self.quick else 250  # 59 resources each: 1,180 or 14,750 resources
        self.format_sizes = [300, 600, 1200, 2400] if self.quick else [1500, 3000, 6000, 12000]
        self.synth_stack = (240, 240)  # keys, domains: + 1 role = 481 resources
        self.synth_app = (10, 250, 249)  # stacks, keys, domains per stack: 10 x 500 = 5,000 resources
        if self.quick:
            self.synth_stack, self.synth_app = (24, 24), (2, 25, 24)
        self.results = OUT / "results-quick" if self.quick else RESULTS  # a quick run never overwrites the real figures
        self.report = OUT / "BENCHMARKS-quick.md" if self.quick else ROOT / "BENCHMARKS.md"
        only = os.environ.get("BENCH_ONLY", "")
        self.sections = set(only.split(",")) if only else {"scan", "realistic", "formats", "yaml", "growth", "synth", "cli",
                                                           "profile", "audit", "aggregator"}
        self.merge = os.environ.get("BENCH_MERGE", "") not in ("", "0")


def _env_without_venv_noise() -> dict[str, str]:
    return {"PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "CDK_VALIDATION": "false",
            "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION": "1", "CDK_DISABLE_CLI_TELEMETRY": "true"}


def bench_scan(config: Config, results: dict) -> None:
    print(f"scan: {config.scan_templates} templates, {config.scan_resources} resources", flush=True)
    corpus = write_scan_corpus(_fresh(OUT / "corpus-scan"), config.scan_templates, config.scan_resources)
    commands = {
        "guardrails scan": GUARDRAILS + ["scan", str(corpus.directory), "--format", "json", "--fail-on", "never"],
        "parse floor (json.loads)": [PYTHON, "-m", "benchmarks.parse_floor", str(corpus.directory)],
        "cfn-guard (3 rules)": tools.guard_command(corpus.directory),
        "checkov (CKV_AWS_7, CKV_AWS_373)": tools.checkov_command(corpus.directory),
    }
    env = {"checkov (CKV_AWS_7, CKV_AWS_373)": tools.CHECKOV_ENV}
    # no warm-up round: the corpus was just written (page cache warm) and checkov takes minutes per run
    measured = tools.measure_interleaved(commands, config.runs, env=env, cwd=ROOT, ok=(0, 1, 19), warmup=0)
    got = {"guardrails": findings.from_guardrails(measured["guardrails scan"].stdout),
           "checkov": findings.from_checkov(measured["checkov (CKV_AWS_7, CKV_AWS_373)"].stdout),
           "cfn-guard": findings.from_guard(measured["cfn-guard (3 rules)"].stdout)}
    agreement = {
        "guardrails vs expected": findings.agreement(corpus.expected, got["guardrails"], SHARED_WITH_GUARD),
        "checkov vs expected": findings.agreement(corpus.expected, got["checkov"], SHARED_WITH_CHECKOV),
        "cfn-guard vs expected": findings.agreement(corpus.expected, got["cfn-guard"], SHARED_WITH_GUARD),
        "guardrails vs checkov": findings.agreement(got["checkov"], got["guardrails"], SHARED_WITH_CHECKOV),
        "guardrails vs cfn-guard": findings.agreement(got["cfn-guard"], got["guardrails"], SHARED_WITH_GUARD),
    }
    results["scan"] = {
        "corpus": {"templates": corpus.templates, "resources": corpus.resources, "units": corpus.units,
                   "noncompliant_units": corpus.noncompliant_units, "megabytes": round(corpus.bytes / 1e6, 2)},
        "measurements": {name: m.as_dict() for name, m in measured.items()},
        "agreement": agreement,
        "in_process": _in_process(corpus.directory, config.runs),
        "report_formats": _report_formats(corpus.directory, 3),
    }


def _in_process(directory: Path, runs: int) -> dict:
    """The engine alone against json.loads alone, in one warm process (no start-up on either side)."""
    from benchmarks.parse_floor import parse_all
    from guardrails.cloud_assembly import discover
    from guardrails.engine import scan
    from guardrails.settings import Settings

    def engine() -> None:
        scan(discover([str(directory)]), Settings())

    def floor() -> None:
        parse_all([str(directory)])

    times: dict[str, list[float]] = {"engine.scan": [], "parse floor": []}
    for round_ in range(runs + 1):
        for name, fn in (("engine.scan", engine), ("parse floor", floor)):
            start = time.perf_counter()
            fn()
            if round_:
                times[name].append(time.perf_counter() - start)
    return {name: {"median_s": round(statistics.median(v), 4), "runs_s": [round(x, 4) for x in v]} for name, v in times.items()}


def _report_formats(directory: Path, runs: int) -> dict:
    """Rendering the same report in each --format, in process: the writers, not the scan."""
    from guardrails.cloud_assembly import discover
    from guardrails.engine import scan
    from guardrails.reports import FORMATS, render
    from guardrails.settings import Settings

    report = scan(discover([str(directory)]), Settings())
    times: dict[str, list[float]] = {fmt: [] for fmt in FORMATS}
    sizes: dict[str, int] = {}
    for round_ in range(runs + 1):
        for fmt in FORMATS:
            start = time.perf_counter()
            sizes[fmt] = len(render(fmt, report, "bench"))
            if round_:
                times[fmt].append(time.perf_counter() - start)
    print("    report formats: " + ", ".join(f"{f} {statistics.median(t):.3f} s" for f, t in times.items()), flush=True)
    return {"findings": len(report.findings),
            **{fmt: {"median_s": round(statistics.median(t), 4), "bytes": sizes[fmt]} for fmt, t in times.items()}}


def bench_realistic(config: Config, results: dict) -> None:
    """The scan against the parse floor on CDK-style apps where about 5% of the resources are governed."""
    corpus = write_realistic_corpus(_fresh(OUT / "corpus-realistic"), config.realistic_stacks)
    print(f"realistic: {corpus.templates} CDK-style templates, {corpus.resources} resources, "
          f"{100 * corpus.governed_share:.1f}% governed", flush=True)
    commands = {"guardrails scan": GUARDRAILS + ["scan", str(corpus.directory), "--format", "json", "--fail-on", "never"],
                "parse floor (json.loads)": [PYTHON, "-m", "benchmarks.parse_floor", str(corpus.directory)]}
    measured = tools.measure_interleaved(commands, config.runs, cwd=ROOT, warmup=0)  # files just written: cache warm
    flagged = findings.from_guardrails(measured["guardrails scan"].stdout)["WorkspaceCMK"]
    results["realistic"] = {
        "corpus": {"templates": corpus.templates, "resources": corpus.resources, "governed": corpus.governed,
                   "governed_pct": round(100 * corpus.governed_share, 1), "megabytes": round(corpus.bytes / 1e6, 2)},
        "measurements": {name: m.as_dict() for name, m in measured.items()},
        "same_findings": flagged == corpus.expected_workspace_cmk,
        "in_process": _in_process(corpus.directory, config.runs),
    }


def bench_formats(config: Config, results: dict) -> None:
    """Each --format's rendering time against the number of findings (the writers alone, in process)."""
    from benchmarks.formats import format_growth
    from guardrails.cloud_assembly import discover
    from guardrails.engine import scan
    from guardrails.reports import FORMATS
    from guardrails.settings import Settings

    print(f"formats: rendering {', '.join(map(str, config.format_sizes))} findings in each format", flush=True)
    base_dir = write_scan_corpus(_fresh(OUT / "corpus-formats"), 10, 1500).directory
    base = scan(discover([str(base_dir)]), Settings())
    growth = format_growth(base, config.format_sizes, FORMATS, runs=3)
    for fmt, g in growth.items():
        print(f"    {fmt}: " + ", ".join(f"{p['findings']} {p['median_s']:.3f} s" for p in g["points"]), flush=True)
    results["formats"] = growth


def bench_yaml(config: Config, results: dict) -> None:
    """The same corpus as YAML: guardrails against cfn-lint's YAML decoder alone."""
    source = OUT / "corpus-scan"
    if not source.exists():
        write_scan_corpus(source, config.scan_templates, config.scan_resources)
    from benchmarks.corpus import Corpus

    yaml_dir = write_yaml_copy(Corpus(source), _fresh(OUT / "corpus-yaml"))
    print("yaml: the scan corpus as YAML", flush=True)
    commands = {"guardrails scan (YAML)": GUARDRAILS + ["scan", str(yaml_dir), "--format", "json", "--fail-on", "never"],
                "parse floor (cfn_yaml.loads)": [PYTHON, "-m", "benchmarks.parse_floor", str(yaml_dir)]}
    measured = tools.measure_interleaved(commands, config.runs, cwd=ROOT, warmup=0)  # files just written: cache warm
    results["yaml"] = {"measurements": {name: m.as_dict() for name, m in measured.items()}}


def bench_growth(config: Config, results: dict) -> None:
    points = []
    for resources in config.growth:
        templates = max(1, round(resources / 75))
        print(f"growth: {resources} resources in {templates} templates", flush=True)
        corpus = write_scan_corpus(_fresh(OUT / "corpus-growth"), templates, resources)
        commands = {"guardrails scan": GUARDRAILS + ["scan", str(corpus.directory), "--format", "json", "--fail-on", "never",
                                                     "--output", os.devnull],
                    "parse floor": [PYTHON, "-m", "benchmarks.parse_floor", str(corpus.directory)]}
        measured = tools.measure_interleaved(commands, config.runs, cwd=ROOT)
        points.append({"resources": corpus.resources, "templates": corpus.templates,
                       "megabytes": round(corpus.bytes / 1e6, 2),
                       **{name: m.as_dict() for name, m in measured.items()}})
    # the largest size again with every unit compliant: no findings to keep, so peak RSS shows the templates alone
    largest = config.growth[-1]
    print(f"growth: {largest} resources, all compliant", flush=True)
    corpus = write_scan_corpus(_fresh(OUT / "corpus-growth"), max(1, round(largest / 75)), largest, half_noncompliant=False)
    clean = tools.measure_interleaved({"guardrails scan": GUARDRAILS + ["scan", str(corpus.directory), "--format", "json",
                                                                       "--output", os.devnull]}, config.runs, cwd=ROOT)
    shutil.rmtree(OUT / "corpus-growth", ignore_errors=True)
    results["growth"] = {"all_compliant_largest": {"resources": corpus.resources, **clean["guardrails scan"].as_dict()},
                         "points": points, "fit": _linear_fit([(p["resources"], p["guardrails scan"]["median_s"]) for p in points])}


def _linear_fit(xy: list[tuple[float, float]]) -> dict:
    """Least squares t = a + b*n, with R^2: a straight line through the points means linear growth."""
    if len(xy) < 2:
        return {}
    n = len(xy)
    mx, my = sum(x for x, _ in xy) / n, sum(y for _, y in xy) / n
    sxx = sum((x - mx) ** 2 for x, _ in xy)
    b = sum((x - mx) * (y - my) for x, y in xy) / sxx
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for _, y in xy)
    ss_res = sum((y - (a + b * x)) ** 2 for x, y in xy)
    return {"intercept_s": round(a, 4), "seconds_per_1000_resources": round(b * 1000, 4),
            "r_squared": round(1 - ss_res / ss_tot, 5) if ss_tot else 1.0}


def bench_synth(config: Config, results: dict) -> None:
    """Synth with no plugin, BedrockGuardrailsChecks, or AwsSolutionsChecks, two ways:
    `npx cdk synth --quiet` (each run a new Node + Python, as a user sees it), and repeated app.synth()
    in one warm process (start-up out of the figure, so a plugin's own cost is not lost in the noise)."""
    app_dir = _fresh(OUT / "synth-app")
    (app_dir / "cdk.json").write_text(json.dumps({"app": f"{PYTHON} {HERE / 'synth_app.py'}"}))
    npx = str(BIN / "npx") if (BIN / "npx").exists() else "npx"
    synth = [npx, "--prefix", str(ROOT), "cdk", "synth", "--quiet", "--no-notices", "-o", str(app_dir / "cdk.out")]
    base = _env_without_venv_noise()
    out: dict = {}
    cases = {"stack": (1, *config.synth_stack, ("none", "guardrails", "cdk-nag"), 1),
             "app": (config.synth_app[0], config.synth_app[1], config.synth_app[2], ("none", "guardrails", "cdk-nag"), 0)}
    for case, (stacks, keys, domains, plugins, warmup) in cases.items():
        resources = stacks * (1 + keys + domains)
        print(f"synth {case}: {stacks} stack(s), {resources} resources", flush=True)
        times_file = OUT / f"plugin-times-{case}.txt"
        times_file.unlink(missing_ok=True)
        sizes = dict(BENCH_STACKS=str(stacks), BENCH_KEYS=str(keys), BENCH_DOMAINS=str(domains))
        envs = {p: dict(base, **sizes, BENCH_PLUGIN=p, BENCH_PLUGIN_TIMES=str(times_file)) for p in plugins}
        measured = tools.measure_interleaved({p: synth for p in plugins}, config.runs, env=envs, cwd=app_dir, ok=(0,),
                                             warmup=warmup)
        direct: dict[str, list[float]] = {}
        for line in times_file.read_text().splitlines() if times_file.exists() else []:
            what, seconds = line.split("\t")
            direct.setdefault(what, []).append(float(seconds))
        direct = {what: values[-config.runs:] for what, values in direct.items()}  # drop warm-up runs
        warm_plugins = plugins if case == "stack" else ("none", "guardrails")
        print(f"  in one warm process: {', '.join(warm_plugins)} x {config.runs}", flush=True)
        warm_run, stdout = tools.run_once([PYTHON, str(HERE / "synth_app.py"), "--in-process", str(config.runs),
                                           ",".join(warm_plugins)], env=dict(base, **sizes), cwd=app_dir, ok=(0,))
        warm = json.loads(stdout.strip().splitlines()[-1])
        out[case] = {"stacks": stacks, "resources": resources,
                     "measurements": {p: m.as_dict() for p, m in measured.items()},
                     "in_process": {p: {"median_s": round(statistics.median(v), 4), "runs_s": [round(x, 4) for x in v]}
                                    for p, v in warm.items()},
                     "direct_s": {what: round(statistics.median(v), 4) for what, v in direct.items()}}
    results["synth"] = out


def bench_cli(config: Config, results: dict) -> None:
    print("cli: guardrails scan --help", flush=True)
    commands = {"guardrails scan --help": [str(BIN / "guardrails"), "scan", "--help"],
                "python -c pass": [PYTHON, "-c", "pass"]}
    measured = tools.measure_interleaved(commands, max(config.runs, 20 if not config.quick else 5), cwd=ROOT, warmup=2)
    probe = ("import sys, contextlib, io\nfrom guardrails.cli.main import main\n"
             "with contextlib.redirect_stdout(io.StringIO()):\n    try: main(['scan', '--help'])\n    except SystemExit: pass\n"
             "print(sorted(m for m in ('aws_cdk', 'jsii', 'cfnlint', 'boto3', 'rich', 'yaml') if m in sys.modules))")
    loaded = tools.run_once([PYTHON, "-c", probe], cwd=ROOT, ok=(0,))[1].strip()
    results["cli"] = {"measurements": {n: m.as_dict() for n, m in measured.items()}, "heavy_modules_imported": loaded}


def bench_profile(config: Config, results: dict) -> None:
    """pyinstrument over the in-process scan of the scan corpus; the text report goes to results/."""
    from pyinstrument import Profiler

    from guardrails.cloud_assembly import discover
    from guardrails.engine import scan
    from guardrails.reports import render
    from guardrails.settings import Settings

    directory = OUT / "corpus-scan"
    if not directory.exists():
        write_scan_corpus(directory, config.scan_templates, config.scan_resources)
    print("profile: pyinstrument over guardrails scan of the scan corpus", flush=True)
    profiler = Profiler(interval=0.001)
    profiler.start()
    report = scan(discover([str(directory)]), Settings())
    render("json", report, "bench")
    profiler.stop()
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    (config.results / "profile_scan.txt").write_text(text)
    # self time per function, for the report's hot-spot table
    session = profiler.last_session
    totals: dict[str, float] = {}

    def walk(frame) -> None:
        if frame.is_synthetic:  # pyinstrument's "[self]" leaves: counted in their parent's total_self_time
            return
        where = frame.file_path or "?"
        where = os.path.relpath(where, ROOT) if where.startswith(str(ROOT)) else os.path.basename(where)
        key = f"{frame.function} ({where}:{frame.line_no})"
        totals[key] = totals.get(key, 0.0) + frame.total_self_time
        for child in frame.children:
            walk(child)

    root = session.root_frame()
    walk(root)
    total = root.time
    top = sorted(totals.items(), key=lambda kv: -kv[1])[:12]
    results["profile"] = {"total_s": round(total, 4),
                          "self_time": [{"function": k, "seconds": round(v, 4), "share": round(v / total, 3)} for k, v in top]}


def bench_audit(config: Config, results: dict) -> None:
    """issue 6's audit scaling benchmark, when it exists: its main() returns its result, markdown() its table."""
    if importlib.util.find_spec("benchmarks.audit_scaling") is None:
        results["audit"] = None
        return
    print("audit: benchmarks.audit_scaling", flush=True)
    module = importlib.import_module("benchmarks.audit_scaling")
    table = module.main()
    render = getattr(module, "markdown", None)
    results["audit"] = {"result": table, "markdown": render(table) if render and isinstance(table, dict) else None}


def bench_aggregator(config: Config, results: dict) -> None:
    """issue 13: `guardrails audit --aggregator` against the crawl on the same simulated estate (calls and time)."""
    from benchmarks import audit_aggregator

    print("aggregator: benchmarks.audit_aggregator", flush=True)
    table = audit_aggregator.main(audit_aggregator.REPEATS)
    results["aggregator"] = {"result": table, "markdown": audit_aggregator.markdown(table)}


def _compile_sources() -> None:
    """Byte-compile guardrails/ as `pip install` does for an installed package. The editable install reads
    the sources, and with PYTHONDONTWRITEBYTECODE set (as on the team's machines) every `guardrails scan`
    process would compile them again: tens of milliseconds of start-up a user's install never pays."""
    import compileall

    compileall.compile_dir(str(ROOT / "guardrails"), quiet=1)


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


SECTIONS = {"scan": bench_scan, "realistic": bench_realistic, "formats": bench_formats, "yaml": bench_yaml, "growth": bench_growth, "synth": bench_synth, "cli": bench_cli,
            "profile": bench_profile, "audit": bench_audit, "aggregator": bench_aggregator}


def main() -> int:
    config = Config()
    OUT.mkdir(parents=True, exist_ok=True)
    config.results.mkdir(parents=True, exist_ok=True)
    started = time.time()
    results: dict = {"machine": tools.machine(), "quick": config.quick, "runs": config.runs,
                     "started": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    print("installing / finding checkov and cfn-guard", flush=True)
    tools.ensure_checkov()
    _compile_sources()
    results["versions"] = tools.tool_versions()
    results_file = config.results / "results.json"
    if config.merge and results_file.exists():  # the sections not rerun keep their figures, and say when they were taken
        earlier = json.loads(results_file.read_text())
        kept = {name: earlier[name] for name in SECTIONS if name not in config.sections and name in earlier}
        results.update(kept)
        results["merged_from"] = {"started": earlier.get("started"), "elapsed_s": earlier.get("elapsed_s"),
                                  "sections": sorted(kept)}
    for name, section in SECTIONS.items():
        if name in config.sections:
            section(config, results)
            results_file.write_text(json.dumps(results, indent=1))  # partial results survive a failure
    results["elapsed_s"] = round(time.time() - started, 1)
    results_file.write_text(json.dumps(results, indent=1))
    from benchmarks.report import write_report

    write_report(results, config.report, config.results)
    print(f"wrote {results_file} and the report in {results['elapsed_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
