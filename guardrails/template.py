"""A CloudFormation template as data.

Loads JSON or YAML (short-form intrinsics through cfn-lint's maintained decoder), rejects what is
not a template with a message that names the file and line, and reads what rules and reports need
from Metadata: the cdk path and acknowledgments (cdk-nag's `rules_to_suppress` and our own
`guardrails: acknowledged`). Line numbers are looked up lazily, only for resources with findings.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping

from guardrails.errors import GuardrailsInputError

TEMPLATE_SUFFIXES = (".json", ".yaml", ".yml", ".template")
MAX_TEMPLATE_BYTES = 50 * 1024 * 1024  # far above CloudFormation's 1 MB limit: a guard against runaway input
_TEMPLATE_KEYS = {"Resources", "AWSTemplateFormatVersion", "Transform", "Parameters", "Outputs", "Conditions",
                  "Mappings", "Metadata", "Description", "Rules", "Hooks", "Globals"}


@dataclass(frozen=True)
class Acknowledgment:
    """An accepted exception: a rule id (possibly with `[detail]`) and the reason given for it."""

    rule_id: str
    reason: str
    source: str  # where it was declared: "cdk", "cdk-nag metadata" or "template metadata"


@dataclass
class Resource:
    logical_id: str
    type: str
    properties: Mapping[str, Any]
    definition: Mapping[str, Any]
    template: "Template"

    @property
    def cdk_path(self) -> str | None:
        metadata = self.definition.get("Metadata")
        if isinstance(metadata, Mapping):
            path = metadata.get("aws:cdk:path")
            if isinstance(path, str):
                return path
        return self.template.cdk_paths.get(self.logical_id)

    def acknowledgments(self) -> list[Acknowledgment]:
        """Acknowledgments written into the template's Metadata for this resource."""
        return metadata_acknowledgments(self.definition.get("Metadata"))


class Template:
    """One parsed template. `data` is the document; `path` where it came from."""

    def __init__(self, path: str, data: Mapping[str, Any], text: str | None = None, fmt: str = "json"):
        self.path = path
        self.data = data
        self.format = fmt
        self._text = text
        self.cdk_paths: dict[str, str] = {}  # logical id -> construct path, filled from cdk.out metadata
        self.cdk_acknowledgments: dict[str, list[Acknowledgment]] = {}  # logical id -> acks from cdk.out
        self.stack_name: str | None = None
        resources = data.get("Resources")
        self.resources_map: Mapping[str, Any] = resources if isinstance(resources, Mapping) else {}
        params = data.get("Parameters")
        self.parameters: Mapping[str, Any] = params if isinstance(params, Mapping) else {}

    def resources(self, *types: str) -> Iterator[Resource]:
        for logical_id, definition in self.resources_map.items():
            rtype = definition.get("Type")
            if types and rtype not in types:
                continue
            props = definition.get("Properties")
            yield Resource(logical_id, rtype, props if isinstance(props, Mapping) else {}, definition, self)

    def resource(self, logical_id: str) -> Resource | None:
        definition = self.resources_map.get(logical_id)
        if not isinstance(definition, Mapping):
            return None
        props = definition.get("Properties")
        return Resource(logical_id, definition.get("Type"), props if isinstance(props, Mapping) else {}, definition, self)

    def outputs(self) -> Mapping[str, Any]:
        outputs = self.data.get("Outputs")
        return outputs if isinstance(outputs, Mapping) else {}

    def line_of(self, logical_id: str) -> int | None:
        """1-based line where the resource is defined, or None when it cannot be found."""
        node = self.resources_map.get(logical_id)
        mark = getattr(node, "start_mark", None)
        if mark is not None:  # cfn-lint YAML nodes carry their position
            return mark.line + 1
        if self._text is None:
            return None
        start = self._text.find('"Resources"')
        match = re.compile(r'"' + re.escape(logical_id) + r'"\s*:\s*\{').search(self._text, max(start, 0))
        if match is None:
            return None
        return self._text.count("\n", 0, match.start()) + 1


