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
# CloudFormation accepts at most 1 MB (S3 template URL); 5 MiB leaves room for pretty-printing and comments.
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
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
        if isinstance(metadata, dict):
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
        self._lines: dict[str, int] | None = None
        self.cdk_paths: dict[str, str] = {}  # logical id -> construct path, filled from cdk.out metadata
        self.cdk_acknowledgments: dict[str, list[Acknowledgment]] = {}  # logical id -> acks from cdk.out
        self.stack_name: str | None = None
        self.account: str | None = None  # the stack's literal account (cdk.out environment), when known
        resources = data.get("Resources")
        self.resources_map: Mapping[str, Any] = resources if isinstance(resources, dict) else {}
        params = data.get("Parameters")
        self.parameters: Mapping[str, Any] = params if isinstance(params, dict) else {}

    def resources(self, *types: str) -> Iterator[Resource]:
        for logical_id, definition in self.resources_map.items():
            rtype = definition.get("Type")
            if types and rtype not in types:
                continue
            props = definition.get("Properties")
            yield Resource(logical_id, rtype, props if isinstance(props, dict) else {}, definition, self)

    def resource(self, logical_id: str) -> Resource | None:
        definition = self.resources_map.get(logical_id)
        if not isinstance(definition, dict):
            return None
        props = definition.get("Properties")
        return Resource(logical_id, definition.get("Type"), props if isinstance(props, dict) else {}, definition, self)

    def outputs(self) -> Mapping[str, Any]:
        outputs = self.data.get("Outputs")
        return outputs if isinstance(outputs, dict) else {}

    def line_of(self, logical_id: str) -> int | None:
        """1-based line where the resource's logical id is written, or None when it cannot be found."""
        if self._lines is None:
            self._lines = self._resource_lines()
        return self._lines.get(logical_id)

    def _resource_lines(self) -> dict[str, int]:
        lines: dict[str, int] = {}
        for key in self.resources_map:
            mark = getattr(key, "start_mark", None)
            if mark is not None:  # cfn-lint YAML nodes carry their position
                lines[str(key)] = mark.line + 1
        if lines or self._text is None or self.format != "json":
            return lines
        return _json_resource_lines(self._text)


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]')


_RESOURCES_INDENT = re.compile(r'^[ \t]*"Resources"\s*:\s*\{[ \t]*\r?\n([ \t]*)"', re.MULTILINE)


def _json_resource_lines(text: str) -> dict[str, int]:
    """Lines of the keys directly inside the top-level "Resources" object.

    Pretty-printed templates (cdk.out, most hand-written JSON) put every logical id at one
    indentation: one regular-expression pass finds them. Anything else is tokenized."""
    layout = _RESOURCES_INDENT.search(text)
    if layout is not None:
        lines: dict[str, int] = {}
        line, last = 1, 0
        key = re.compile("^" + re.escape(layout.group(1)) + r'"((?:[^"\\]|\\.)*)"\s*:', re.MULTILINE)
        for match in key.finditer(text, layout.start(1)):
            line += text.count("\n", last, match.start())
            last = match.start()
            raw = match.group(1)
            lines.setdefault(json.loads('"' + raw + '"') if "\\" in raw else raw, line)
        return lines
    return _tokenized_resource_lines(text)


def _tokenized_resource_lines(text: str) -> dict[str, int]:
    """Lines of the keys directly inside the top-level "Resources" object, from strings and brackets only."""
    lines: dict[str, int] = {}
    depth, resources_depth, line, last = 0, None, 1, 0
    for token in _JSON_TOKEN.finditer(text):
        value = token.group()
        if value in "{[":
            depth += 1
        elif value in "}]":
            depth -= 1
            if resources_depth is not None and depth < resources_depth:
                break
        elif resources_depth is None:
            if depth == 1 and value == '"Resources"':
                resources_depth = 2
        elif depth == resources_depth:  # resource definitions are objects, so strings here are logical ids
            line += text.count("\n", last, token.start())
            last = token.start()
            lines.setdefault(json.loads(value), line)
    return lines


def metadata_acknowledgments(metadata: Any) -> list[Acknowledgment]:
    """cdk-nag's `cdk_nag.rules_to_suppress` and our `guardrails.acknowledged` lists."""
    if not isinstance(metadata, dict):
        return []
    found: list[Acknowledgment] = []
    for key, source in (("cdk_nag", "cdk-nag metadata"), ("guardrails", "template metadata")):
        block = metadata.get(key)
        if not isinstance(block, dict):
            continue
        entries = block.get("rules_to_suppress" if key == "cdk_nag" else "acknowledged")
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                reason = entry.get("reason")
                found.append(Acknowledgment(entry["id"], reason if isinstance(reason, str) else "", source))
    return found


def _check_template_shape(path: str, data: Any, fmt: str) -> None:
    if not isinstance(data, dict) or not data:
        raise GuardrailsInputError(path, "not a CloudFormation template: the document is not a non-empty object")
    if not _TEMPLATE_KEYS.intersection(data):
        raise GuardrailsInputError(path, "not a CloudFormation template: no Resources, AWSTemplateFormatVersion or other template section")
    resources = data.get("Resources")
    if resources is None:
        return
    if not isinstance(resources, dict):
        raise GuardrailsInputError(path, "Resources must be an object of logical id -> resource", _line(resources))
    for logical_id, definition in resources.items():
        if not isinstance(definition, dict) or not isinstance(definition.get("Type"), str):
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
            raise GuardrailsInputError(path_str, f"file is {size:,} bytes: CloudFormation accepts templates up to 1 MB and the scanner refuses files over {MAX_TEMPLATE_BYTES:,} bytes")
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
