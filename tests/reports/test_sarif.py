"""The SARIF writer: schema-valid, and the same document jschema_to_python would serialize."""

from __future__ import annotations

import json

import jsonschema
from jschema_to_python.to_json import to_json

from guardrails.reports import sarif
from tests.conftest import SARIF_SCHEMA, domain, good_key, resources, scan_template


def _report():
    bad = domain()
    bad["Metadata"] = {"guardrails": {"acknowledged": [{"id": "BedrockGuardrails-WorkspaceOwnershipTags",
                                                        "reason": "tags arrive from the CMDB sync job"}]}}
    bad["Properties"]["Tags"] = []
    return scan_template(resources(Key=good_key(), Good=domain({"Fn::GetAtt": ["Key", "Arn"]}), Bad=bad))


def test_fast_serializer_matches_jschema_to_python():
    report = _report()
    log = json.loads(sarif.render(report, "1.2.3"))
    # rebuild the same object model and serialize it with the reference serializer
    reference_objects = []
    original = sarif.to_sarif_data
    try:
        sarif.to_sarif_data = lambda value: reference_objects.append(value) or {}
        sarif.render(report, "1.2.3")
    finally:
        sarif.to_sarif_data = original
    assert json.loads(to_json(reference_objects[0])) == log


def test_valid_and_complete():
    log = json.loads(sarif.render(_report(), "1.2.3"))
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"BedrockGuardrails-WorkspaceCMK", "BedrockGuardrails-WorkspaceOwnershipTags"}
    suppressed = [r for r in results if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == ["BedrockGuardrails-WorkspaceOwnershipTags"]
    assert log["runs"][0]["tool"]["driver"]["version"] == "1.2.3"


def test_artifact_uris():
    assert sarif.artifact_uri("dir/a b#c.json") == ("dir/a%20b%23c.json", None)
    assert sarif.artifact_uri("/abs/x y.json") == ("file:///abs/x%20y.json", None)
    assert sarif.artifact_uri("app.json#/Resources/Set/Properties/TemplateBody") == (
        "app.json", "/Resources/Set/Properties/TemplateBody")
    assert sarif.artifact_uri("arn:aws:datazone:us-east-1:1:domain/d") == ("arn:aws:datazone:us-east-1:1:domain/d", None)