def metadata_acknowledgments(metadata: Any) -> list[Acknowledgment]:
    """cdk-nag's `cdk_nag.rules_to_suppress` and our `guardrails.acknowledged` lists."""
    if not isinstance(metadata, Mapping):
        return []
    found: list[Acknowledgment] = []
    for key, source in (("cdk_nag", "cdk-nag metadata"), ("guardrails", "template metadata")):
        block = metadata.get(key)
        if not isinstance(block, Mapping):
            continue
        entries = block.get("rules_to_suppress" if key == "cdk_nag" else "acknowledged")
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
                reason = entry.get("reason")
                found.append(Acknowledgment(entry["id"], reason if isinstance(reason, str) else "", source))
    return found


def _check_template_shape(path: str, data: Any, fmt: str) -> None:
    if not isinstance(data, Mapping) or not data:
        raise GuardrailsInputError(path, "not a CloudFormation template: the document is not a non-empty object")
    if not _TEMPLATE_KEYS.intersection(data):
        raise GuardrailsInputError(path, "not a CloudFormation template: no Resources, AWSTemplateFormatVersion or other template section")
    resources = data.get("Resources")
    if resources is None:
        return
    if not isinstance(resources, Mapping):
        raise GuardrailsInputError(path, "Resources must be an object of logical id -> resource", _line(resources))
    for logical_id, definition in resources.items():
        if not isinstance(definition, Mapping) or not isinstance(definition.get("Type"), str):
            raise GuardrailsInputError(path, f"resource {logical_id!r} has no Type string", _line(definition) or _line(logical_id))


def _line(node: Any) -> int | None:
    mark = getattr(node, "start_mark", None)
    return mark.line + 1 if mark is not None else None


def parse_template(path: str, text: str) -> Template:
    """Parse template text (JSON first when it looks like JSON, else YAML) or raise GuardrailsInputError."""
    stripped = text.lstrip()
    if not stripped:
        raise GuardrailsInputError(path, "empty file: not a CloudFormation template")
    if stripped[0] == "{":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise GuardrailsInputError(path, f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
        except RecursionError:
            raise GuardrailsInputError(path, "invalid JSON: nested too deeply to be a template") from None
        fmt = "json"
    else:
        data = _parse_yaml(path, text)
        fmt = "yaml"
    _check_template_shape(path, data, fmt)
    return Template(path, data, text, fmt)


def _parse_yaml(path: str, text: str) -> Any:
    import yaml
    from cfnlint.decode import cfn_yaml  # lazy: only YAML pays for cfn-lint's import

    try:
        return cfn_yaml.loads(text, path)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise GuardrailsInputError(path, f"invalid YAML: {problem}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise GuardrailsInputError(path, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise GuardrailsInputError(path, "invalid YAML: nested too deeply to be a template") from None
    except Exception as exc:  # cfn-lint raises its own types for duplicate keys and bad tags
        matches = getattr(exc, "matches", None)
        if matches:
            first = matches[0]
            raise GuardrailsInputError(path, f"invalid YAML: {first.message}", getattr(first, "linenumber", None)) from None
        raise GuardrailsInputError(path, f"invalid YAML: {exc}") from None


def load_template(path: str | Path) -> Template:
    """Read and parse one template file, with a clear error for unreadable, binary or huge files."""
    path_str = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_TEMPLATE_BYTES:
            raise GuardrailsInputError(path_str, f"file is {size} bytes, more than the {MAX_TEMPLATE_BYTES} bytes a template may have")
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise GuardrailsInputError(path_str, f"cannot read: {exc.strerror or exc}") from None
    if b"\x00" in raw[:8192]:
        raise GuardrailsInputError(path_str, "binary file: not a CloudFormation template")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise GuardrailsInputError(path_str, "not UTF-8 text: not a CloudFormation template", line) from None
    return parse_template(path_str, text)
