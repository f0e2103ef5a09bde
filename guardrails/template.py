"""A CloudFormation template as data.

Loads JSON or YAML (short-form intrinsics through cfn-lint's maintained decoder), rejects what is
not a template with a message that names the file and line, and reads what rules and reports need
from Metadata: the cdk path and acknowledgments (cdk-nag's `rules_to_suppress` and our own
`guardrails: acknowledged`). Line numbers are looked up lazily, only for resources with findings.
"""

from __future__ import annotations

import json
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping

from guardrails.acknowledgments import RESOURCE_SCOPE, Acknowledgment, from_metadata
from guardrails.errors import GuardrailsInputError

TEMPLATE_SUFFIXES = (".json", ".yaml", ".yml", ".template")  # compared case-insensitively: .JSON is JSON
STDIN = "-"  # `guardrails scan -` reads one template from standard input
STDIN_NAME = "<stdin>"
STACK_SET_TYPE = "AWS::CloudFormation::StackSet"
LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"
# A StackSet's TemplateBody is scanned as its own template; its findings name it with this JSON-pointer
# fragment after the file (RFC 6901 in a URI fragment), e.g. `app.json#/Resources/Set/Properties/TemplateBody`.
EMBEDDED_MARK = "#/Resources/"
_MAX_EMBEDDING = 8  # StackSet bodies inside StackSet bodies: deeper than this is refused as input
# CloudFormation accepts at most 1 MB (S3 template URL); 5 MiB leaves room for pretty-printing and comments.
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
_TEMPLATE_KEYS = {"Resources", "AWSTemplateFormatVersion", "Transform", "Parameters", "Outputs", "Conditions",
                  "Mappings", "Metadata", "Description", "Rules", "Hooks", "Globals"}


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
        return from_metadata(self.definition.get("Metadata"), RESOURCE_SCOPE)


class Template:
    """One parsed template. `data` is the document; `path` where it came from."""

    def __init__(self, path: str, data: Mapping[str, Any], text: str | None = None, fmt: str = "json",
                 parent: "tuple[Template, str] | None" = None):
        self.path = path
        self.data = data
        self.format = fmt
        self._text = text
        self._lines: dict[str, int] | None = None
        self.cdk_paths: dict[str, str] = {}  # logical id -> construct path, filled from cdk.out metadata
        self.stack_name: str | None = None
        self.parent = parent  # (template, StackSet logical id) when this is a StackSet's TemplateBody
        self.account: str | None = None  # the stack's literal account (cdk.out environment), when known
        resources = data.get("Resources")
        resources = resources if isinstance(resources, dict) else {}
        # An AWS::Include snippet spliced into Resources is not a resource (it is reported as not examined).
        self.resources_map: Mapping[str, Any] = (
            {k: v for k, v in resources.items() if k != "Fn::Transform"} if "Fn::Transform" in resources else resources)
        params = data.get("Parameters")
        self.parameters: Mapping[str, Any] = params if isinstance(params, dict) else {}
        self.embedded: list[Template] = []  # StackSet TemplateBody templates, filled by parse_template
        self.uses_transform_function = False  # Fn::Transform (AWS::Include or a macro) somewhere in the text
        self.expanded_for_each: list[str] = []  # Fn::ForEach loops over deploy-time values, expanded with defaults

    def resources(self, *types: str) -> Iterator[Resource]:
        """Resources of this template, then those of the StackSet bodies it holds (each in its own template).

        With types, only resources of those types: the others are never made into Resource objects."""
        wanted = frozenset(types)
        for logical_id, definition in self.resources_map.items():
            rtype = definition.get("Type")
            if wanted and rtype not in wanted:
                continue
            props = definition.get("Properties")
            yield Resource(logical_id, rtype, props if isinstance(props, dict) else {}, definition, self)
        for body in self.embedded:
            yield from body.resources(*types)

    def resource_count(self) -> int:
        """How many resources `resources()` yields: this template's and its StackSet bodies'."""
        return len(self.resources_map) + sum(body.resource_count() for body in self.embedded)

    def resource(self, logical_id: str) -> Resource | None:
        definition = self.resources_map.get(logical_id)
        if not isinstance(definition, dict):
            return None
        props = definition.get("Properties")
        return Resource(logical_id, definition.get("Type"), props if isinstance(props, dict) else {}, definition, self)

    def outputs(self) -> Mapping[str, Any]:
        outputs = self.data.get("Outputs")
        return outputs if isinstance(outputs, dict) else {}

    @property
    def file(self) -> str:
        """The file this template was read from (a StackSet body lives inside its parent's file)."""
        return self.parent[0].file if self.parent else self.path

    def line_of(self, logical_id: str) -> int | None:
        """1-based line where the resource's logical id is written, or None when it cannot be found.

        A StackSet body is a string inside its parent: its resources are located at the StackSet."""
        if self.parent is not None:
            return self.parent[0].line_of(self.parent[1])
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
    indentation: one regular-expression pass finds them. Anything else is tokenized. The pattern
    starts with the newline itself, not a MULTILINE `^` (the same positions: `^` matches only after
    a newline here): a literal prefix lets the regex engine skip to candidates instead of trying
    every character of the text."""
    start = _top_level_resources(text)
    if start is None:
        return {}
    layout = _RESOURCES_INDENT.match(text, text.rfind("\n", 0, start) + 1)
    if layout is not None:
        lines: dict[str, int] = {}
        line, last = 1, 0
        key = re.compile("\n" + re.escape(layout.group(1)) + r'"([^"\\]*(?:\\.[^"\\]*)*)"\s*:')  # a string, loop unrolled
        for match in key.finditer(text, layout.start(1) - 1):  # from the newline before the first logical id
            at = match.start() + 1  # the line starts after the newline
            line += text.count("\n", last, at)
            last = at
            raw = match.group(1)
            lines.setdefault(json.loads('"' + raw + '"') if "\\" in raw else raw, line)
        return lines
    return _tokenized_resource_lines(text, start)


def _top_level_resources(text: str) -> int | None:
    """Offset of the top-level "Resources" key (a nested object may have a "Resources" key of its own)."""
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        value = token.group()
        if value in "{[":
            depth += 1
        elif value in "}]":
            depth -= 1
        elif depth == 1 and value == '"Resources"':
            return token.start()
    return None


def _tokenized_resource_lines(text: str, start: int) -> dict[str, int]:
    """Lines of the keys directly inside the top-level "Resources" object, from strings and brackets only."""
    lines: dict[str, int] = {}
    depth, resources_depth, line, last = 1, None, text.count("\n", 0, start) + 1, start
    for token in _JSON_TOKEN.finditer(text, start):
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


def template_acknowledgments(template: "Template") -> list[Acknowledgment]:
    """Acknowledgments in the template's own Metadata: they cover every resource of the template."""
    return from_metadata(template.data.get("Metadata"))


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
        if logical_id == "Fn::Transform":
            continue  # AWS::Include or a macro: reported as not examined
        if isinstance(logical_id, str) and logical_id.startswith("Fn::ForEach::"):
            raise GuardrailsInputError(path, f"{logical_id} needs `Transform: {LANGUAGE_EXTENSIONS}` in the template",
                                       _line(logical_id))
        if not isinstance(definition, dict) or not isinstance(definition.get("Type"), str):
            raise GuardrailsInputError(path, f"resource {logical_id!r} has no Type string", _line(definition) or _line(logical_id))


