"""The repository is self-contained: a fresh clone with nothing beside it passes `make test`.

No test, source, build or CI file may name a path outside the repository: a parent-relative path
(`../x`, `ROOT.parent`, `.parent.parent` climbing above the root) or an absolute path into a machine's
work area or home. Test data that comes from elsewhere is vendored under tests/ with its origin.
"""

from __future__ import annotations

import re
import subprocess

from tests.conftest import ROOT, SARIF_SCHEMA

# Patterns that reach outside the checkout: each is what a test once did here (a parent-relative path to the
# sibling folder of shared documents, an absolute path into a machine's work area) or its general form. The
# sibling folder's name is assembled, so that this file does not match the patterns it defines.
SIBLING = "sha" + "red"
OUTSIDE = [
    re.compile(r"(?<!\.)\.\./"),  # ../something (not the .../ of an ellipsis)
    re.compile(r"\bROOT\s*\.\s*parent\b"),  # the repository root's parent
    re.compile(r"['\"]/(?:work|root|home|Users|tmp/[A-Za-z])[^'\"]*['\"]"),
    re.compile(SIBLING + "/schemas"),
]
# Code and build files: what runs or is read when tests run. Recorded data (benchmark results, templates)
# may quote the paths of the machine it was made on without reading them.
CHECKED_SUFFIXES = {".py", ".toml", ".cfg", ".ini", ".sh", ".mk"}
CHECKED_NAMES = {"Makefile", "run", "cdk.json", "package.json"}
# Documentation may quote other projects' layouts; this test, which spells the patterns, is exempt.
EXEMPT = {"tests/test_self_contained.py"}


def tracked_files() -> list[str]:
    if (ROOT / ".git").exists():
        listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout.split()
    else:  # an unpacked sdist: every file but installed environments and caches
        skipped = {".venv", "node_modules", "__pycache__", "cdk.out", ".hypothesis", "build"}
        listed = [path.relative_to(ROOT).as_posix() for path in ROOT.rglob("*")
                  if path.is_file() and not skipped & set(path.relative_to(ROOT).parts[:-1])
                  and not path.relative_to(ROOT).parts[0].endswith(".egg-info")]
    return [name for name in listed if name not in EXEMPT and (ROOT / name).is_file()]


def is_checked(name: str) -> bool:
    path = ROOT / name
    if name.startswith(("tests/", "guardrails/", "benchmarks/", ".ci/")) or "/" not in name:
        return path.suffix in CHECKED_SUFFIXES or path.name in CHECKED_NAMES
    return False


def test_no_file_refers_to_a_path_outside_the_repository():
    offenders = []
    for name in tracked_files():
        if not is_checked(name) or (ROOT / name).stat().st_size > 2_000_000:
            continue
        text = (ROOT / name).read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if any(pattern.search(line) for pattern in OUTSIDE):
                offenders.append(f"{name}:{number}: {line.strip()[:120]}")
    assert not offenders, "paths outside the repository:\n" + "\n".join(offenders)


def test_the_check_catches_what_broke_a_fresh_clone_before():
    bad_lines = [f'SARIF_SCHEMA = ROOT.parent / "{SIBLING}" / "schemas" / "x.json"',
                 f'SARIF_SCHEMA = "/work/{SIBLING}/schemas/sarif-schema-2.1.0.json"',
                 f'open("../{SIBLING}/AWS-FACTS.md")']
    for line in bad_lines:
        assert any(pattern.search(line) for pattern in OUTSIDE), line
    fine_lines = ['"see .../fail/ below"', "PACKAGE_ROOT.parent  # the repository itself"]
    for line in fine_lines:
        assert not any(pattern.search(line) for pattern in OUTSIDE), line


def test_sarif_schema_is_vendored_inside_the_repository_with_its_origin():
    assert SARIF_SCHEMA.is_relative_to(ROOT) and SARIF_SCHEMA.is_file()
    assert (SARIF_SCHEMA.parent / "ORIGIN.md").read_text().count("oasis-tcs/sarif-spec") >= 1


def shipped_symlinks() -> list[str]:
    """Symlinks git tracks (mode 120000), or in an unpacked sdist every symlink but those of installed environments."""
    if (ROOT / ".git").exists():
        listed = subprocess.run(["git", "ls-files", "-s"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
        return [line.split("\t", 1)[1] for line in listed.splitlines() if line.startswith("120000 ")]
    skipped = {".venv", "node_modules", "__pycache__", "cdk.out", ".hypothesis", "build"}
    return [path.relative_to(ROOT).as_posix() for path in ROOT.rglob("*")
            if path.is_symlink() and not skipped & set(path.relative_to(ROOT).parts)]


def test_no_shipped_file_is_a_symlink_out_of_the_repository():
    """A worktree's .venv symlink was committed once; a fresh clone would point at a machine's path."""
    outside = [name for name in shipped_symlinks() if not (ROOT / name).resolve().is_relative_to(ROOT)]
    assert not outside, outside
