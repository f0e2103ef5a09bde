"""Build an AWS estate on the test endpoint through botocore: keys, workspaces, Bedrock resources."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import datetime, timezone

import boto3

from guardrails.key_policy import ADMIN_ACTIONS, READ_ACTIONS

HOME = "123456789012"  # moto's account for the environment's credentials
ROLE = "GuardrailsAudit"
OWNER_TAGS = [{"TagKey": "Owner", "TagValue": "ml"}, {"TagKey": "CostCenter", "TagValue": "cc-1"},
              {"TagKey": "DataClassification", "TagValue": "internal"}]


def least_privilege_policy(account: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
         "Action": sorted(ADMIN_ACTIONS | READ_ACTIONS), "Resource": "*"},
        {"Sid": "Use", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:role/BedrockRole"},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"},
    ]})


class World:
    def __init__(self, endpoint):
        self.endpoint = endpoint
        self._sessions: dict[str, boto3.Session] = {}

    def session(self, account: str = HOME) -> boto3.Session:
        if account == HOME:
            return boto3.Session(region_name="us-east-1")
        if account not in self._sessions:
            sts = boto3.client("sts", region_name="us-east-1", endpoint_url=self.endpoint.url)
            creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="world")["Credentials"]
            self._sessions[account] = boto3.Session(
                aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                aws_session_token=creds["SessionToken"], region_name="us-east-1")
        return self._sessions[account]

    def client(self, service: str, account: str = HOME, region: str = "us-east-1"):
        return self.session(account).client(service, region_name=region, endpoint_url=self.endpoint.url)

    def key(self, account: str = HOME, region: str = "us-east-1", *, rotation: bool = True, tags=OWNER_TAGS,
            policy: str | None = None, state: str = "Enabled") -> str:
        kms = self.client("kms", account, region)
        meta = kms.create_key(Policy=policy or least_privilege_policy(account), Tags=list(tags))["KeyMetadata"]
        if rotation:
            kms.enable_key_rotation(KeyId=meta["KeyId"])
        if state == "Disabled":
            kms.disable_key(KeyId=meta["KeyId"])
        elif state == "PendingDeletion":
            kms.schedule_key_deletion(KeyId=meta["KeyId"], PendingWindowInDays=7)
        return meta["Arn"]

    def aws_managed_key(self, account: str = HOME, region: str = "us-east-1") -> str:
        meta = self.client("kms", account, region).create_key(Description="Default key for Bedrock")["KeyMetadata"]
        self.endpoint.aws_managed.add(meta["KeyId"])
        return meta["Arn"]

    def domain(self, name: str, key: str | None, account: str = HOME, region: str = "us-east-1", **kw) -> str:
        return self.endpoint.add_domain(account, region, name, key, **kw)

    def agent(self, name: str, key: str | None, account: str = HOME, region: str = "us-east-1", tags=None) -> str:
        args = {"agentName": name, "agentResourceRoleArn": f"arn:aws:iam::{account}:role/AmazonBedrockExecutionRoleForAgents_x"}
        if tags:
            args["tags"] = tags
        if key:
            args["customerEncryptionKeyArn"] = key
        return self.client("bedrock-agent", account, region).create_agent(**args)["agent"]["agentArn"]

    def knowledge_base(self, name: str, account: str = HOME, region: str = "us-east-1", tags=None) -> str:
        """A vector knowledge base: moto 5.2 creates no other type (MANAGED ones, which take a key, it refuses)."""
        kb = self.client("bedrock-agent", account, region).create_knowledge_base(
            name=name, roleArn=f"arn:aws:iam::{account}:role/KbRole",
            knowledgeBaseConfiguration={"type": "VECTOR", "vectorKnowledgeBaseConfiguration": {
                "embeddingModelArn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"}},
            storageConfiguration={"type": "OPENSEARCH_SERVERLESS", "opensearchServerlessConfiguration": {
                "collectionArn": f"arn:aws:aoss:{region}:{account}:collection/abc", "vectorIndexName": "i",
                "fieldMapping": {"vectorField": "v", "textField": "t", "metadataField": "m"}}},
            **({"tags": tags} if tags else {}))["knowledgeBase"]
        return kb["knowledgeBaseId"]

    def data_source(self, kb_id: str, name: str, key: str | None, account: str = HOME, region: str = "us-east-1") -> None:
        item = {"knowledgeBaseId": kb_id, "dataSourceId": uuid.uuid4().hex[:10].upper(), "name": name, "status": "AVAILABLE",
                "updatedAt": _now(), "createdAt": _now(), "dataSourceConfiguration": {"type": "S3"}}
        if key:
            item["serverSideEncryptionConfiguration"] = {"kmsKeyArn": key}
        self.endpoint.add_item(account, region, "datasource", item)

    def guardrail(self, name: str, key: str | None, account: str = HOME, region: str = "us-east-1", tags=None) -> str:
        gid = uuid.uuid4().hex[:12]
        arn = f"arn:aws:bedrock:{region}:{account}:guardrail/{gid}"
        item = {"id": gid, "arn": arn, "guardrailArn": arn, "guardrailId": gid, "name": name, "status": "READY",
                "version": "DRAFT", "createdAt": _now(), "updatedAt": _now()}
        if key:
            item["kmsKeyArn"] = key
        if tags:
            item["tags"] = dict(tags)
        self.endpoint.add_item(account, region, "guardrail", item)
        return arn

    def flow_or_prompt(self, kind: str, name: str, key: str | None, account: str = HOME, region: str = "us-east-1",
                       tags=None) -> str:
        fid = uuid.uuid4().hex[:10].upper()
        arn = f"arn:aws:bedrock:{region}:{account}:{kind}/{fid}"
        item = {"id": fid, "arn": arn, "name": name, "status": "Prepared", "version": "DRAFT", "createdAt": _now(), "updatedAt": _now()}
        if key:
            item["customerEncryptionKeyArn"] = key
        if tags:
            item["tags"] = dict(tags)
        self.endpoint.add_item(account, region, kind, item)
        return arn

    # -- kinds added for the whole governed inventory ---------------------------------------------------
    def memory(self, name: str, key: str | None, account: str = HOME, region: str = "us-east-1") -> str:
        """An AgentCore memory, through moto's bedrock-agentcore-control backend."""
        args = {"name": name, "eventExpiryDuration": 30, **({"encryptionKeyArn": key} if key else {})}
        return self.client("bedrock-agentcore-control", account, region).create_memory(**args)["memory"]["arn"]

    def gateway(self, name: str, key: str | None, account: str = HOME, region: str = "us-east-1") -> str:
        """An AgentCore gateway, through moto's bedrock-agentcore-control backend."""
        args = {"name": name, "roleArn": f"arn:aws:iam::{account}:role/gw", "protocolType": "MCP", "authorizerType": "AWS_IAM",
                **({"kmsKeyArn": key} if key else {})}
        return self.client("bedrock-agentcore-control", account, region).create_gateway(**args)["gatewayArn"]

    def config_rule(self, name: str, account: str = HOME, region: str = "us-east-1") -> None:
        """A custom Config rule (CUSTOM_LAMBDA, as the detective stack deploys it) in moto's Config: moto checks the
        function exists, so a role and a function are created first (never invoked)."""
        import io
        import zipfile

        role = self.client("iam", account, region).create_role(
            RoleName=f"{name}-role", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))["Role"]
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as bundle:
            bundle.writestr("handler.py", "def lambda_handler(event, context):\n    return None\n")
        function = self.client("lambda", account, region).create_function(
            FunctionName=name, Runtime="python3.12", Role=role["Arn"], Handler="handler.lambda_handler",
            Code={"ZipFile": archive.getvalue()})["FunctionArn"]
        self.client("config", account, region).put_config_rule(ConfigRule={
            "ConfigRuleName": name, "MaximumExecutionFrequency": "TwentyFour_Hours",
            "Source": {"Owner": "CUSTOM_LAMBDA", "SourceIdentifier": function,
                       "SourceDetails": [{"EventSource": "aws.config", "MessageType": "ScheduledNotification",
                                          "MaximumExecutionFrequency": "TwentyFour_Hours"}]}})

    def served(self, kind: str, label: str, key_field: tuple[str, ...], key: str | None, account: str = HOME,
               region: str = "us-east-1", **fields) -> str:
        """A resource of a kind moto lacks, served by the endpoint from botocore's shapes (see endpoint._SERVED).
        A callable field value is given (id, arn, label)."""
        rid = uuid.uuid4().hex[:12]  # botocore: policy engine ids are at least 12 characters
        arn = f"arn:aws:bedrock:{region}:{account}:{kind}/{rid}"
        item = {"id": rid, "arn": arn}
        item.update({k: (v(rid, arn, label) if callable(v) else copy.deepcopy(v)) for k, v in fields.items()})
        if key:
            target = item
            for step in key_field[:-1]:
                target = target.setdefault(step, {})
            target[key_field[-1]] = key
        self.endpoint.add_item(account, region, kind, item)  # kind: the resource type (endpoint._served_routes)
        return arn


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()
