"""One local HTTP endpoint for audit tests: moto's ThreadedMotoServer (KMS, Bedrock, Organizations,
STS) with a WSGI layer in front for what moto lacks.

- DataZone: ListDomains / GetDomain and the migrate-plan reads, shaped like botocore's datazone model.
- Bedrock routes moto 5.2 does not implement (guardrails, flows, prompts, knowledge-base data sources,
  and ListTagsForResource for the guardrails, flows and prompts kept here).
- KMS DescribeKey for keys registered as AWS-managed: moto reports KeyManager CUSTOMER for every key,
  real KMS says AWS for aws/* keys.
- Security Hub BatchUpdateFindings (moto 5.2 implements BatchImportFindings and GetFindings only): sets
  Workflow and Note on the findings moto's Security Hub holds, as the API reference describes the call
  (FindingIdentifiers of Id and ProductArn; an unknown one comes back in UnprocessedFindings).
- Faults: a ThrottlingException or AccessDenied for matching requests, a given number of times.

Requests are routed by the SigV4 credential scope (service, region) and moto's access-key-to-account
mapping, the same way moto's own dispatcher routes them.
"""

from __future__ import annotations

import functools
import io
import json
import re
import threading
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable
from urllib.parse import parse_qs

import botocore.session
from moto.iam.models import get_account_id_from
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from guardrails.live_inventory import SOURCES

_SCOPE = re.compile(r"Credential=([^/]+)/\d+/([^/]+)/([^/]+)/aws4_request")
PAGE = 2  # the fake's page size: small, so paginators must follow nextToken


# A workspace owned as Settings' default required tags demand (WorkspaceOwnershipTags, judged live too).
OWNERSHIP_TAGS = {"Owner": "ml-platform", "CostCenter": "cc-1", "DataClassification": "internal"}


@dataclass(frozen=True)
class Call:
    service: str
    region: str
    account: str
    method: str
    path: str
    target: str  # X-Amz-Target (json protocol) or Action (query protocol)
    body: str = ""  # the request body (AssumeRole's RoleArn names the account it goes into)


@dataclass
class Fault:
    match: Callable[[Call], bool]
    code: str
    status: int = 400
    times: int = 1_000_000


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


