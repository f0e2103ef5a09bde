"""The custom rule's Lambda code: lambda/workspace_rule plus exactly the `guardrails` modules it
imports (found by following imports, so nothing that needs aws_cdk is shipped), assembled into a
directory at synth time. Plain Python: no Docker, no pip."""

from __future__ import annotations

import modulefinder
import shutil
import tempfile
from pathlib import Path

import guardrails

LAMBDA_ROOT = Path(__file__).parent / "lambda"
PACKAGE_ROOT = Path(guardrails.__file__).parent
HANDLER = "workspace_rule.handler.lambda_handler"


def guardrails_modules() -> list[Path]:
    """The files of every `guardrails` module the handler imports, directly or not."""
    finder = modulefinder.ModuleFinder(path=[str(LAMBDA_ROOT), str(PACKAGE_ROOT.parent)])
    finder.import_hook("workspace_rule.handler")
    files = {Path(m.__file__) for name, m in finder.modules.items()
             if (name == "guardrails" or name.startswith("guardrails.")) and m.__file__}
    return sorted(files)


def assemble(target: Path | None = None) -> Path:
    target = Path(target or tempfile.mkdtemp(prefix="guardrails-rule-"))
    shutil.copytree(LAMBDA_ROOT / "workspace_rule", target / "workspace_rule", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for source in guardrails_modules():
        destination = target / "guardrails" / source.relative_to(PACKAGE_ROOT)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
    return target
