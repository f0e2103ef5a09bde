"""JUnit XML through junitparser: one test suite per template, one failing case per finding."""

from __future__ import annotations

from collections import defaultdict

from junitparser import Error, Failure, JUnitXml, Skipped, TestCase, TestSuite


def render(report, tool_version: str) -> str:
    suites: dict[str, TestSuite] = {}
    by_resource: dict[tuple[str, str], list] = defaultdict(list)
    for finding in report.findings:
        by_resource[(finding.template, finding.logical_id)].append(finding)
    for template in report.templates:
        suites[template] = TestSuite(template)
    for (template, logical_id), findings in by_resource.items():
        suite = suites.setdefault(template, TestSuite(template))
        for finding in findings:
            case = TestCase(f"{finding.rule_id} {logical_id}", classname=template)
            text = f"{finding.message}\nFix: {finding.remediation}\nProperty: {finding.property}"
            if finding.severity.value == "error":
                case.result = [Failure(finding.message, finding.rule_id)]
            elif finding.severity.value == "warning":
                case.result = [Error(finding.message, finding.rule_id)]
            else:
                case.result = [Skipped(finding.message)]
            case.system_out = text
            suite.add_testcase(case)
    for exception in report.exceptions:
        finding = exception.finding
        case = TestCase(f"{finding.rule_id} {finding.logical_id}", classname=finding.template)
        case.result = [Skipped(f"acknowledged: {exception.acknowledgment.reason}")]
        suites.setdefault(finding.template, TestSuite(finding.template)).add_testcase(case)
    xml = JUnitXml("bedrock-cmk-guardrails")
    for template in sorted(suites):
        if suites[template].tests == 0:  # a clean template is one passing case, so reports show it was checked
            suites[template].add_testcase(TestCase("BedrockGuardrails all rules", classname=template))
        xml.add_testsuite(suites[template])
    return xml.tostring().decode("utf-8") if isinstance(xml.tostring(), bytes) else xml.tostring()