class AuditEndpoint(ThreadedMotoServer):
    def __init__(self) -> None:
        super().__init__(ip_address="127.0.0.1", port=0, verbose=False)
        self.lock = threading.Lock()
        self.domains: dict[tuple[str, str], dict[str, dict]] = {}  # (account, region) -> id -> GetDomain output
        self.domain_details: dict[str, dict[str, Any]] = {}  # domain id -> projects/environments/... lists
        self.extra: dict[tuple[str, str, str], list[dict]] = {}  # (account, region, kind) -> items
        self.aws_managed: set[str] = set()
        self.faults: list[Fault] = []
        self.calls: Counter[str] = Counter()
        self.requests: list[Call] = []  # every request, in order (method and path name a REST operation)

    # -- setup helpers ------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self.get_host_and_port()
        return f"http://{host}:{port}"

    def add_domain(self, account: str, region: str, name: str, key: str | None, version: str = "V1",
                   tags: dict[str, str] | None = None, **details) -> str:
        domain_id = "dzd_" + uuid.uuid4().hex[:14]
        domain = {"id": domain_id, "name": name, "arn": f"arn:aws:datazone:{region}:{account}:domain/{domain_id}",
                  "domainExecutionRole": f"arn:aws:iam::{account}:role/DataZoneExec", "status": "AVAILABLE",
                  "domainVersion": version, "createdAt": _now(), "portalUrl": f"https://{domain_id}.datazone.aws",
                  "tags": tags if tags is not None else dict(OWNERSHIP_TAGS)}
        if key:
            domain["kmsKeyIdentifier"] = key
        if version == "V2":
            domain["serviceRole"] = f"arn:aws:iam::{account}:role/DataZoneService"
        self.domains.setdefault((account, region), {})[domain_id] = domain
        self.domain_details[domain_id] = dict(details)
        return domain_id

    def add_item(self, account: str, region: str, kind: str, item: dict) -> None:
        self.extra.setdefault((account, region, kind), []).append(item)

    # -- server -------------------------------------------------------------------------------------
    def _server_entry(self) -> None:
        self._moto = DomainDispatcherApplication(create_backend_app)
        self._server = make_server(self._ip_address, self._port, self._app, True, request_handler=MotoRequestHandler)
        self._server_ready_event.set()
        self._server.serve_forever()

    def _app(self, environ: dict, start_response: Callable) -> Any:
        request = Request(environ)
        scope = _SCOPE.search(request.headers.get("Authorization", ""))
        access_key, region, service = scope.groups() if scope else ("", "us-east-1", "")
        body = _small_pages(service, request.headers.get("X-Amz-Target", ""), request.get_data(cache=True))
        # moto reads the body from the environ again: give it a fresh stream.
        environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
        request = Request(environ)
        target = request.headers.get("X-Amz-Target", "").split(".")[-1] or parse_qs(body.decode() or "").get("Action", [""])[0]
        call = Call(service, region, get_account_id_from(access_key) if access_key else "", request.method, request.path, target,
                    body.decode(errors="replace"))
        with self.lock:
            self.calls[f"{service}:{target or request.path}"] += 1
            self.requests.append(call)
            fault = next((f for f in self.faults if f.times > 0 and f.match(call)), None)
            if fault:
                fault.times -= 1
        if fault:
            return _error(call, fault.code, fault.status)(environ, start_response)
        handler = self._route(call, request)
        if handler is not None:
            return handler(environ, start_response)
        if service == "kms" and target == "DescribeKey" and self.aws_managed:
            return self._describe_key(environ, start_response)
        return self._moto(environ, start_response)

    def _describe_key(self, environ: dict, start_response: Callable) -> Any:
        captured: dict = {}

        def keep(status, headers, exc_info=None):
            captured.update(status=status, headers=headers)
        body = b"".join(self._moto(environ, keep))
        data = json.loads(body or b"{}")
        meta = data.get("KeyMetadata")
        if meta and meta["KeyId"] in self.aws_managed:
            meta["KeyManager"] = "AWS"
            body = json.dumps(data).encode()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        return Response(body, status=captured["status"], headers=headers)(environ, start_response)

    def _route(self, call: Call, request: Request) -> Response | None:
        parts = [p for p in call.path.split("/") if p]
        if call.service == "datazone":
            return self._datazone(call, parts, request)
        if call.service == "securityhub" and request.method == "PATCH" and parts == ["findings", "batchupdate"]:
            return _batch_update_findings(call, json.loads(request.data or b"{}"))
        tagged = self._tags(call, parts, request)
        if tagged is not None:
            return tagged
        path = "/" + "/".join(parts)
        for route in _served_routes():  # kinds moto lacks: listed and read from `extra`, on botocore's paths
            if call.service != route.signing or not (path == route.list_path or path.startswith(route.get_prefix)):
                continue
            items = self.extra.get((call.account, call.region, route.kind), [])
            if path == route.list_path:
                return _page(items, route.list_key, request, lambda i: {k: v for k, v in i.items() if k != "tags"})
            wanted = path[len(route.get_prefix):]  # an ARN identifier arrives with its slashes
            found = [{k: v for k, v in i.items() if k != "tags"} for i in items if wanted in (i["id"], i["arn"])]
            if not found:
                return _error(call, "ResourceNotFoundException", 404)
            return _json({route.wrapper: found[0]} if route.wrapper else found[0])
        if call.service == "bedrock" and parts[:1] == ["guardrails"]:
            return self._list_or_get(call, "guardrail", parts[1:], "guardrails", request)
        # bedrock-agent signs as "bedrock" too: the paths tell the APIs apart.
        if call.service == "bedrock" and parts[:1] in (["flows"], ["prompts"]):
            return self._list_or_get(call, parts[0][:-1], parts[1:], f"{parts[0][:-1]}Summaries", request)
        if call.service == "bedrock" and len(parts) >= 3 and parts[0] == "knowledgebases" and parts[2] == "datasources":
            items = [d for d in self.extra.get((call.account, call.region, "datasource"), []) if d["knowledgeBaseId"] == parts[1]]
            if len(parts) == 3:
                return _page(items, "dataSourceSummaries", request, lambda d: {k: d[k] for k in
                             ("knowledgeBaseId", "dataSourceId", "name", "status", "updatedAt")})
            found = [d for d in items if d["dataSourceId"] == parts[3]]
            return _json({"dataSource": found[0]}) if found else _error(call, "ResourceNotFoundException", 404)
        return None

    def _tags(self, call: Call, parts: list[str], request: Request) -> Response | None:
        """ListTagsForResource of an item kept here: bedrock (POST /listTagsForResource, a key/value list)
        or bedrock-agent (GET /tags/{arn}, a map). Agents and knowledge bases are moto's."""
        if parts == ["listTagsForResource"]:
            arn, as_list = json.loads(request.data or b"{}").get("resourceARN"), True
        elif parts[:1] == ["tags"] and request.method == "GET":
            arn, as_list = "/".join(parts[1:]), False
        else:
            return None
        item = next((i for (account, region, _), items in self.extra.items() if (account, region) == (call.account, call.region)
                     for i in items if i.get("arn") == arn), None)
        if item is None:
            return None
        tags = item.get("tags", {})
        return _json({"tags": [{"key": k, "value": v} for k, v in tags.items()] if as_list else tags})

    def _list_or_get(self, call: Call, kind: str, rest: list[str], key: str, request: Request) -> Response:
        items = self.extra.get((call.account, call.region, kind), [])
        if not rest:
            return _page(items, key, request, lambda item: {k: v for k, v in item.items() if "Key" not in k and k != "tags"})
        found = [i for i in items if rest[0] in (i["id"], i["arn"])]
        return _json({k: v for k, v in found[0].items() if k != "tags"}) if found else _error(call, "ResourceNotFoundException", 404)

    def _datazone(self, call: Call, parts: list[str], request: Request) -> Response:
        domains = self.domains.get((call.account, call.region), {})
        if parts == ["v2", "domains"]:
            return _page(list(domains.values()), "items", request, lambda d: {k: d[k] for k in
                         ("id", "name", "arn", "status", "createdAt", "domainVersion", "portalUrl")} |
                         {"managedAccountId": call.account})
        if len(parts) < 3 or parts[2] not in domains:
            return _error(call, "ResourceNotFoundException", 404)
        domain, details = domains[parts[2]], self.domain_details.get(parts[2], {})
        if len(parts) == 3:
            return _json(domain)
        tail = parts[3:]
        if tail == ["projects"]:
            return _page(details.get("projects", []), "items", request)
        if tail == ["environments"]:
            project = request.args.get("projectIdentifier")
            return _page([e for e in details.get("environments", []) if e["projectId"] == project], "items", request)
        if tail == ["environment-blueprints"]:
            return _page(details.get("blueprints", []), "items", request)
        if len(tail) == 3 and tail[0] == "projects" and tail[2] == "memberships":
            return _page(details.get("members", {}).get(tail[1], []), "members", request)
        if tail == ["search"]:
            return _page([{"glossaryItem": g} for g in details.get("glossaries", [])], "items", request)
        return _error(call, "ValidationException", 400)


