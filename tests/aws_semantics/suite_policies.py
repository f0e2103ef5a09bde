"""The suite's real policies, looked up by what they are (SCPs, boundary, a key's policy, a bucket's policy), resolved
for one deployment, with the request context AWS derives from a resource (its tags)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.aws_semantics.template_policies import ACCOUNT, Deployment, PolicyDocument, Resolver, assembly_templates, policies_of

MEMBER_ACCOUNT = "222222222222"  # a governed member account of the organization
ORGANIZATION_ID = "o-exampleorg1"  # cdk.json's guardrails:suite organization_id


class SuitePolicies:
    def __init__(self, assembly: Path, deployment: Deployment = Deployment()) -> None:
        self.assembly = assembly
        self.deployment = deployment
        self.templates = assembly_templates(assembly)
        self.policies = [p for name, t in self.templates.items() for p in policies_of(t, name, deployment)]

    def _of(self, template: str, kind: str, logical_prefix: str = "", resource_type: str | None = None) -> list[PolicyDocument]:
        found = [p for p in self.policies if p.template == f"{template}.template" and p.kind == kind
                 and p.logical_id.startswith(logical_prefix) and (resource_type is None or p.resource_type == resource_type)]
        assert found, f"no {kind} policy {logical_prefix!r} in {template}"
        return found

    def scps(self) -> list[dict]:
        return [p.document for p in self._of("BedrockGuardrailsPreventiveOrg", "scp")]

    def boundary(self) -> dict:
        (policy,) = self._of("BedrockGuardrailsPreventive", "identity", "BoundaryPolicy")
        return policy.document

    def key(self, template: str, logical_prefix: str) -> tuple[str, dict, dict]:
        """(key ARN, key policy, aws:ResourceTag/* context) of a key."""
        (policy,) = self._of(template, "resource", logical_prefix, "AWS::KMS::Key")
        resource = self.templates[f"{template}.template"]["Resources"][policy.logical_id]
        tags = Resolver(self.templates[f"{template}.template"], self.deployment).resolve(resource["Properties"].get("Tags", []))
        return policy.attached_to[0], policy.document, {f"aws:ResourceTag/{t['Key']}": t["Value"] for t in tags}

    def bucket_policy(self, template: str, logical_prefix: str) -> PolicyDocument:
        (policy,) = self._of(template, "resource", logical_prefix, "AWS::S3::BucketPolicy")
        return policy

    def stack_set_parameters(self, template: str) -> dict:
        """A StackSet's parameter values, resolved in the deploying stack (what each member stack receives)."""
        parent = self.templates[f"{template}.template"]
        (stack_set,) = [r for r in parent["Resources"].values() if r["Type"] == "AWS::CloudFormation::StackSet"]
        resolver = Resolver(parent, self.deployment)
        return {p["ParameterKey"]: resolver.resolve(p["ParameterValue"]) for p in stack_set["Properties"].get("Parameters", [])}


def replaced(document: dict, sid: str, **changes) -> dict:
    """A copy of a policy document with one statement changed: how the tests reintroduce an old defect."""
    copy = json.loads(json.dumps(document))
    for statement in copy["Statement"]:
        if statement.get("Sid") == sid:
            statement.update(changes)
    return copy


def without(document: dict, sid: str) -> dict:
    copy = json.loads(json.dumps(document))
    copy["Statement"] = [s for s in copy["Statement"] if s.get("Sid") != sid]
    return copy


__all__ = ["ACCOUNT", "MEMBER_ACCOUNT", "ORGANIZATION_ID", "SuitePolicies", "replaced", "without"]