def _line(node: Any) -> int | None:
    mark = getattr(node, "start_mark", None)
    return mark.line + 1 if mark is not None else None


def transforms(data: Mapping[str, Any]) -> list[Any]:
    """The template's Transform section as a list (a single name or a list of names and macro calls)."""
    declared = data.get("Transform")
    if declared is None:
        return []
    return list(declared) if isinstance(declared, list) else [declared]


def _expand_language_extensions(path: str, data: dict) -> tuple[dict, list[str]]:
    """Fn::ForEach expanded by cfn-lint's maintained AWS::LanguageExtensions implementation.

    Returns the expanded document and the loops whose collection is only known at deploy time (a
    parameter, a mapping lookup): cfn-lint expands those with the parameter's default, so what they
    deploy with other values was not examined. A template cfn-lint cannot expand is an input error."""
    from cfnlint.template.template import Template as CfnLintTemplate  # lazy: only these templates pay for it
    from cfnlint.template.transforms._language_extensions import language_extension

    deploy_time = sorted(str(key) for key, loop in _for_each_loops(data) if not (isinstance(loop, list) and len(loop) == 3
                                                                                   and isinstance(loop[1], list)))
    try:
        matches, expanded = language_extension(CfnLintTemplate(path, data, ["us-east-1"]))
    except Exception as exc:  # cfn-lint reports its own failures as matches; anything else is still bad input
        raise GuardrailsInputError(path, f"{LANGUAGE_EXTENSIONS}: cannot expand Fn::ForEach: {exc}") from None
    if matches or not isinstance(expanded, dict):
        first = matches[0] if matches else None
        message = first.message if first is not None else "no template after expansion"
        raise GuardrailsInputError(path, f"{LANGUAGE_EXTENSIONS}: cannot expand: {message}",
                                   getattr(first, "linenumber", None) if first is not None else None)
    return expanded, deploy_time


def _for_each_loops(node: Any, depth: int = 0) -> Iterator[tuple[Any, Any]]:
    if depth > 64:
        return
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.startswith("Fn::ForEach::"):
                yield key, value
            yield from _for_each_loops(value, depth + 1)
    elif isinstance(node, list):
        for item in node:
            yield from _for_each_loops(item, depth + 1)


