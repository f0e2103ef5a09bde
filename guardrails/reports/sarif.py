"""SARIF 2.1.0 through Microsoft's SARIF object model (sarif-om) and its serializer."""

from __future__ import annotations

import json
import os
from pathlib import PurePath
from urllib.parse import quote

import attr
import sarif_om as sarif

from guardrails.rules import CATALOG, RULES_BY_ID
from guardrails.rules.compliance import by_framework, related_requirements
from guardrails.template import EMBEDDED_MARK

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
INFORMATION_URI = "https://github.com/bedrock-cmk-guardrails/bedrock-cmk-guardrails"


def _descriptor(rule) -> sarif.ReportingDescriptor:
    return sarif.ReportingDescriptor(
        id=rule.id, name=rule.id.removeprefix("BedrockGuardrails-"),
        short_description=sarif.MultiformatMessageString(text=rule.title),
        full_description=sarif.MultiformatMessageString(text=rule.explanation),
        help=sarif.MultiformatMessageString(text=rule.remediation),
        default_configuration=sarif.ReportingConfiguration(level=_LEVELS[rule.severity.value]),
        # Compliance controls as tags (GitHub code scanning shows and filters them) and, per framework, as a property.
        properties={"tags": ["security", "encryption", "kms", *related_requirements(rule.id)],
                    "compliance": by_framework(rule.id)} if rule.scope != "meta" else None,
    )


def artifact_uri(template: str) -> tuple[str, str | None]:
    """(percent-encoded URI of the file, JSON pointer inside it for a StackSet body or None).

    SARIF's artifactLocation.uri is a URI (RFC 3986): spaces, `#`, `%`... in a path are encoded, and an
    absolute path becomes a file:// URI."""
    if template.startswith("arn:"):  # `guardrails audit` locates live resources by ARN, a URI of its own
        return quote(template, safe="/:"), None
    file, mark, inner = template.partition(EMBEDDED_MARK)
    pointer = "/Resources/" + inner if mark else None
    if os.path.isabs(file):
        return PurePath(file).as_uri(), pointer
    return quote(file.replace(os.sep, "/"), safe="/"), pointer


def _result(finding, index: dict[str, int], acknowledgment=None) -> sarif.Result:
    region = sarif.Region(start_line=finding.line) if finding.line else None
    uri, pointer = artifact_uri(finding.template)
    qualified = finding.path or finding.logical_id
    if pointer:  # a resource of a StackSet body: named under the StackSet
        qualified = f"{pointer.split('/')[2]}/{qualified}"
    location = sarif.Location(
        physical_location=sarif.PhysicalLocation(artifact_location=sarif.ArtifactLocation(uri=uri), region=region),
        logical_locations=[sarif.LogicalLocation(name=finding.logical_id, fully_qualified_name=qualified, kind="resource")],
    )
    base = finding.base_rule_id
    return sarif.Result(
        rule_id=finding.rule_id, rule_index=index.get(base, -1),
        level=_LEVELS[finding.severity.value],
        message=sarif.Message(text=f"{finding.message}. Fix: {finding.remediation}"),
        locations=[location],
        partial_fingerprints={"guardrails/v1": f"{finding.rule_id}:{finding.template}:{finding.logical_id}:{finding.property}"},
        properties={"resource_type": finding.resource_type, "property": finding.property},
        suppressions=[sarif.Suppression(kind="inSource", state="accepted", justification=acknowledgment.reason)]
        if acknowledgment else None,
    )


def render(report, tool_version: str) -> str:
    index = {rule.id: i for i, rule in enumerate(CATALOG)}
    results = [_result(f, index) for f in report.findings]
    results += [_result(e.finding, index, e.acknowledgment) for e in report.exceptions]
    run = sarif.Run(
        tool=sarif.Tool(driver=sarif.ToolComponent(name="bedrock-cmk-guardrails", version=tool_version,
                                                   information_uri=INFORMATION_URI,
                                                   rules=[_descriptor(r) for r in CATALOG])),
        results=results,
        properties={"kpis": report.kpis},
    )
    assert set(RULES_BY_ID) == {r.id for r in CATALOG}
    return json.dumps(to_sarif_data(sarif.SarifLog(version="2.1.0", schema_uri=SCHEMA, runs=[run])), indent=2) + "\n"


def to_sarif_data(value):
    """sarif-om objects as SARIF JSON data: schema property names, default values left out.

    The same output as jschema_to_python's to_json (a test compares them), without its deep copy of
    every object, which took seconds for a few thousand results."""
    if attr.has(type(value)):
        data = {}
        for field in attr.fields(type(value)):
            item = getattr(value, field.name)
            default = field.default.factory() if isinstance(field.default, attr.Factory) else field.default
            if item is None or (default is not attr.NOTHING and item == default):
                continue
            data[field.metadata.get("schema_property_name", field.name)] = to_sarif_data(item)
        return data
    if isinstance(value, list):
        return [to_sarif_data(item) for item in value]
    if isinstance(value, dict):
        return {key: to_sarif_data(item) for key, item in value.items()}
    return value
