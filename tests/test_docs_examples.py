"""Every Python example in README.md, and every block marked ```python runnable in docs/*.md, runs as written.

Each block runs in its own interpreter, in an empty directory (no cdk.json, no pyproject.toml), so an
example cannot lean on this repository's settings or on another example's names.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

FENCE = re.compile(r"^```python(?P<info>[^\n]*)\n(?P<code>.*?)^```", re.S | re.M)


def examples() -> list[tuple[str, str]]:
    found = []
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for document in documents:
        text = document.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            runnable = document.name == "README.md" or "runnable" in match.group("info").split()
            if runnable:
                line = text.count("\n", 0, match.start()) + 1
                found.append((f"{document.relative_to(ROOT)}:{line}", match.group("code")))
    return found


EXAMPLES = examples()


def test_the_documents_have_examples():
    names = [name for name, _ in EXAMPLES]
    assert sum(name.startswith("README.md") for name in names) >= 3
    assert any(name.startswith("docs/install.md") for name in names)


@pytest.mark.parametrize("code", [code for _, code in EXAMPLES], ids=[name for name, _ in EXAMPLES])
def test_example_runs_as_written(code, tmp_path):
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "CDK_OUTDIR": str(tmp_path / "cdk.out")})
    assert result.returncode == 0, result.stderr[-3000:]