def _decode(path: str, text: str) -> tuple[Any, str]:
    """(document, "json" or "yaml"). A .json file is JSON: its parse errors are JSON errors."""
    stripped = text.lstrip()
    if not stripped:
        raise GuardrailsInputError(path, "empty file: not a CloudFormation template")
    if stripped[0] == "{" or path.lower().endswith(".json"):
        try:
            return json.loads(text), "json"
        except json.JSONDecodeError as exc:
            raise GuardrailsInputError(path, f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
        except RecursionError:
            raise GuardrailsInputError(path, "invalid JSON: nested too deeply to be a template") from None
        except ValueError as exc:  # e.g. an integer over Python's 4,300-digit conversion limit
            raise GuardrailsInputError(path, f"invalid JSON: {exc}") from None
    return _parse_yaml(path, text), "yaml"


def parse_template(path: str, text: str, *, parent: "tuple[Template, str] | None" = None, _depth: int = 0) -> Template:
    """Parse template text (JSON when it looks like JSON or the file is .json, else YAML) or raise GuardrailsInputError.

    AWS::LanguageExtensions templates are expanded; StackSet TemplateBody strings are parsed as
    templates of their own (`Template.embedded`)."""
    data, fmt = _decode(path, text)
    deploy_time_loops: list[str] = []
    if isinstance(data, dict) and LANGUAGE_EXTENSIONS in transforms(data):
        data, deploy_time_loops = _expand_language_extensions(path, data)
    _check_template_shape(path, data, fmt)
    template = Template(path, data, text, fmt, parent)
    template.expanded_for_each = deploy_time_loops
    template.uses_transform_function = "Fn::Transform" in text or "!Transform" in text
    template.embedded = _stack_set_bodies(template, _depth)
    return template


def stack_set_body(definition: Any) -> str | dict | None:
    """A StackSet's TemplateBody when it is written out (a string, or an object that is a template), else None
    (absent, empty, or computed by an intrinsic: then it is reported as not examined)."""
    if not isinstance(definition, dict) or definition.get("Type") != STACK_SET_TYPE:
        return None
    props = definition.get("Properties")
    body = props.get("TemplateBody") if isinstance(props, dict) else None
    if isinstance(body, str) and body.strip():
        return body
    if isinstance(body, dict) and _TEMPLATE_KEYS.intersection(body):
        return body
    return None


def _stack_set_bodies(template: Template, depth: int) -> list[Template]:
    """Each AWS::CloudFormation::StackSet whose TemplateBody is written out, parsed as a template of its own."""
    bodies = []
    for logical_id, definition in template.resources_map.items():
        if definition.get("Type") != STACK_SET_TYPE:  # the shape check made every definition an object
            continue
        body = stack_set_body(definition)
        if body is None:
            continue
        where = f"{template.path}{EMBEDDED_MARK}{logical_id}/Properties/TemplateBody"
        try:
            if depth >= _MAX_EMBEDDING:
                raise GuardrailsInputError(where, f"StackSet bodies nested more than {_MAX_EMBEDDING} deep")
            if isinstance(body, str):
                bodies.append(parse_template(where, str(body), parent=(template, logical_id), _depth=depth + 1))  # a plain str: cfn-lint nodes are not streams
            else:
                _check_template_shape(where, body, "json")
                nested = Template(where, body, None, "json", (template, logical_id))
                nested.embedded = _stack_set_bodies(nested, depth + 1)
                bodies.append(nested)
        except GuardrailsInputError as error:  # name the file and the StackSet's line, not a line inside the string
            raise GuardrailsInputError(template.file, f"StackSet {logical_id} TemplateBody: {error.message}",
                                       template.line_of(logical_id)) from None
    return bodies


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
    """Read and parse one template file (or standard input for "-"), with a clear error for unreadable,
    non-regular, binary or huge files. A named pipe or device is refused before it is opened: reading
    one could block forever."""
    path_str = str(path)
    if path_str == STDIN:
        raw = sys.stdin.buffer.read(MAX_TEMPLATE_BYTES + 1)
        return parse_template(STDIN_NAME, _text(STDIN_NAME, raw))
    try:
        info = Path(path).stat()
        if not stat.S_ISREG(info.st_mode):
            raise GuardrailsInputError(path_str, "not a regular file (a named pipe, socket or device is never read)")
        if info.st_size > MAX_TEMPLATE_BYTES:
            raise GuardrailsInputError(path_str, _too_big(info.st_size))
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise GuardrailsInputError(path_str, f"cannot read: {exc.strerror or exc}") from None
    return parse_template(path_str, _text(path_str, raw))


def _too_big(size: int) -> str:
    return (f"file is {size:,} bytes or more: CloudFormation accepts templates up to 1 MB and the scanner refuses "
            f"files over {MAX_TEMPLATE_BYTES:,} bytes")


def _text(path: str, raw: bytes) -> str:
    if len(raw) > MAX_TEMPLATE_BYTES:
        raise GuardrailsInputError(path, _too_big(len(raw)))
    if b"\x00" in raw[:8192]:
        raise GuardrailsInputError(path, "binary file: not a CloudFormation template")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise GuardrailsInputError(path, "not UTF-8 text: not a CloudFormation template", line) from None
