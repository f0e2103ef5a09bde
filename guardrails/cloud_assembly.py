"""Find the templates to scan: cdk.out cloud assemblies (stacks, nested stacks, stages), template
files, or directories of them; and read the CDK metadata (construct paths, acknowledgments) that
`Validations.of(c).acknowledge(...)` leaves in the assembly.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable

from guardrails.errors import GuardrailsInputError
from guardrails.template import TEMPLATE_SUFFIXES, Acknowledgment, Template, load_template

ACK_METADATA = "aws:cdk:acknowledged-rules"
# Files a cdk.out or project directory holds that are never templates.
_NOT_TEMPLATES = {"manifest.json", "tree.json", "cdk.json", "cdk.context.json", "package.json", "package-lock.json",
                  "tsconfig.json", "validation-report.json", "policy-validation-report.json"}
_SKIP_DIRS = {".git", "node_modules", ".venv", "__pycache__", ".hypothesis"}


class AssemblyMetadata:
    """Construct-path metadata of one cloud assembly directory, merged over its stacks (loaded once)."""

    def __init__(self, directory: str):
        self.directory = directory

    @cached_property
    def _entries_by_artifact(self) -> dict[str, dict[str, list]]:
        """artifact id -> construct path -> metadata entries (inline in manifest.json or in <id>.metadata.json)."""
        by_artifact: dict[str, dict[str, list]] = {}
        manifest = _read_json(os.path.join(self.directory, "manifest.json"))
        artifacts = manifest.get("artifacts", {}) if isinstance(manifest, dict) else {}
        for artifact_id, artifact in artifacts.items():
            for path, entries in (artifact.get("metadata") or {}).items():
                by_artifact.setdefault(artifact_id, {}).setdefault(path, []).extend(entries)
        for name in sorted(os.listdir(self.directory)):
            if name.endswith(".metadata.json"):
                data = _read_json(os.path.join(self.directory, name))
                target = by_artifact.setdefault(name.removesuffix(".metadata.json"), {})
                for path, entries in (data.items() if isinstance(data, dict) else ()):
                    target.setdefault(path, []).extend(entries if isinstance(entries, list) else [])
        return by_artifact

    @cached_property
    def _entries(self) -> dict[str, list]:
        """Construct paths are unique across an assembly, so acknowledgments can be merged over stacks."""
        merged: dict[str, list] = {}
        for entries_by_path in self._entries_by_artifact.values():
            for path, entries in entries_by_path.items():
                merged.setdefault(path, []).extend(entries)
        return merged

    @cached_property
    def acknowledgments(self) -> dict[str, list[Acknowledgment]]:
        found: dict[str, list[Acknowledgment]] = {}
        for path, entries in self._entries.items():
            for entry in entries:
                if isinstance(entry, dict) and entry.get("type") == ACK_METADATA and isinstance(entry.get("data"), dict):
                    found.setdefault(path, []).extend(
                        Acknowledgment(rule_id, reason if isinstance(reason, str) else "", "cdk")
                        for rule_id, reason in entry["data"].items())
        return found

    def logical_ids(self, artifact_id: str) -> dict[str, str]:
        """logical id -> construct path within one stack (for templates written without aws:cdk:path metadata).

        Logical ids repeat across stacks, so only the stack's own metadata is used."""
        found: dict[str, str] = {}
        for path, entries in self._entries_by_artifact.get(artifact_id, {}).items():
            for entry in entries:
                if isinstance(entry, dict) and entry.get("type") == "aws:cdk:logicalId" and isinstance(entry.get("data"), str):
                    found.setdefault(entry["data"], path.lstrip("/"))
        return found

    def acknowledgments_for(self, construct_path: str | None) -> list[Acknowledgment]:
        """Acknowledgments on the construct and on every scope above it (a stack-level one covers the stack)."""
        if not construct_path:
            return []
        parts = construct_path.strip("/").split("/")
        found: list[Acknowledgment] = []
        for depth in range(1, len(parts) + 1):
            found.extend(self.acknowledgments.get("/" + "/".join(parts[:depth]), ()))
        return found


@dataclass
class TemplateSource:
    """One template to scan, and the assembly metadata that goes with it (None outside cdk.out)."""

    path: str
    stack_name: str | None = None
    assembly: AssemblyMetadata | None = None
    explicit: bool = True  # named on the command line: not being a template is an error, not a skip
    dependencies: list[str] = field(default_factory=list)
    account: str | None = None  # from the stack's environment (aws://<account>/<region>), when literal

    def load(self) -> Template:
        template = load_template(self.path)
        template.stack_name = self.stack_name
        template.account = self.account
        if self.assembly is not None:
            artifact_id = os.path.basename(self.path).removesuffix(".template.json")
            template.cdk_paths = self.assembly.logical_ids(artifact_id) if not _has_path_metadata(template) else {}
        return template


def _has_path_metadata(template: Template) -> bool:
    for definition in template.resources_map.values():
        metadata = definition.get("Metadata") if isinstance(definition, dict) else None
        return isinstance(metadata, dict) and "aws:cdk:path" in metadata
    return True


