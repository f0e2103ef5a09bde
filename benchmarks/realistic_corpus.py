"""A realistic benchmark corpus: CDK-style apps in which about 5% of the resources are governed.

Real CDK apps are mostly Lambda functions, IAM roles and policies, S3 buckets, queues, topics, tables
and log groups, with a few KMS keys and workspaces among them. Each stack here is written as CDK
writes it (indent 1, `aws:cdk:path` metadata on every resource, CDKMetadata, the bootstrap-version
parameter and rule, Fn::GetAtt / Ref wiring between resources). Every GOVERNED_EVERY-th stack holds
a workspace key, a DataZone domain and a Bedrock agent on it (compliant or not, alternating), so the
governed share of the corpus is about 5% (`RealisticCorpus.governed_share`).

`expected` says which (template, logical id) the scan must flag with WorkspaceCMK, so the benchmark
checks that the scan did its job on this corpus too.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.corpus import unit_resources

_BOOTSTRAP = {
    "Parameters": {"BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>",
                                        "Default": "/cdk-bootstrap/hnb659fds/version",
                                        "Description": "Version of the CDK Bootstrap resources in this environment"}},
    "Rules": {"CheckBootstrapVersion": {"Assertions": [{"Assert": {"Fn::Not": [{"Fn::Contains": [["1", "2", "3", "4", "5"],
                                                                                                  {"Ref": "BootstrapVersion"}]}]},
                                                        "AssertDescription": "CDK bootstrap stack version 6 required."}]}},
}


def _meta(stack: str, path: str) -> dict:
    return {"aws:cdk:path": f"{stack}/{path}"}


def _function(stack: str, name: str, bucket: str, queue: str) -> dict[str, dict]:
    """A Lambda function as CDK synthesizes it: role, default policy, function, log group."""
    role, policy, function, logs = f"{name}ServiceRole", f"{name}ServiceRoleDefaultPolicy", name, f"{name}LogGroup"
    return {
        role: {"Type": "AWS::IAM::Role", "Metadata": _meta(stack, f"{name}/ServiceRole/Resource"), "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow",
                                                                                 "Principal": {"Service": "lambda.amazonaws.com"}}]},
            "ManagedPolicyArns": [{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"},
                                                     ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]]}]}},
        policy: {"Type": "AWS::IAM::Policy", "Metadata": _meta(stack, f"{name}/ServiceRole/DefaultPolicy/Resource"), "Properties": {
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Action": ["s3:GetObject*", "s3:GetBucket*", "s3:List*"], "Effect": "Allow",
                 "Resource": [{"Fn::GetAtt": [bucket, "Arn"]}, {"Fn::Join": ["", [{"Fn::GetAtt": [bucket, "Arn"]}, "/*"]]}]},
                {"Action": ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"], "Effect": "Allow",
                 "Resource": {"Fn::GetAtt": [queue, "Arn"]}}]},
            "PolicyName": f"{name}ServiceRoleDefaultPolicy", "Roles": [{"Ref": role}]}},
        function: {"Type": "AWS::Lambda::Function", "DependsOn": [policy, role], "Metadata": {
            **_meta(stack, f"{name}/Resource"), "aws:asset:path": "asset.0000", "aws:asset:is-bundled": False,
            "aws:asset:property": "Code"}, "Properties": {
            "Code": {"S3Bucket": {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"},
                     "S3Key": "4b9e7b9b1b8a6d1c3b7f0f3d2e1a0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d.zip"},
            "Environment": {"Variables": {"BUCKET": {"Ref": bucket}, "QUEUE_URL": {"Ref": queue}, "LOG_LEVEL": "INFO"}},
            "Handler": "index.handler", "MemorySize": 512, "Role": {"Fn::GetAtt": [role, "Arn"]}, "Runtime": "python3.12",
            "Timeout": 30, "TracingConfig": {"Mode": "Active"}}},
        logs: {"Type": "AWS::Logs::LogGroup", "UpdateReplacePolicy": "Retain", "DeletionPolicy": "Retain",
               "Metadata": _meta(stack, f"{name}/LogGroup/Resource"),
               "Properties": {"LogGroupName": {"Fn::Join": ["", ["/aws/lambda/", {"Ref": function}]]}, "RetentionInDays": 30}},
    }


def _storage(stack: str, index: int) -> dict[str, dict]:
    """A bucket with its enforce-SSL policy, a queue with its dead-letter queue, a topic, a table."""
    bucket, queue, dlq = f"Data{index}Bucket", f"Work{index}Queue", f"Work{index}DeadLetterQueue"
    return {
        bucket: {"Type": "AWS::S3::Bucket", "UpdateReplacePolicy": "Retain", "DeletionPolicy": "Retain",
                 "Metadata": _meta(stack, f"Data{index}/Bucket/Resource"), "Properties": {
                     "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {
                         "SSEAlgorithm": "aws:kms"}}]},
                     "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                                        "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
                     "VersioningConfiguration": {"Status": "Enabled"},
                     "Tags": [{"Key": "aws-cdk:auto-delete-objects", "Value": "false"}]}},
        f"{bucket}Policy": {"Type": "AWS::S3::BucketPolicy", "Metadata": _meta(stack, f"Data{index}/Bucket/Policy/Resource"),
                            "Properties": {"Bucket": {"Ref": bucket}, "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                                "Action": "s3:*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}, "Effect": "Deny",
                                "Principal": {"AWS": "*"},
                                "Resource": [{"Fn::GetAtt": [bucket, "Arn"]},
                                             {"Fn::Join": ["", [{"Fn::GetAtt": [bucket, "Arn"]}, "/*"]]}]}]}}},
        dlq: {"Type": "AWS::SQS::Queue", "UpdateReplacePolicy": "Delete", "DeletionPolicy": "Delete",
              "Metadata": _meta(stack, f"Work{index}/DeadLetterQueue/Resource"),
              "Properties": {"MessageRetentionPeriod": 1209600, "SqsManagedSseEnabled": True}},
        queue: {"Type": "AWS::SQS::Queue", "UpdateReplacePolicy": "Delete", "DeletionPolicy": "Delete",
                "Metadata": _meta(stack, f"Work{index}/Queue/Resource"),
                "Properties": {"RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": [dlq, "Arn"]}, "maxReceiveCount": 3},
                               "VisibilityTimeout": 180, "SqsManagedSseEnabled": True}},
        f"Events{index}Topic": {"Type": "AWS::SNS::Topic", "Metadata": _meta(stack, f"Events{index}/Resource"),
                                "Properties": {"KmsMasterKeyId": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"},
                                                                                     ":kms:", {"Ref": "AWS::Region"}, ":",
                                                                                     {"Ref": "AWS::AccountId"}, ":alias/aws/sns"]]}}},
        f"Items{index}Table": {"Type": "AWS::DynamoDB::Table", "UpdateReplacePolicy": "Retain", "DeletionPolicy": "Retain",
                               "Metadata": _meta(stack, f"Items{index}/Resource"), "Properties": {
                                   "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                                            {"AttributeName": "sk", "AttributeType": "S"}],
                                   "BillingMode": "PAY_PER_REQUEST",
                                   "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                                   "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}}},
    }


GOVERNED_EVERY = 1  # every stack holds one workspace unit (key, domain, agent): 3 of its 59 resources


@dataclass
class RealisticCorpus:
    directory: Path
    templates: int = 0
    resources: int = 0
    governed: int = 0  # keys, domains and agents
    bytes: int = 0
    expected_workspace_cmk: set[tuple[str, str]] = field(default_factory=set)

    @property
    def governed_share(self) -> float:
        return self.governed / self.resources if self.resources else 0.0


def write_realistic_corpus(directory: str | os.PathLike, stacks: int, groups_per_stack: int = 5) -> RealisticCorpus:
    """`stacks` CDK-style stack templates, each with `groups_per_stack` groups of a function (4 resources) and
    its storage (7 resources), and one workspace unit in every GOVERNED_EVERY-th stack."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    corpus = RealisticCorpus(directory)
    units = 0
    for index in range(stacks):
        stack = f"App{index // 8}Service{index % 8}"
        name = f"{stack}.template.json"
        resources: dict[str, dict] = {}
        for group in range(groups_per_stack):
            resources.update(_storage(stack, group))
            resources.update(_function(stack, f"Handler{group}", f"Data{group}Bucket", f"Work{group}Queue"))
        if index % GOVERNED_EVERY == 0:
            compliant = units % 2 == 0
            unit = unit_resources(units, compliant, role="Handler0ServiceRole")
            for logical_id, definition in unit.items():
                definition["Metadata"] = _meta(stack, f"{logical_id}/Resource")
            resources.update(unit)
            corpus.governed += len(unit)
            if not compliant:
                corpus.expected_workspace_cmk.add((name, f"Domain{units}"))
            units += 1
        resources["CDKMetadata"] = {"Type": "AWS::CDK::Metadata", "Metadata": _meta(stack, "CDKMetadata/Default"),
                                    "Properties": {"Analytics": "v2:deflate64:H4sIAAAAAAAA/zPSMzQ01DNQTCwv1k1OydbNyczTqw4pSswrTs3PS9UL"},
                                    "Condition": "CDKMetadataAvailable"}
        body = {"Resources": resources, "Conditions": {"CDKMetadataAvailable": {"Fn::Or": [
            {"Fn::Equals": [{"Ref": "AWS::Region"}, region]} for region in ("us-east-1", "us-west-2", "eu-west-1")]}},
            **_BOOTSTRAP}
        text = json.dumps(body, indent=1)
        (directory / name).write_text(text)
        corpus.templates += 1
        corpus.resources += len(resources)
        corpus.bytes += len(text)
    return corpus