@dataclass(frozen=True)
class _Route:
    signing: str  # the service name in the request's SigV4 scope
    list_path: str
    get_prefix: str
    kind: str  # the resource type; world.served() keeps items under it
    list_key: str
    wrapper: str | None  # the Get response's wrapping member (GetBlueprint -> "blueprint"), if any


# Inventory kinds moto implements, and those routed by hand above (DataZone, guardrails, flows, prompts).
_MOTO_OR_ROUTED = {"AWS::Bedrock::Agent", "AWS::Bedrock::KnowledgeBase", "Bedrock::CustomModel", "AWS::BedrockAgentCore::Memory",
                   "AWS::BedrockAgentCore::Gateway", "AWS::DataZone::Domain", "AWS::Bedrock::Guardrail", "AWS::Bedrock::Flow",
                   "AWS::Bedrock::Prompt"}


def _batch_update_findings(call: Call, body: dict) -> Response:
    from moto.securityhub.models import securityhub_backends

    held = {f.id: f for f in securityhub_backends[call.account][call.region].findings}
    processed, unprocessed = [], []
    for ident in body["FindingIdentifiers"]:
        finding = held.get(ident["Id"])
        if finding is None or finding.data.get("ProductArn") != ident["ProductArn"]:
            unprocessed.append({"FindingIdentifier": ident, "ErrorCode": "FindingNotFound", "ErrorMessage": "no such finding"})
            continue
        if "Workflow" in body:
            finding.data["Workflow"] = {"Status": body["Workflow"]["Status"]}
        if "Note" in body:
            finding.data["Note"] = {**body["Note"], "UpdatedAt": _now()}
        processed.append(ident)
    return _json({"ProcessedFindings": processed, "UnprocessedFindings": unprocessed})


