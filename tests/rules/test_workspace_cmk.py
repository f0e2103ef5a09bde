"""BedrockGuardrails-WorkspaceCMK: templates/workspace_cmk/{pass,fail} cover every key-reference form."""

from guardrails.rules import Severity
from guardrails.rules.base import MIGRATION_NOTE
from guardrails.rules.workspace_cmk import RULE
from tests.conftest import KEY_ARN, domain, good_key, resources, scan_template, scan_templates, with_id
from tests.rules.template_cases import template_tests

test_pass, test_fail = template_tests("workspace_cmk", RULE.id)


def test_finding_names_the_migration_and_the_location():
    report = scan_template(resources(Workspace=domain(None)))
    finding, = with_id(report, RULE.id)
    assert finding.severity is Severity.ERROR
    assert (finding.logical_id, finding.resource_type, finding.property) == ("Workspace", "AWS::DataZone::Domain", "KmsKeyIdentifier")
    assert MIGRATION_NOTE in finding.remediation
    assert finding.line == 1  # JSON written on one line by the helper


def test_external_key_is_an_info_note_not_an_error():
    report = scan_template(resources(Workspace=domain(KEY_ARN)))
    note, = with_id(report, RULE.id + "[ExternalKey]")
    assert note.severity is Severity.INFO and KEY_ARN in note.message
    assert not with_id(report, RULE.id)


def test_import_is_resolved_whichever_template_comes_first():
    exporter = {"Resources": {"Key": good_key()},
                "Outputs": {"K": {"Value": {"Fn::GetAtt": ["Key", "Arn"]}, "Export": {"Name": "ws-key"}}}}
    importer = resources(Workspace=domain({"Fn::ImportValue": "ws-key"}))
    for order in ([exporter, importer], [importer, exporter]):
        report = scan_templates(order)
        assert not with_id(report, RULE.id), order
        assert report.kpis["workspaces_cmk"] == 1


def test_import_of_an_export_that_is_not_a_key_fails():

    exporter = {"Resources": {"Key": good_key()}, "Outputs": {"K": {"Value": "alias/aws/datazone", "Export": {"Name": "ws-key"}}}}
    report = scan_templates([exporter, resources(Workspace=domain({"Fn::ImportValue": "ws-key"}))])
    finding, = with_id(report, RULE.id)
    assert "AWS-managed" in finding.message
