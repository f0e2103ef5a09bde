"""The JUnit writer: one suite per template, counts that match the cases, readable by junitparser."""

from __future__ import annotations

import json

from junitparser import JUnitXml

from guardrails.reports import junit
from tests.conftest import compliant_template, domain, resources, scan_templates


def test_suites_cases_and_counts():
    acked = domain()
    acked["Metadata"] = {"guardrails": {"acknowledged": [{"id": "BedrockGuardrails-WorkspaceCMK",
                                                          "reason": "sandbox, deleted nightly (SEC-17)"}]}}
    nested = {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://b.s3.amazonaws.com/t.json"}}
    report = scan_templates([resources(**{f"D{i}": domain() for i in range(300)}), compliant_template(),
                             resources(Acked=acked, N=nested)])
    xml = JUnitXml.fromstring(junit.render(report, "0").encode())
    suites = {suite.name: suite for suite in xml}
    assert len(suites) == 3
    by_size = sorted(suites.values(), key=lambda s: s.tests)
    clean, mixed, big = by_size
    assert (clean.tests, clean.failures, clean.errors, clean.skipped) == (1, 0, 0, 0)
    assert (mixed.tests, mixed.errors, mixed.skipped) == (2, 1, 1)  # the nested stack warning, the acknowledged finding
    assert big.tests == big.failures == 300
    assert xml.tests == sum(s.tests for s in suites.values()) and xml.failures == 300


def test_stack_set_body_findings_are_cases_of_their_own_suite():
    body = json.dumps(resources(Domain=domain()))
    report = scan_templates([resources(Set={"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateBody": body}})])
    names = [suite.name for suite in JUnitXml.fromstring(junit.render(report, "0").encode())]
    assert any(name.endswith("#/Resources/Set/Properties/TemplateBody") for name in names)