@functools.lru_cache(maxsize=1)
def _served_routes() -> tuple[_Route, ...]:
    """For every other kind of the shared inventory, its List and Get paths from botocore's service model."""
    session = botocore.session.get_session()
    routes = []
    for source in SOURCES:
        if source.resource_type in _MOTO_OR_ROUTED:
            continue
        model = session.get_service_model(source.service)
        def uri(method: str) -> str:
            return model.operation_model(method.title().replace("_", "")).http["requestUri"].split("?")[0]
        list_path, get_uri = uri(source.list_method).rstrip("/"), uri(source.get_method)
        routes.append(_Route(model.signing_name, list_path, get_uri.split("{")[0], source.resource_type, source.list_items,
                             source.arn_path[0] if len(source.arn_path) > 1 else None))
    return tuple(routes)


def _small_pages(service: str, target: str, body: bytes) -> bytes:
    """Organizations ListAccounts in pages of PAGE (moto's are 100), so paginators must follow NextToken."""
    if service != "organizations" or not target.endswith(".ListAccounts"):
        return body
    args = json.loads(body or b"{}")
    args.setdefault("MaxResults", PAGE)
    return json.dumps(args).encode()


def _page(items: list, key: str, request: Request, shape: Callable[[dict], dict] = lambda x: x) -> Response:
    args = request.args
    if request.method == "POST" and request.data:
        args = json.loads(request.data)
    start = int(args.get("nextToken") or 0)
    size = min(int(args.get("maxResults") or PAGE), PAGE)
    body: dict[str, Any] = {key: [shape(i) for i in items[start:start + size]]}
    if start + size < len(items):
        body["nextToken"] = str(start + size)
    return _json(body)


def _json(body: dict, status: int = 200) -> Response:
    return Response(json.dumps(body, default=str), status=status, content_type="application/json")


def _error(call: Call, code: str, status: int) -> Response:
    message = f"{code} injected by the test endpoint for {call.service} {call.target or call.path}"
    if call.service in ("sts", "iam"):  # query protocol: XML
        xml = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
               "<RequestId>test</RequestId></ErrorResponse>")
        return Response(xml, status=status, content_type="text/xml")
    return Response(json.dumps({"__type": code, "message": message}), status=status,
                    headers={"x-amzn-ErrorType": code}, content_type="application/json")
