"""The real cfn-guard binary, taken from the installed cdklabs-cdk-validator-cfnguard wheel (never downloaded)."""

from __future__ import annotations

import hashlib
import os
import platform
import stat
import tarfile
from importlib import metadata
from pathlib import Path

_MEMBER = {("Linux", "x86_64"): "package/bin/ubuntu/x86_64/cfn-guard",
           ("Linux", "aarch64"): "package/bin/ubuntu/aarch64/cfn-guard",
           ("Darwin", "x86_64"): "package/bin/macos/x86_64/cfn-guard",
           ("Darwin", "arm64"): "package/bin/macos/aarch64/cfn-guard"}


def _tarball() -> Path:
    # Located through the wheel's file list: importing the package would start a Node process.
    dist = metadata.distribution("cdklabs.cdk-validator-cfnguard")
    found = sorted(Path(str(dist.locate_file(f))) for f in dist.files or ()
                   if f.name.startswith("cdk-validator-cfnguard@") and f.name.endswith(".jsii.tgz"))
    if not found:
        raise FileNotFoundError("cdklabs-cdk-validator-cfnguard is installed without its jsii tarball")
    return found[-1]


def cfn_guard_path(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """Extract the binary for this platform once (keyed by the tarball's hash) and return its path."""
    member = _MEMBER.get((platform.system(), platform.machine()))
    if member is None:
        raise RuntimeError(f"the wheel ships no cfn-guard for {platform.system()} {platform.machine()}")
    tarball = _tarball()
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()[:16]
    base = Path(cache_dir or os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "bedrock-cmk-guardrails"
    target = base / f"cfn-guard-{digest}" / "cfn-guard"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball) as archive:
        source = archive.extractfile(member)
        if source is None:
            raise FileNotFoundError(f"{member} is not in {tarball.name}")
        partial = target.with_suffix(".partial")
        partial.write_bytes(source.read())
    partial.chmod(partial.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP)
    partial.replace(target)  # atomic: parallel test workers never see half a binary
    return target
