"""Find the templates to scan: cdk.out cloud assemblies (stacks, nested stacks, StackSet templates,
stages), template files, standard input, or directories of them; and read the CDK metadata
(construct paths, acknowledgments) that `Validations.of(c).acknowledge(...)` leaves in the assembly.

Every path named or met in a walk becomes a source: a template to scan, or an input error that the
engine reports (exit 2) while it still scans everything else. Nothing is skipped without a word.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

from guardrails.errors import GuardrailsInputError
from guardrails import acknowledgments
from guardrails.acknowledgments import Acknowledgment
from guardrails.template import STDIN, TEMPLATE_SUFFIXES, Template, load_template

ACK_METADATA = "aws:cdk:acknowledged-rules"
# Files a cdk.out or project directory holds that are never templates.
_NOT_TEMPLATES = {"manifest.json", "tree.json", "cdk.json", "cdk.context.json", "package.json", "package-lock.json",
                  "tsconfig.json", "validation-report.json", "policy-validation-report.json"}
_SKIP_DIRS = {".git", "node_modules", ".venv", "__pycache__", ".hypothesis"}
# Templates that are assets of a stack: nested stacks (CDK NestedStack) and cdk-stacksets' StackSet templates.
ASSET_TEMPLATE_SUFFIXES = (".nested.template.json", ".stackset.template.json")
_ASSET_OBJECT_KEY = re.compile(r"[0-9a-f]{64}\.json")  # a file asset's S3 object key: its hash


def _manifest_error(path: str, what: str) -> GuardrailsInputError:
    return GuardrailsInputError(path, f"not a valid cloud assembly: {what}")


class AssemblyMetadata:
    """Construct-path metadata of one cloud assembly directory, merged over its stacks (loaded once)."""

    def __init__(self, directory: str):
        self.directory = directory

    @cached_property
    def _entries_by_artifact(self) -> dict[str, dict[str, list]]:
        """artifact id -> construct path -> metadata entries (inline in manifest.json or in <id>.metadata.json)."""
        by_artifact: dict[str, dict[str, list]] = {}
        manifest_path = os.path.join(self.directory, "manifest.json")
        for artifact_id, artifact in _artifacts(manifest_path).items():
            metadata = artifact.get("metadata") or {}
            if not isinstance(metadata, dict):
                raise _manifest_error(manifest_path, f"artifact {artifact_id!r}: metadata is not an object")
            for path, entries in metadata.items():
                by_artifact.setdefault(artifact_id, {}).setdefault(path, []).extend(entries if isinstance(entries, list) else [])
        for name in sorted(_listdir(self.directory)):
            if name.endswith(".metadata.json"):
                path = os.path.join(self.directory, name)
                data = _read_json(path)
                if not isinstance(data, dict):
                    raise _manifest_error(path, "metadata is not an object of construct path -> entries")
                target = by_artifact.setdefault(name.removesuffix(".metadata.json"), {})
                for construct_path, entries in data.items():
                    target.setdefault(construct_path, []).extend(entries if isinstance(entries, list) else [])
        return by_artifact

    @cached_property
    def asset_templates(self) -> dict[str, str]:
        """S3 object key -> template file, for the templates published as file assets (nested stacks,
        StackSet templates), read from the assembly's asset manifests. Unreadable entries are left out:
        a TemplateURL that cannot be matched is then reported as not examined."""
        found: dict[str, str] = {}
        manifest_path = os.path.join(self.directory, "manifest.json")
        for artifact in _artifacts(manifest_path).values():
            props = artifact.get("properties")
            if artifact.get("type") != "cdk:asset-manifest" or not isinstance(props, dict) or not isinstance(props.get("file"), str):
                continue
            try:
                assets = _read_json(os.path.join(self.directory, props["file"]))
            except GuardrailsInputError:
                continue
            files = assets.get("files") if isinstance(assets, dict) else None
            for asset in (files.values() if isinstance(files, dict) else ()):
                if not isinstance(asset, dict):
                    continue
                source = asset.get("source")
                path = source.get("path") if isinstance(source, dict) else None
                destinations = asset.get("destinations")
                if not (isinstance(path, str) and path.endswith(".template.json") and isinstance(destinations, dict)):
                    continue
                for destination in destinations.values():
                    if isinstance(destination, dict) and isinstance(destination.get("objectKey"), str):
                        found[destination["objectKey"]] = path
        return found

    def template_behind(self, definition: Any) -> str | None:
        """The file in this assembly that a nested stack's or StackSet's TemplateURL publishes, if any."""
        metadata = definition.get("Metadata") if isinstance(definition, dict) else None
        named = metadata.get("aws:asset:path") if isinstance(metadata, dict) else None
        if not isinstance(named, str):
            props = definition.get("Properties") if isinstance(definition, dict) else None
            url = json.dumps(props.get("TemplateURL")) if isinstance(props, dict) else ""
            key = _ASSET_OBJECT_KEY.search(url)
            named = self.asset_templates.get(key.group()) if key else None
        if isinstance(named, str) and named.endswith(".template.json") and "/" not in named and os.sep not in named:
            path = os.path.join(self.directory, named)
            return path if os.path.isfile(path) else None
        return None

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
                    found.setdefault(path, []).extend(acknowledgments.from_cdk(entry["data"]))
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
        """Acknowledgments on the construct and on every scope above it (a stack-level one covers the stack),
        each ranked by its depth so that the most specific decides."""
        return acknowledgments.from_construct_paths(self.acknowledgments, construct_path)


@dataclass
class TemplateSource:
    """One template to scan, and the assembly metadata that goes with it (None outside cdk.out)."""

    path: str
    stack_name: str | None = None
    assembly: AssemblyMetadata | None = None
    explicit: bool = True  # named on the command line: not being a template is an error, not a skip
    dependencies: list[str] = field(default_factory=list)
    error: GuardrailsInputError | None = None  # a path that cannot be scanned: the engine reports it
    account: str | None = None  # from the stack's environment (aws://<account>/<region>), when literal

    def load(self) -> Template:
        if self.error is not None:
            raise self.error
        template = load_template(self.path)
        template.stack_name = self.stack_name
        template.account = self.account
        if self.assembly is not None:
            artifact_id = os.path.basename(self.path).removesuffix(".template.json")
            template.cdk_paths = self.assembly.logical_ids(artifact_id) if not _has_path_metadata(template) else {}
        return template


def _has_path_metadata(template: Template) -> bool:
    """Whether every resource carries its construct path (else the assembly's logical-id map is needed)."""
    return all(isinstance(definition, dict) and isinstance(definition.get("Metadata"), dict)
               and "aws:cdk:path" in definition["Metadata"] for definition in template.resources_map.values())


def _read_json(path: str):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        return {}
    except json.JSONDecodeError as exc:
        raise GuardrailsInputError(path, f"cannot read cloud assembly file: {exc.msg}", exc.lineno) from None
    except (OSError, ValueError, RecursionError) as exc:  # ValueError: bad UTF-8, an integer over 4,300 digits
        raise GuardrailsInputError(path, f"cannot read cloud assembly file: {getattr(exc, 'strerror', None) or exc}") from None


def _listdir(directory: str) -> list[str]:
    try:
        return os.listdir(directory)
    except OSError as exc:
        raise GuardrailsInputError(directory, f"cannot read directory: {exc.strerror or exc}") from None


def _artifacts(manifest_path: str) -> dict[str, dict]:
    """The manifest's artifacts, each checked to be an object with object `properties` and `metadata`."""
    manifest = _read_json(manifest_path)
    artifacts = manifest.get("artifacts", {}) if isinstance(manifest, dict) else None
    if not isinstance(artifacts, dict):
        raise _manifest_error(manifest_path, "the manifest is not an object with an artifacts object")
    for artifact_id, artifact in artifacts.items():
        if not isinstance(artifact, dict):
            raise _manifest_error(manifest_path, f"artifact {artifact_id!r} is not an object")
        for key in ("properties", "metadata"):
            if artifact.get(key) is not None and not isinstance(artifact[key], dict):
                raise _manifest_error(manifest_path, f"artifact {artifact_id!r}: {key} is not an object")
        if not isinstance(artifact.get("dependencies") or [], list):
            raise _manifest_error(manifest_path, f"artifact {artifact_id!r}: dependencies is not a list")
    return artifacts


def is_cloud_assembly(directory: str) -> bool:
    """A directory whose manifest.json is a cloud assembly manifest (a `version` and `artifacts`), not any
    manifest.json (web app manifests, extension manifests... are walked as ordinary directories)."""
    path = os.path.join(directory, "manifest.json")
    if not os.path.isfile(path):
        return False
    manifest = _read_json(path)
    return isinstance(manifest, dict) and isinstance(manifest.get("version"), str) and "artifacts" in manifest


def assembly_sources(directory: str) -> list[TemplateSource]:
    """Every stack of a cloud assembly (and of nested assemblies / stages), dependencies first, then the
    templates published as its assets (nested stacks, StackSet templates). A nested assembly that cannot
    be read is an error source; the rest is still scanned."""
    manifest_path = os.path.join(directory, "manifest.json")
    if not os.path.isdir(directory):
        raise GuardrailsInputError(directory, "cloud assembly directory is missing")
    if not os.path.isfile(manifest_path):
        raise GuardrailsInputError(manifest_path, "cloud assembly has no manifest.json")
    artifacts = _artifacts(manifest_path)
    metadata = AssemblyMetadata(directory)
    sources: list[TemplateSource] = []
    try:
        metadata._entries_by_artifact  # read the metadata once, here, so that a bad file is one clear error
    except GuardrailsInputError as error:
        sources.append(TemplateSource(error.source, error=error))
        metadata = None
    stacks: dict[str, TemplateSource] = {}
    for artifact_id, artifact in artifacts.items():
        kind, props = artifact.get("type"), artifact.get("properties") or {}
        if kind == "aws:cloudformation:stack" and props.get("templateFile"):
            if not isinstance(props["templateFile"], str):
                raise _manifest_error(manifest_path, f"artifact {artifact_id!r}: templateFile is not a string")
            stacks[artifact_id] = TemplateSource(os.path.join(directory, props["templateFile"]),
                                                 _name(props.get("stackName")) or _name(artifact.get("displayName")) or artifact_id,
                                                 metadata, dependencies=[d for d in artifact.get("dependencies") or [] if isinstance(d, str)],
                                                 account=stack_account(artifact))
        elif kind == "cdk:cloud-assembly" and props.get("directoryName"):
            nested = os.path.join(directory, str(props["directoryName"]))
            try:
                sources.extend(assembly_sources(nested))
            except GuardrailsInputError as error:
                sources.append(TemplateSource(nested, error=error))
    sources.extend(_dependency_order(stacks))
    sources.extend(asset_template_sources(directory, metadata, {os.path.normpath(s.path) for s in sources}))
    return sources


def _name(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def asset_template_sources(directory: str, metadata: AssemblyMetadata | None, known: set[str]) -> list[TemplateSource]:
    """Nested stack and StackSet templates in an assembly directory: assets, not manifest artifacts."""
    found = []
    for name in sorted(_listdir(directory)):
        path = os.path.join(directory, name)
        if name.lower().endswith(ASSET_TEMPLATE_SUFFIXES) and os.path.normpath(path) not in known:
            stack = name[: -len(".template.json")] if name.lower().endswith(".stackset.template.json") else None
            found.append(TemplateSource(path, stack, metadata))
    return found


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
    """Resolve command-line paths to template sources. A path that cannot be scanned becomes an error
    source (reported by the engine, exit 2) so that every other path is still scanned. "-" is standard
    input. The same file reached twice (named twice, or through a symlink) is scanned once."""
    sources: list[TemplateSource] = []
    for raw in paths:
        try:
            sources.extend(_discover_one(raw))
        except GuardrailsInputError as error:
            sources.append(TemplateSource(raw, error=error))
    return _unique(sources)


def _discover_one(raw: str) -> list[TemplateSource]:
    if raw == STDIN:
        return [TemplateSource(STDIN)]
    path = Path(raw)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise GuardrailsInputError(raw, "no such file or directory" if not path.exists() and not path.is_symlink()
                                   else f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISREG(mode):
        return [TemplateSource(str(path))]
    if not stat.S_ISDIR(mode):
        raise GuardrailsInputError(raw, "not a regular file or directory (a named pipe, socket or device is never read)")
    if not os.access(path, os.R_OK | os.X_OK):
        raise GuardrailsInputError(raw, "directory cannot be read")
    if is_cloud_assembly(str(path)):
        return assembly_sources(str(path))
    return _walk(path)


def _unique(sources: list[TemplateSource]) -> list[TemplateSource]:
    seen: set = set()
    unique = []
    for source in sources:
        key = ("error", source.path, str(source.error)) if source.error else os.path.realpath(source.path) if source.path != STDIN else STDIN
        if key not in seen:
            seen.add(key)
            unique.append(source)
    return unique


def _is_template_name(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(TEMPLATE_SUFFIXES) and lower not in _NOT_TEMPLATES and not lower.endswith((".assets.json", ".metadata.json"))


def _walk(root: Path) -> list[TemplateSource]:
    """Templates under a directory, following symlinked subdirectories (each real directory once), with
    an error source for every directory that cannot be read and every template-named entry that is not a
    regular file. A subdirectory holding a cloud assembly manifest is read as an assembly."""
    found: list[TemplateSource] = []
    visited: set[str] = set()

    def unreadable(exc: OSError) -> None:
        where = exc.filename or str(root)
        found.append(TemplateSource(where, error=GuardrailsInputError(where, f"cannot read directory: {exc.strerror or exc}")))

    for directory, subdirs, files in os.walk(root, onerror=unreadable, followlinks=True):
        real = os.path.realpath(directory)
        if real in visited:  # a symlink back into the tree: already walked
            subdirs[:] = []
            continue
        visited.add(real)
        if "manifest.json" in files and Path(directory) != root:
            try:
                if is_cloud_assembly(directory):
                    found.extend(assembly_sources(directory))
                    subdirs[:] = []
                    continue
            except GuardrailsInputError as error:
                found.append(TemplateSource(error.source, error=error))
                subdirs[:] = []
                continue
        subdirs[:] = sorted(d for d in subdirs if d not in _SKIP_DIRS)
        for name in sorted(files):
            if not _is_template_name(name):
                continue
            path = os.path.join(directory, name)
            try:
                mode = os.stat(path).st_mode
            except OSError as exc:
                found.append(TemplateSource(path, error=GuardrailsInputError(path, f"cannot read: {exc.strerror or exc}")))
                continue
            if not stat.S_ISREG(mode):
                found.append(TemplateSource(path, error=GuardrailsInputError(
                    path, "not a regular file (a named pipe, socket or device is never read)")))
            else:
                found.append(TemplateSource(path, explicit=False))
    return found


def _manifest_artifacts(directory: str) -> dict:
    manifest = _read_json(os.path.join(directory, "manifest.json"))
    artifacts = manifest.get("artifacts") if isinstance(manifest, dict) else None
    return artifacts if isinstance(artifacts, dict) else {}


def sources_for_template_paths(template_paths: Iterable[str]) -> list[TemplateSource]:
    """Sources for the templates CDK hands a validation plugin, with their assembly metadata, plus the
    nested stack and StackSet templates next to them (CDK hands a plugin only the stacks' own templates)."""
    assemblies: dict[str, AssemblyMetadata] = {}
    sources = []
    for path in template_paths:
        directory = os.path.dirname(os.path.abspath(path))
        assembly = assemblies.setdefault(directory, AssemblyMetadata(directory))
        stack = os.path.basename(path).removesuffix(".template.json")
        artifact = _manifest_artifacts(directory).get(stack)
        sources.append(TemplateSource(path, stack, assembly, account=stack_account(artifact) if isinstance(artifact, dict) else None))
    known = {os.path.normpath(os.path.abspath(s.path)) for s in sources}
    for directory, assembly in assemblies.items():
        try:
            sources.extend(asset_template_sources(directory, assembly, known))
        except GuardrailsInputError as error:
            sources.append(TemplateSource(directory, error=error))
    return _unique(sources)
