"""JUnit XML: one test suite per template, one failing case per finding.

Written with the standard library's ElementTree in one pass (linear in the number of findings:
junitparser recomputed a suite's statistics on every added case, quadratic in practice: 12,000
findings took 238 s). Every value goes through `xml_text`, so control characters in a template
never make the report invalid XML.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from guardrails.reports.safe_text import xml_text

_KIND = {"error": "failure", "warning": "error", "info": "skipped"}  # JUnit element per severity


def _case(suite: ET.Element, name: str, classname: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", name=xml_text(name), classname=xml_text(classname), time="0")


def render(report, tool_version: str) -> str:
    cases: dict[str, list] = defaultdict(list)  # template -> [(finding, acknowledgment or None)]
    for template in report.templates:
        cases[template]
    for finding in report.findings:
        cases[finding.template].append((finding, None))
    for exception in report.exceptions:
        cases[exception.finding.template].append((exception.finding, exception.acknowledgment))
    root = ET.Element("testsuites", name="bedrock-cmk-guardrails")
    totals = defaultdict(int)
    for template in sorted(cases):
        suite = ET.SubElement(root, "testsuite", name=xml_text(template))
        counts = defaultdict(int)
        for finding, acknowledgment in cases[template]:
            case = _case(suite, f"{finding.rule_id} {finding.logical_id}", template)
            if acknowledgment is not None:
                kind, message = "skipped", f"acknowledged: {acknowledgment.reason}"
            else:
                kind, message = _KIND[finding.severity.value], finding.message
            result = ET.SubElement(case, kind, message=xml_text(message))
            if kind != "skipped":
                result.set("type", xml_text(finding.rule_id))
            counts[kind] += 1
            if acknowledgment is None:
                ET.SubElement(case, "system-out").text = xml_text(
                    f"{finding.message}\nFix: {finding.remediation}\nProperty: {finding.property}")
        if not cases[template]:  # a clean template is one passing case, so reports show it was checked
            _case(suite, "BedrockGuardrails all rules", template)
        tests = max(1, len(cases[template]))
        suite.set("tests", str(tests))
        for kind, attribute in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
            suite.set(attribute, str(counts[kind]))
            totals[attribute] += counts[kind]
        suite.set("time", "0")
        totals["tests"] += tests
    for attribute in ("tests", "failures", "errors", "skipped"):
        root.set(attribute, str(totals[attribute]))
    return "<?xml version='1.0' encoding='utf-8'?>\n" + ET.tostring(root, encoding="unicode") + "\n"
