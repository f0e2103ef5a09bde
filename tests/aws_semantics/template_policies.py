"""Every IAM policy document in a synthesized template, with CloudFormation intrinsics resolved to the values a
deployment would produce, so AWS's data (service reference, simulator) can judge the documents as AWS would.

The resolution stands in for a deployment in one account and region: pseudo parameters become that account and
region, `Ref`/`Fn::GetAtt Arn` become the ARN AWS assigns to that resource type (by the ARN formats in the Service
Authorization Reference), parameters their value or default. Anything else stays a wildcard `*`, which can only
make a statement look *more* applicable, never less (the dead-statement check cannot be fooled into a failure).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

ACCOUNT = "111111111111"
REGION = "us-east-1"
UNKNOWN = "*"

# Resource type -> (Ref value, Arn) from the resource's physical name; formats from the Service Authorization Reference.
_ARNS = {
    "AWS::S3::Bucket": ("{name}", "arn:aws:s3:::{name}"),
    "AWS::KMS::Key": ("{name}", "arn:aws:kms:{region}:{account}:key/{name}"),
    "AWS::IAM::Role": ("{name}", "arn:aws:iam::{account}:role/{name}"),
    "AWS::IAM::ManagedPolicy": ("arn:aws:iam::{account}:policy/{name}", "arn:aws:iam::{account}:policy/{name}"),
    "AWS::SNS::Topic": ("arn:aws:sns:{region}:{account}:{name}", "arn:aws:sns:{region}:{account}:{name}"),
    "AWS::SQS::Queue": ("https://sqs.{region}.amazonaws.com/{account}/{name}", "arn:aws:sqs:{region}:{account}:{name}"),
    "AWS::Logs::LogGroup": ("{name}", "arn:aws:logs:{region}:{account}:log-group:{name}:*"),
    "AWS::Lambda::Function": ("{name}", "arn:aws:lambda:{region}:{account}:function:{name}"),
    "AWS::DynamoDB::Table": ("{name}", "arn:aws:dynamodb:{region}:{account}:table/{name}"),
    "AWS::Events::Rule": ("{name}", "arn:aws:events:{region}:{account}:rule/{name}"),
    "AWS::DataZone::Domain": ("{name}", "arn:aws:datazone:{region}:{account}:domain/{name}"),
}
_NAME_PROPERTIES = ("BucketName", "RoleName", "TopicName", "QueueName", "LogGroupName", "FunctionName", "TableName",
                    "ManagedPolicyName", "Name")


@dataclass(frozen=True)
class Deployment:
    """Where the template is deployed; parameter values for templates (StackSet members) that take them."""

    account: str = ACCOUNT
    region: str = REGION
    parameters: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PolicyDocument:
    """One policy: `kind` is identity, boundary, trust, resource (key, bucket, topic, queue policies) or scp."""

    template: str
    logical_id: str
    resource_type: str
    kind: str
    document: dict
    # For resource policies: the resource the policy is attached to (key ARN, bucket ARN, topic ARN), resolved.
    attached_to: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return f"{self.template}:{self.logical_id}"


class Resolver:
    """Resolves intrinsics of one template for one deployment."""

    def __init__(self, template: dict, deployment: Deployment = Deployment()) -> None:
        self.template = template
        self.deployment = deployment
        self.parameters = dict(deployment.parameters)

    def _physical_name(self, logical_id: str) -> str:
        properties = self.template["Resources"][logical_id].get("Properties", {})
        for prop in _NAME_PROPERTIES:
            if prop in properties:
                name = self.resolve(properties[prop])
                if isinstance(name, str) and UNKNOWN not in name:
                    return name
        return logical_id.lower()

    def _fill(self, pattern: str, logical_id: str) -> str:
        return pattern.format(name=self._physical_name(logical_id), account=self.deployment.account,
                              region=self.deployment.region)

    def ref(self, name: str) -> Any:
        pseudo = {"AWS::Partition": "aws", "AWS::AccountId": self.deployment.account, "AWS::Region": self.deployment.region,
                  "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": "stack",
                  "AWS::StackId": f"arn:aws:cloudformation:{self.deployment.region}:{self.deployment.account}:stack/stack/"
                                  "11111111-2222-3333-4444-555555555555",
                  "AWS::NotificationARNs": [UNKNOWN]}
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        parameter = self.template.get("Parameters", {}).get(name)
        if parameter is not None:
            return parameter.get("Default", UNKNOWN)
        resource = self.template.get("Resources", {}).get(name)
        if resource and resource["Type"] in _ARNS:
            return self._fill(_ARNS[resource["Type"]][0], name)
        return UNKNOWN

    def get_att(self, logical_id: str, attribute: str) -> Any:
        resource = self.template.get("Resources", {}).get(logical_id)
        if resource and attribute == "Arn" and resource["Type"] in _ARNS:
            return self._fill(_ARNS[resource["Type"]][1], logical_id)
        return UNKNOWN

    def _sub(self, text: str, variables: dict) -> str:
        def replace(match: re.Match) -> str:
            name = match.group(1)
            if name in variables:
                return str(self.resolve(variables[name]))
            if "." in name and not name.startswith("AWS::"):
                return str(self.get_att(*name.split(".", 1)))
            return str(self.ref(name))
        return re.sub(r"\$\{([^}!]+)\}", replace, text)

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.resolve(v) for v in value if v != {"Ref": "AWS::NoValue"}]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (function, argument), = value.items()
            if function == "Ref":
                return self.ref(argument)
            if function == "Fn::GetAtt":
                logical_id, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
                return self.get_att(logical_id, attribute)
            if function == "Fn::Join":
                separator, parts = argument
                return separator.join(str(p) for p in self.resolve(parts))
            if function == "Fn::Sub":
                text, variables = (argument, {}) if isinstance(argument, str) else argument
                return self._sub(text, variables)
            if function == "Fn::Select":
                index, items = argument
                items = self.resolve(items)
                return items[int(index)] if isinstance(items, list) and int(index) < len(items) else UNKNOWN
            if function == "Fn::Split":
                separator, text = argument
                text = self.resolve(text)
                return text.split(separator) if isinstance(text, str) else [UNKNOWN]
            if function.startswith("Fn::"):
                return UNKNOWN
        return {k: self.resolve(v) for k, v in value.items()}


def _attached(resolver: Resolver, resource_type: str, properties: dict) -> tuple[str, ...]:
    if resource_type == "AWS::S3::BucketPolicy":
        bucket = resolver.resolve(properties["Bucket"])
        return (f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*")
    if resource_type == "AWS::SNS::TopicPolicy":  # Ref of a topic is its ARN
        return tuple(resolver.resolve(properties["Topics"]))
    if resource_type == "AWS::SQS::QueuePolicy":  # Ref of a queue is its URL: the policy governs the queue's ARN
        return tuple(resolver.get_att(q["Ref"], "Arn") if isinstance(q, dict) and "Ref" in q else UNKNOWN
                     for q in properties["Queues"])
    return ()


def policies_of(template: dict, name: str, deployment: Deployment = Deployment()) -> Iterator[PolicyDocument]:
    """Every policy document of one template, resolved."""
    resolver = Resolver(template, deployment)
    for logical_id, resource in template.get("Resources", {}).items():
        kind_of, properties = resource["Type"], resource.get("Properties", {})

        def doc(kind: str, document: Any, attached: tuple[str, ...] = ()) -> PolicyDocument:
            resolved = resolver.resolve(document)
            if isinstance(resolved, str):  # Organizations policies may hold their content as JSON text
                resolved = json.loads(resolved)
            return PolicyDocument(name, logical_id, kind_of, kind, resolved, attached)

        if kind_of == "AWS::IAM::Role":
            yield doc("trust", properties["AssumeRolePolicyDocument"], (resolver.get_att(logical_id, "Arn"),))
            for inline in properties.get("Policies", []):
                yield doc("identity", inline["PolicyDocument"])
        elif kind_of in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            yield doc("identity", properties["PolicyDocument"])
        elif kind_of == "AWS::KMS::Key":
            yield doc("resource", properties["KeyPolicy"], (resolver.get_att(logical_id, "Arn"),))
        elif kind_of in ("AWS::S3::BucketPolicy", "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy"):
            yield doc("resource", properties["PolicyDocument"], _attached(resolver, kind_of, properties))
        elif kind_of == "AWS::Organizations::Policy" and properties.get("Type") == "SERVICE_CONTROL_POLICY":
            yield doc("scp", properties["Content"])


def assembly_templates(assembly: Path) -> dict[str, dict]:
    """Every template of a cloud assembly, StackSet member templates included, by file name."""
    return {path.name.removesuffix(".json"): json.loads(path.read_text())
            for path in sorted(assembly.glob("*.template.json"))}


def assembly_policies(assembly: Path, deployment: Deployment = Deployment()) -> list[PolicyDocument]:
    return [policy for name, template in assembly_templates(assembly).items()
            for policy in policies_of(template, name, deployment)]
