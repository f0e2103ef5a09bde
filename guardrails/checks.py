"""Synth-time checks: the rule catalog as a CDK policy-validation plugin, used like a cdk-nag v3 pack.

    from aws_cdk import Validations
    from guardrails.checks import BedrockGuardrailsChecks
    Validations.of(app).add_plugins(BedrockGuardrailsChecks(app))

Why a plugin and not a NagPack: a NagPack makes one jsii callback per resource per rule (~2 ms each);
this plugin is called once per synth with the template paths and runs the same engine as
`guardrails scan` in plain Python, so the verdicts are identical and the overhead is a file read.
Acknowledgments: `Validations.of(c).acknowledge(Acknowledgment(id="BedrockGuardrails-WorkspaceCMK",
reason=...))` (plain, granular `...[detail]`, or `BedrockGuardrails::<id>` as CDK prints it) are read
from the cloud assembly's metadata, which CDK writes before plugins run.
"""

from __future__ import annotations

import jsii
from aws_cdk import IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolatingResource, PolicyViolation
from constructs import IConstruct

from guardrails import __version__
from guardrails.cloud_assembly import sources_for_template_paths
from guardrails.engine import ScanReport, scan
from guardrails.rules import reportable_ids
from guardrails.settings import Settings, settings_from_cdk_context

PLUGIN_NAME = "BedrockGuardrails"


@jsii.implements(IPolicyValidationPlugin)
class BedrockGuardrailsChecks:
    """Runs the Bedrock CMK Guardrails catalog over every synthesized template.

    `scope`: the app (its context key `guardrails` holds the settings, as in cdk.json); `settings`
    overrides them. `report_info`: also list info findings (e.g. keys outside the app) in CDK's report.
    """

    def __init__(self, scope: IConstruct | None = None, *, settings: Settings | None = None, report_info: bool = False):
        self._settings = settings or (settings_from_cdk_context(scope.node) if scope is not None else Settings())
        self._report_info = report_info
        self.last_report: ScanReport | None = None  # for callers that want the KPIs after synth

    @property
    def name(self) -> str:
        return PLUGIN_NAME

    @property
    def rule_ids(self) -> list[str]:
        return reportable_ids()

    @property
    def version(self) -> str:
        return __version__

    def validate(self, context) -> PolicyValidationPluginReport:
        report = scan(sources_for_template_paths(context.template_paths), self._settings)
        self.last_report = report
        violations = [_violation(error_finding) for error_finding in report.findings
                      if self._report_info or error_finding.severity.value != "info"]
        # Acknowledged findings go to CDK too, under the id CDK recorded for the acknowledgment, so its report
        # lists them as suppressed violations with the reason (as cdk-nag's are); `success` ignores them.
        violations += [_violation(exception.finding, rule_name=exception.acknowledgment.rule_id)
                       for exception in report.exceptions if exception.acknowledgment.source == "cdk"]
        violations += [PolicyViolation(rule_name="BedrockGuardrails-InputError", description=str(error), severity="error",
                                       fix="Fix the template so that it parses.", violating_resources=[])
                       for error in report.errors]
        errors = sum(1 for f in report.findings if f.severity.value == "error") + len(report.errors)
        kpis = report.kpis
        return PolicyValidationPluginReport(
            success=errors == 0,
            violations=violations,
            plugin_version=__version__,
            metadata={"workspaces": str(kpis["workspaces"]), "workspaces_cmk": str(kpis["workspaces_cmk"]),
                      "exceptions": str(kpis["exceptions"])},
        )


def _violation(finding, rule_name: str | None = None) -> PolicyViolation:
    return PolicyViolation(
        rule_name=rule_name or finding.rule_id,
        description=finding.message,
        fix=finding.remediation,
        severity=finding.severity.value,
        violating_resources=[PolicyViolatingResource(
            resource_logical_id=finding.logical_id,
            template_path=finding.template,
            locations=[finding.property.replace(".", "/")],
        )],
    )
