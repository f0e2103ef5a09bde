"""Every relative link in README.md and docs/ leads somewhere: the README is short and sends readers to docs/,
so a moved or renamed page must not leave a dead link behind."""

from __future__ import annotations

import re

from tests.conftest import ROOT

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def test_relative_links_resolve():
    broken = []
    for document in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        for target in LINK.findall(document.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = (document.parent / target.split("#", 1)[0]).resolve()
            if not path.exists():
                broken.append(f"{document.relative_to(ROOT)} -> {target}")
    assert not broken, "\n".join(broken)


def test_readme_stays_short():
    """What a newcomer reads first: what it is, install, the user paths, links (the depth is in docs/)."""
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) < 250
