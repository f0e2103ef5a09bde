"""The custom rule's Lambda code: lambda/workspace_rule plus exactly the `guardrails` modules it
imports (found by following imports, so nothing that needs aws_cdk is shipped), and the pinned AWS
SDK, assembled into a directory at synth time. Plain Python: no Docker, no pip.

Why ship the SDK: the runtime's bundled boto3 lags the service APIs (AWS Lambda Developer Guide, "Building
Lambda functions with Python": the included SDK version "depends on the runtime version and your AWS
Region"; AgentCore's control plane reached botocore only in mid-2025), so the function takes the boto3 /
botocore pinned in constraints.txt, with botocore's models cut down to the services the handler
calls. /var/task comes first on the runtime's sys.path, so these copies win over the runtime's.
"""

from __future__ import annotations

import functools
import importlib
import modulefinder
import shutil
import tempfile
from pathlib import Path

import guardrails

LAMBDA_ROOT = Path(__file__).parent / "lambda"
PACKAGE_ROOT = Path(guardrails.__file__).parent
HANDLER = "workspace_rule.handler.lambda_handler"
# boto3 and everything it imports (pure Python), at the versions this environment pins.
SDK_MODULES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six", "urllib3")
# The botocore service models the handler's clients use (workspace_rule/clients.py); a test keeps the two equal.
HANDLER_SERVICES = ("datazone", "bedrock-agent", "bedrock", "bedrock-agent-runtime", "bedrock-data-automation",
                    "bedrock-agentcore-control", "kms", "config", "cloudwatch", "dynamodb")


def guardrails_modules() -> list[Path]:
    """The files of every `guardrails` module the handler imports, directly or not."""
    finder = modulefinder.ModuleFinder(path=[str(LAMBDA_ROOT), str(PACKAGE_ROOT.parent)])
    finder.import_hook("workspace_rule.handler")
    files = {Path(m.__file__) for name, m in finder.modules.items()
             if (name == "guardrails" or name.startswith("guardrails.")) and m.__file__}
    return sorted(files)


def _ignore_in_sdk(directory: str, names: list[str]) -> set[str]:
    ignored = set(shutil.ignore_patterns("__pycache__", "*.pyc")(directory, names))
    path = Path(directory)
    if path.name == "data" and path.parent.name == "botocore":  # keep the top-level data files and our services only
        ignored |= {n for n in names if (path / n).is_dir() and n not in HANDLER_SERVICES}
    if path.name == "data" and path.parent.name == "boto3":  # resource models: the handler uses clients only
        ignored |= set(names)
    return ignored


def copy_sdk(target: Path) -> None:
    for name in SDK_MODULES:
        source = Path(importlib.import_module(name).__file__)
        if source.name == "__init__.py":
            shutil.copytree(source.parent, target / name, dirs_exist_ok=True, ignore=_ignore_in_sdk)
        else:
            shutil.copy2(source, target / source.name)


def assemble(target: Path | None = None) -> Path:
    if target is None:
        return _assembled_once()
    return _assemble(Path(target))


@functools.lru_cache(maxsize=1)
def _assembled_once() -> Path:
    """One copy per process: every synth of the detective stacks points its asset at the same directory."""
    return _assemble(Path(tempfile.mkdtemp(prefix="guardrails-rule-")))


def _assemble(target: Path) -> Path:
    shutil.copytree(LAMBDA_ROOT / "workspace_rule", target / "workspace_rule", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for source in guardrails_modules():
        destination = target / "guardrails" / source.relative_to(PACKAGE_ROOT)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
    copy_sdk(target)
    return target
