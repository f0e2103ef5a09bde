"""BedrockGuardrails-InputCoverage: what a template deploys but the scan cannot see is reported, never passed.

Not a resource check: the engine asks `findings(template, assembly)` for every template it reads.
A nested stack, a StackSet or a provisioned product whose template lives at a URL, a macro (custom
Transform), an AWS::Include snippet, or an Fn::ForEach over deploy-time values each deploy resources
that were not examined: one warning finding names each. Two scanned templates exporting the same
name make imports of it ambiguous: `duplicate_export` reports that (the engine judges such an import
on every exporter, so the verdict does not depend on file order).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterator, Protocol

from guardrails.rules.base import PREFIX, Finding, Rule, Severity
from guardrails.template import LANGUAGE_EXTENSIONS, STACK_SET_TYPE, Resource, Template, stack_set_body, transforms

NESTED_STACK, STACK_SET, PRODUCT, MACRO, INCLUDE, FOR_EACH, DUPLICATE_EXPORT = (
    "NestedStack", "StackSetTemplate", "ProvisionedProduct", "Macro", "Include", "ForEachDefaults", "DuplicateExport")

RULE = Rule(
    id=PREFIX + "InputCoverage",
    title="Everything the templates deploy was examined",
    explanation="A nested stack, StackSet or provisioned product whose template is only a URL, a macro (custom "
                "Transform) or an AWS::Include snippet deploys resources the scan never saw; an export defined twice "
                "makes an import depend on which stack is deployed. A clean verdict covers only what was examined, "
                "so each of these is reported.",
    remediation="Scan the template behind it too (cdk.out holds nested stack and StackSet templates; for a macro, "
                "scan the processed template from `aws cloudformation get-template --template-stage Processed`), "
                "or acknowledge the finding with the reason the hidden part is safe.",
    resource_types=(),
    check=lambda resource, ctx: [],
    scope="meta",
    severity=Severity.WARNING,
    details=(NESTED_STACK, STACK_SET, PRODUCT, MACRO, INCLUDE, FOR_EACH, DUPLICATE_EXPORT),
    exempt={
        "guard": "At deploy time nothing is hidden from the hook: CloudFormation has processed transforms and macros "
                 "before hooks run, and nested stacks and StackSet instances are stacks of their own whose resources "
                 "pass through the hook too.",
        "config": "The live inventory reads what was deployed, whichever template (nested, macro-expanded or included) "
                  "produced it, so there is no unexamined input.",
        "audit": "The live inventory reads what was deployed, whichever template (nested, macro-expanded or included) "
                 "produced it, so there is no unexamined input.",
    },
)

# AWS-owned transforms that only expand their own resource types (none of them a governed type): what they
# produce from the governed resources of the template is those resources unchanged, so the scan saw them.
# AWS::Serverless::Application (SAM's nested application) is reported below as a nested stack.
_EXAMINED_TRANSFORMS = {LANGUAGE_EXTENSIONS, "AWS::Serverless-2016-10-31", "AWS::SecretsManager-2020-07-23",
                        "AWS::CodeDeployBlueGreen"}
# resource type -> (detail, the property naming the hidden template)
_HIDDEN_TEMPLATES = {
    "AWS::CloudFormation::Stack": (NESTED_STACK, "TemplateURL"),
    "AWS::Serverless::Application": (NESTED_STACK, "Location"),
    STACK_SET_TYPE: (STACK_SET, "TemplateURL"),
    "AWS::ServiceCatalog::CloudFormationProvisionedProduct": (PRODUCT, "ProductName"),
}


class Assembly(Protocol):
    def template_behind(self, definition: Any) -> str | None: ...


def findings(template: Template, assembly: Assembly | None) -> Iterator[tuple[Finding, Resource | None]]:
    """(finding, the resource it is about or None for the whole template), for the template and its StackSet bodies."""
    for name in transforms(template.data):
        label = name.get("Name") if isinstance(name, dict) else name
        if isinstance(label, str) and label in _EXAMINED_TRANSFORMS:
            continue
        detail = INCLUDE if label == "AWS::Include" else MACRO
        yield _template_finding(template, "Transform", detail,
                                f"Transform {label!r} rewrites the template at deployment; what it deploys was not examined"
                                if isinstance(label, str) else "a Transform that is not a name rewrites the template "
                                "at deployment; what it deploys was not examined"), None
    if template.uses_transform_function:
        yield _template_finding(template, "Fn::Transform", INCLUDE,
                                "Fn::Transform (AWS::Include or a macro) splices content into the template at "
                                "deployment; that content was not examined"), None
    for loop in template.expanded_for_each:
        yield _template_finding(template, loop, FOR_EACH,
                                f"{loop} loops over values known only at deployment; it was examined with the "
                                "parameter defaults, and other values deploy other resources"), None
    for logical_id, definition in template.resources_map.items():
        hidden = _HIDDEN_TEMPLATES.get(definition.get("Type"))
        if hidden is None or _examined(definition, assembly):
            continue
        detail, prop = hidden
        resource = template.resource(logical_id)
        assert resource is not None
        yield RULE.finding(resource, prop, f"{resource.type} {logical_id} deploys a template that was not examined "
                                           f"({prop} {_describe(resource.properties.get(prop))})", detail=detail), resource
    for body in template.embedded:
        yield from findings(body, assembly)


def _examined(definition: dict, assembly: Assembly | None) -> bool:
    if stack_set_body(definition) is not None:
        return True  # parsed and scanned as a template of its own (Template.embedded)
    return assembly is not None and assembly.template_behind(definition) is not None


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return repr(value[:120])
    return "computed at deployment" if value is not None else "not set"


def _template_finding(template: Template, where: str, detail: str, message: str) -> Finding:
    return Finding(rule_id=f"{RULE.id}[{detail}]", severity=RULE.severity, template=template.path, logical_id=where,
                   resource_type="AWS::CloudFormation::Template", property=where, message=message,
                   remediation=RULE.remediation, line=None)


def duplicate_export(template: str, output_id: str, name: str, others: list[str]) -> Finding:
    """One exporter of a name that other scanned templates export too (one finding per exporter)."""
    return Finding(rule_id=f"{RULE.id}[{DUPLICATE_EXPORT}]", severity=RULE.severity, template=template, logical_id=output_id,
                   resource_type="AWS::CloudFormation::Output", property=f"Outputs.{output_id}.Export.Name",
                   message=f"export {name!r} is also exported by {', '.join(others)}: an import of it resolves to whichever "
                           "stack is deployed in the importing account and Region; each import was judged on every exporter",
                   remediation="Give each export a unique name (CloudFormation refuses a second export of a name in one "
                               "account and Region), or scan the templates of one account and Region at a time.")


RULE = replace(RULE, template_check=findings, export_check=duplicate_export)