def _read_json(path: str):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise GuardrailsInputError(path, f"cannot read cloud assembly file: {getattr(exc, 'msg', exc)}", line) from None


def assembly_sources(directory: str) -> list[TemplateSource]:
    """Every stack of a cloud assembly (and of nested assemblies / stages), dependencies first."""
    manifest = _read_json(os.path.join(directory, "manifest.json"))
    if not isinstance(manifest, dict) or not isinstance(manifest.get("artifacts", {}), dict):
        raise GuardrailsInputError(os.path.join(directory, "manifest.json"), "not a cloud assembly manifest")
    metadata = AssemblyMetadata(directory)
    stacks: dict[str, TemplateSource] = {}
    sources: list[TemplateSource] = []
    for artifact_id, artifact in manifest.get("artifacts", {}).items():
        kind, props = artifact.get("type"), artifact.get("properties") or {}
        if kind == "aws:cloudformation:stack" and props.get("templateFile"):
            stacks[artifact_id] = TemplateSource(os.path.join(directory, props["templateFile"]),
                                                 props.get("stackName") or artifact.get("displayName") or artifact_id,
                                                 metadata, dependencies=list(artifact.get("dependencies") or []),
                                                 account=stack_account(artifact))
        elif kind == "cdk:cloud-assembly" and props.get("directoryName"):
            sources.extend(assembly_sources(os.path.join(directory, props["directoryName"])))
    sources.extend(_dependency_order(stacks))
    known = {os.path.normpath(s.path) for s in sources}
    for name in sorted(os.listdir(directory)):  # nested stacks are assets, not manifest artifacts
        path = os.path.join(directory, name)
        if name.endswith(".nested.template.json") and os.path.normpath(path) not in known:
            sources.append(TemplateSource(path, None, metadata))
    return sources


def stack_account(artifact: dict) -> str | None:
    """The literal account of a stack artifact's environment ("aws://111111111111/us-east-1"); None when
    environment-agnostic ("aws://unknown-account/...")."""
    environment = artifact.get("environment")
    match = re.fullmatch(r"aws://(\d{12})/[a-z0-9-]+", environment) if isinstance(environment, str) else None
    return match.group(1) if match else None


def _dependency_order(stacks: dict[str, TemplateSource]) -> list[TemplateSource]:
    """Exporting stacks first, so imports resolve without holding templates back."""
    ordered, seen = [], set()

    def visit(artifact_id: str, trail: frozenset) -> None:
        if artifact_id in seen or artifact_id not in stacks or artifact_id in trail:
            return
        for dependency in stacks[artifact_id].dependencies:
            visit(dependency, trail | {artifact_id})
        seen.add(artifact_id)
        ordered.append(stacks[artifact_id])

    for artifact_id in stacks:
        visit(artifact_id, frozenset())
    return ordered


def discover(paths: Iterable[str]) -> list[TemplateSource]:
    """Resolve command-line paths to template sources, raising GuardrailsInputError for bad paths."""
    sources: list[TemplateSource] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise GuardrailsInputError(raw, "no such file or directory")
        if path.is_file():
            sources.append(TemplateSource(str(path)))
        elif (path / "manifest.json").is_file():
            sources.extend(assembly_sources(str(path)))
        elif path.is_dir():
            if not os.access(path, os.R_OK | os.X_OK):
                raise GuardrailsInputError(raw, "directory cannot be read")
            sources.extend(_walk(path))
        else:
            raise GuardrailsInputError(raw, "not a regular file or directory")
    return sources


def _walk(root: Path) -> list[TemplateSource]:
    found: list[TemplateSource] = []
    for directory, subdirs, files in os.walk(root):
        if "manifest.json" in files and Path(directory) != root:
            found.extend(assembly_sources(directory))
            subdirs[:] = []
            continue
        subdirs[:] = sorted(d for d in subdirs if d not in _SKIP_DIRS)
        for name in sorted(files):
            if (name.endswith(TEMPLATE_SUFFIXES) and name not in _NOT_TEMPLATES
                    and not name.endswith((".assets.json", ".metadata.json"))):
                found.append(TemplateSource(os.path.join(directory, name), explicit=False))
    return found


def _manifest_artifacts(directory: str) -> dict:
    manifest = _read_json(os.path.join(directory, "manifest.json"))
    artifacts = manifest.get("artifacts") if isinstance(manifest, dict) else None
    return artifacts if isinstance(artifacts, dict) else {}


def sources_for_template_paths(template_paths: Iterable[str]) -> list[TemplateSource]:
    """Sources for the templates CDK hands a validation plugin, with their assembly metadata."""
    assemblies: dict[str, AssemblyMetadata] = {}
    sources = []
    for path in template_paths:
        directory = os.path.dirname(os.path.abspath(path))
        assembly = assemblies.setdefault(directory, AssemblyMetadata(directory))
        stack = os.path.basename(path).removesuffix(".template.json")
        artifact = _manifest_artifacts(directory).get(stack)
        sources.append(TemplateSource(path, stack, assembly, account=stack_account(artifact) if isinstance(artifact, dict) else None))
    return sources
