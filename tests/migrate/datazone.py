"""An in-memory DataZone for migrate tests, driven by botocore's datazone model (moto has no DataZone).

Routing, request parsing and response shapes all come from the model (service-2.json of the pinned
botocore): a request is matched to its operation by HTTP method and requestUri, its input read by each
member's location (uri, querystring, body), and every response is cut to the operation's output shape
and validated against it with botocore's own validator. A response that does not validate is a bug in
this fake: it is answered with HTTP 500 and kept in `invalid`, which the tests assert stays empty.

Behaviour kept close to DataZone's where the migration relies on it: profile ids differ per domain for
the same IAM Identity Center user; a membership must name a profile of that domain; managed blueprints
exist in every domain under their own ids; Search only sees what its index holds (`hide_from_search`
imitates an index that has not caught up yet). Names are not made unique: counting copies in a test
then shows whether the migration itself avoids duplicates.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections import defaultdict
from datetime import datetime, timezone
from typing import Any, Callable
from urllib.parse import unquote

import botocore.session
from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape
from botocore.validate import ParamValidator
from werkzeug.wrappers import Request, Response

from tests.audit.endpoint import PAGE, Call, _error, _json

MODEL = botocore.session.get_session().get_service_model("datazone")
MANAGED_BLUEPRINTS = ("DefaultDataLake", "DefaultDataWarehouse")
# Create<Noun> / Get<Noun> / List<Noun>s / Update<Noun> store items in one table per noun.
TABLES = {"Project": "projects", "Glossary": "glossaries", "GlossaryTerm": "terms", "FormType": "form-types",
          "AssetType": "asset-types", "Asset": "assets", "ProjectProfile": "project-profiles", "DomainUnit": "domain-units",
          "EnvironmentProfile": "environment-profiles", "Environment": "environments", "DataSource": "data-sources",
          "EnvironmentBlueprint": "blueprints", "EnvironmentBlueprintConfiguration": "blueprint-configurations",
          "UserProfile": "user-profiles", "GroupProfile": "group-profiles", "Subscription": "subscriptions"}
SEARCH_SCOPES = {"GLOSSARY": ("glossaries", "glossaryItem"), "GLOSSARY_TERM": ("terms", "glossaryTermItem"),
                 "ASSET": ("assets", "assetItem")}
TYPE_SCOPES = {"FORM_TYPE": ("form-types", "formTypeItem"), "ASSET_TYPE": ("asset-types", "assetTypeItem")}


KEPT_NAMES = ("externalIdentifier", "typeIdentifier")  # the same name in inputs and outputs


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _new_id() -> str:
    return uuid.uuid4().hex[:14]


def _routes() -> list[tuple[str, re.Pattern, OperationModel]]:
    routes = []
    for name in MODEL.operation_names:
        operation = MODEL.operation_model(name)
        path = operation.http["requestUri"].split("?")[0]
        pattern = re.sub(r"\\\{(\w+)(?:\\\+)?\\\}", lambda m: f"(?P<{m.group(1)}>[^/]+)", re.escape(path))
        routes.append((operation.http["method"], re.compile(f"^{pattern}$"), operation))
    # The most literal path wins: /projects/{id}/memberships before /projects/{id}.
    return sorted(routes, key=lambda r: -len(re.sub(r"\(\?P<\w+>\[\^/\]\+\)", "", r[1].pattern)))


ROUTES = _routes()


def cut(value: Any, shape: Shape) -> Any:
    """Keep what the shape declares, at every depth (a response says no more than the model allows)."""
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        return {k: cut(value[k], m) for k, m in shape.members.items() if value.get(k) is not None}
    if isinstance(shape, ListShape) and isinstance(value, list):
        return [cut(v, shape.member) for v in value]
    if isinstance(shape, MapShape) and isinstance(value, dict):
        return {k: cut(v, shape.value) for k, v in value.items()}
    return value


def output_errors(body: dict, operation: OperationModel) -> str | None:
    """botocore's validator on a response body and the operation's output shape (None: valid)."""
    report = ParamValidator().validate(body, operation.output_shape)
    return report.generate_report() if report.has_errors() else None


def _renamed(params: dict) -> dict:
    """Inputs name references "...Identifier", outputs "...Id" (owningProjectIdentifier -> owningProjectId)."""
    return {(k[: -len("Identifier")] + "Id" if k.endswith("Identifier") and k not in KEPT_NAMES else k): v
            for k, v in params.items()}


class DataZoneStore:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        self.domains: dict[str, dict] = {}
        self.tables: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
        self.members: dict[tuple[str, str], list[dict]] = defaultdict(list)  # (domain, project) -> ProjectMember
        self.directory_users: dict[str, str] = {}  # IAM Identity Center: user id -> user name
        self.directory_groups: dict[str, str] = {}  # group id -> group name
        self.mutations: list[tuple[str, str]] = []  # (domain, operation) of every change
        self.invalid: list[str] = []
        self.hidden: set[str] = set()  # ids Search does not return (index not caught up)
        self.hide_new_from_search = False

    # -- what tests read ----------------------------------------------------------------------------
    def items(self, domain: str, table: str) -> list[dict]:
        return list(self.tables[(domain, table)].values())

    def names(self, domain: str, table: str) -> list[str]:
        return sorted(i["name"] for i in self.items(domain, table))

    # -- dispatch -----------------------------------------------------------------------------------
    def handle(self, call: Call, request: Request) -> Response:
        for method, pattern, operation in ROUTES:
            match = pattern.match(call.path)
            if method == call.method and match:
                break
        else:
            return _error(call, "UnknownOperationException", 404)
        params = self._input(operation, match, request)
        handler: Callable = getattr(self, f"_op_{operation.name}", None) or self._generic(operation.name)
        if handler is None:
            return _error(call, "ValidationException", 400)
        with self.lock:
            if operation.name != "CreateDomain" and "domainIdentifier" in params and params["domainIdentifier"] not in self.domains:
                return _error(call, "ResourceNotFoundException", 404)
            result = handler(params, call)
            if isinstance(result, Response):
                return result
            if not operation.name.startswith(("Get", "List", "Search")):
                self.mutations.append((params.get("domainIdentifier", result.get("id", "")), operation.name))
        body = cut(result, operation.output_shape)
        problems = output_errors(body, operation)
        if problems:
            self.invalid.append(f"{operation.name}: {problems}")
            return _json({"message": problems}, 500)
        return _json(body, 201 if operation.name.startswith("Create") else 200)

    def _input(self, operation: OperationModel, match: re.Match, request: Request) -> dict:
        body = json.loads(request.data) if request.data else {}
        params: dict[str, Any] = {}
        for name, member in operation.input_shape.members.items():
            location, wire = member.serialization.get("location"), member.serialization.get("name", name)
            if location == "uri":
                params[name] = unquote(match.group(wire))
            elif location == "querystring" and wire in request.args:
                raw = request.args[wire]
                params[name] = raw == "true" if member.type_name == "boolean" else int(raw) if member.type_name == "integer" else raw
            elif location is None and name in body:
                params[name] = body[name]
        return params

    def _generic(self, operation: str) -> Callable | None:
        for verb in ("Create", "Get", "List", "Update"):
            noun = operation[len(verb):]
            noun = noun[:-1] if verb == "List" and noun.endswith("s") else noun
            if operation.startswith(verb) and noun in TABLES:
                return lambda params, call: getattr(self, f"_{verb.lower()}")(TABLES[noun], noun, params, call)
        return None

    # -- generic verbs ------------------------------------------------------------------------------
    def _create(self, table: str, noun: str, params: dict, call: Call) -> dict:
        domain = params["domainIdentifier"]
        item = {k: v for k, v in _renamed(params).items() if k not in ("domainId", "clientToken")}
        item.update(id=_new_id(), domainId=domain, createdAt=_now(), updatedAt=_now(), createdBy="migration-caller")
        fix = getattr(self, f"_new_{table.replace('-', '_')}", None)
        if fix is not None:
            problem = fix(item, domain, call)
            if isinstance(problem, Response):
                return problem
        self.tables[(domain, table)][item["id"]] = item
        if self.hide_new_from_search:
            self.hidden.add(item["id"])
        return item

    def _find(self, table: str, domain: str, identifier: str) -> dict | None:
        items = self.tables[(domain, table)]
        return items.get(identifier) or next((i for i in items.values() if i.get("name") == identifier), None)

    def _get(self, table: str, noun: str, params: dict, call: Call) -> dict | Response:
        identifier = next(v for k, v in params.items() if k != "domainIdentifier" and k.endswith("Identifier") or k == "identifier")
        found = self._find(table, params["domainIdentifier"], identifier)
        return found if found is not None else _error(call, "ResourceNotFoundException", 404)

    def _list(self, table: str, noun: str, params: dict, call: Call) -> dict:
        filters = {k: v for k, v in _renamed(params).items() if k not in ("domainId", "maxResults", "nextToken", "managed")}
        items = [i for i in self.items(params["domainIdentifier"], table) if all(i.get(k) == v for k, v in filters.items())]
        return _paged(items, "items", params)

    def _update(self, table: str, noun: str, params: dict, call: Call) -> dict | Response:
        found = self._find(table, params["domainIdentifier"], params["identifier"])
        if found is None:
            return _error(call, "ResourceNotFoundException", 404)
        found.update({k: v for k, v in _renamed(params).items() if k not in ("domainId", "id")}, updatedAt=_now())
        return found

    # -- what a create adds, per table ----------------------------------------------------------------
    def _new_projects(self, item: dict, domain: str, call: Call) -> None:
        item["projectStatus"] = "ACTIVE"
        tags = item.pop("resourceTags", None) or {}
        if tags:
            item["resourceTags"] = [{"key": k, "value": v, "source": "PROJECT"} for k, v in tags.items()]

    def _new_glossaries(self, item: dict, domain: str, call: Call) -> None:
        item.setdefault("status", "ENABLED")

    def _new_terms(self, item: dict, domain: str, call: Call) -> None:
        item.setdefault("status", "ENABLED")

    def _new_form_types(self, item: dict, domain: str, call: Call) -> None:
        item.update(id=item["name"], revision="1")
        item.setdefault("status", "ENABLED")

    def _new_asset_types(self, item: dict, domain: str, call: Call) -> None:
        item.update(id=item["name"], revision="1", formsOutput={
            name: {"typeName": entry["typeIdentifier"], "typeRevision": entry["typeRevision"], "required": entry.get("required", False)}
            for name, entry in item.pop("formsInput", {}).items()})

    def _new_assets(self, item: dict, domain: str, call: Call) -> None:
        asset_type = self._find("asset-types", domain, item["typeIdentifier"])
        item.update(revision="1", typeRevision=item.get("typeRevision") or (asset_type or {}).get("revision", "1"),
                    formsOutput=_forms(item.pop("formsInput", [])))

    def _new_data_sources(self, item: dict, domain: str, call: Call) -> None:
        item.update(dataSourceId=item["id"], status="READY", assetFormsOutput=_forms(item.pop("assetFormsInput", [])))

    def _new_environment_profiles(self, item: dict, domain: str, call: Call) -> None:
        item["userParameters"] = _custom(item.get("userParameters"))

    def _new_environments(self, item: dict, domain: str, call: Call) -> None:
        profile = self.tables[(domain, "environment-profiles")].get(item.get("environmentProfileId") or "") or {}
        item.update(provider="Amazon DataZone", status="ACTIVE",
                    awsAccountId=item.pop("environmentAccountId", None) or profile.get("awsAccountId"),
                    awsAccountRegion=item.pop("environmentAccountRegion", None) or profile.get("awsAccountRegion"),
                    environmentBlueprintId=item.get("environmentBlueprintId") or profile.get("environmentBlueprintId"),
                    userParameters=_custom(item.get("userParameters")))

    def _new_domain_units(self, item: dict, domain: str, call: Call) -> None:
        parent = self.tables[(domain, "domain-units")].get(item["parentDomainUnitId"], {})
        item.update(owners=[], ancestorDomainUnitIds=[*parent.get("ancestorDomainUnitIds", []), item["parentDomainUnitId"]])

    def _new_project_profiles(self, item: dict, domain: str, call: Call) -> None:
        item.setdefault("status", "ENABLED")

    def _new_user_profiles(self, item: dict, domain: str, call: Call) -> Response | None:
        user = item.pop("userId")
        if item.get("userType") == "SSO_USER":
            if user not in self.directory_users:
                return _error(call, "ResourceNotFoundException", 404)
            item.update(type="SSO", details={"sso": {"username": self.directory_users[user]}})
        else:
            item.update(type="IAM", details={"iam": {"arn": user}})
        item.update(status="ACTIVATED")
        return None

    def _new_group_profiles(self, item: dict, domain: str, call: Call) -> Response | None:
        group = item.pop("groupId", None)
        if group not in self.directory_groups:
            return _error(call, "ResourceNotFoundException", 404)
        item.update(groupName=self.directory_groups[group], status="ASSIGNED")
        return None

    # -- operations of their own -------------------------------------------------------------------
    def _op_CreateDomain(self, params: dict, call: Call) -> dict:
        domain_id = "dzd_" + _new_id()
        root = _new_id()
        domain = {k: v for k, v in params.items() if k != "clientToken"}
        domain.update(id=domain_id, rootDomainUnitId=root, status="AVAILABLE", createdAt=_now(),
                      arn=f"arn:aws:datazone:{call.region}:{call.account}:domain/{domain_id}",
                      portalUrl=f"https://{domain_id}.datazone.{call.region}.on.aws", domainVersion=params.get("domainVersion", "V1"))
        domain.setdefault("domainExecutionRole", f"arn:aws:iam::{call.account}:role/DataZoneExecution")
        self.domains[domain_id] = domain
        self.tables[(domain_id, "domain-units")][root] = {"id": root, "name": "root", "domainId": domain_id, "owners": [],
                                                           "ancestorDomainUnitIds": []}
        for name in MANAGED_BLUEPRINTS:  # every domain has them, under ids of its own
            blueprint_id = _new_id()
            self.tables[(domain_id, "blueprints")][blueprint_id] = {
                "id": blueprint_id, "name": name, "provider": "Amazon DataZone",
                "provisioningProperties": {"cloudFormation": {"templateUrl": f"https://example.com/{name}.json"}}}
        return domain

    def _op_GetDomain(self, params: dict, call: Call) -> dict | Response:
        return self.domains.get(params["identifier"]) or _error(call, "ResourceNotFoundException", 404)

    def _op_ListDomainUnitsForParent(self, params: dict, call: Call) -> dict:
        units = [u for u in self.items(params["domainIdentifier"], "domain-units")
                 if u.get("parentDomainUnitId") == params["parentDomainUnitIdentifier"]]
        return _paged(units, "items", params)

    def _op_PutEnvironmentBlueprintConfiguration(self, params: dict, call: Call) -> dict | Response:
        domain, blueprint = params["domainIdentifier"], params["environmentBlueprintIdentifier"]
        if blueprint not in self.tables[(domain, "blueprints")]:
            return _error(call, "ResourceNotFoundException", 404)
        item = {k: v for k, v in params.items() if k not in ("domainIdentifier", "environmentBlueprintIdentifier")}
        item.update(domainId=domain, environmentBlueprintId=blueprint, id=blueprint, createdAt=_now(), updatedAt=_now())
        self.tables[(domain, "blueprint-configurations")][blueprint] = item
        return item

    def _op_CreateProjectMembership(self, params: dict, call: Call) -> dict | Response:
        domain, member = params["domainIdentifier"], params["member"]
        if params["projectIdentifier"] not in self.tables[(domain, "projects")]:
            return _error(call, "ResourceNotFoundException", 404)
        if "userIdentifier" in member:
            if member["userIdentifier"] not in self.tables[(domain, "user-profiles")]:
                return _error(call, "ResourceNotFoundException", 404)  # a profile id of another domain means nothing here
            details = {"user": {"userId": member["userIdentifier"]}}
        else:
            if member["groupIdentifier"] not in self.tables[(domain, "group-profiles")]:
                return _error(call, "ResourceNotFoundException", 404)
            details = {"group": {"groupId": member["groupIdentifier"]}}
        self.members[(domain, params["projectIdentifier"])].append({"memberDetails": details, "designation": params["designation"]})
        return {}

    def _op_ListProjectMemberships(self, params: dict, call: Call) -> dict:
        return _paged(self.members[(params["domainIdentifier"], params["projectIdentifier"])], "members", params)

    def _op_Search(self, params: dict, call: Call) -> dict:
        table, key = SEARCH_SCOPES[params["searchScope"]]
        items = [i for i in self.items(params["domainIdentifier"], table) if i["id"] not in self.hidden]
        return _paged([{key: dict(i, identifier=i["id"]) if table == "assets" else i} for i in items], "items", params)

    def _op_SearchTypes(self, params: dict, call: Call) -> dict:
        table, key = TYPE_SCOPES[params["searchScope"]]
        items = [] if params["managed"] else self.items(params["domainIdentifier"], table)  # all stored types are custom
        return _paged([{key: i} for i in items if i["id"] not in self.hidden], "items", params)

    def _op_SearchUserProfiles(self, params: dict, call: Call) -> dict:
        wanted = {"DATAZONE_SSO_USER": "SSO", "DATAZONE_IAM_USER": "IAM"}.get(params["userType"])
        text = params.get("searchText", "")
        found = [u for u in self.items(params["domainIdentifier"], "user-profiles")
                 if u["type"] == wanted and text in json.dumps(u["details"])]
        return _paged(found, "items", params)

    def _op_SearchGroupProfiles(self, params: dict, call: Call) -> dict:
        text = params.get("searchText", "")
        return _paged([g for g in self.items(params["domainIdentifier"], "group-profiles") if text in g["groupName"]], "items", params)

    def _op_GetUserProfile(self, params: dict, call: Call) -> dict | Response:
        found = self.tables[(params["domainIdentifier"], "user-profiles")].get(params["userIdentifier"])
        return found or _error(call, "ResourceNotFoundException", 404)

    def _op_GetGroupProfile(self, params: dict, call: Call) -> dict | Response:
        found = self.tables[(params["domainIdentifier"], "group-profiles")].get(params["groupIdentifier"])
        return found or _error(call, "ResourceNotFoundException", 404)

    def _op_GetFormType(self, params: dict, call: Call) -> dict | Response:
        found = self._find("form-types", params["domainIdentifier"], params["formTypeIdentifier"])
        return found or _error(call, "ResourceNotFoundException", 404)


def _forms(forms: list[dict]) -> list[dict]:
    return [{"formName": f["formName"], "typeName": f.get("typeIdentifier"), "typeRevision": f.get("typeRevision"),
             "content": f.get("content")} for f in forms]


def _custom(parameters: list[dict] | None) -> list[dict]:
    """Create takes name/value; Get describes parameters (CustomParameter)."""
    return [{"keyName": p["name"], "fieldType": "String", "defaultValue": p.get("value")} for p in parameters or []]


def _paged(items: list, key: str, params: dict) -> dict:
    start = int(params.get("nextToken") or 0)
    size = min(int(params.get("maxResults") or PAGE), PAGE)
    body: dict[str, Any] = {key: items[start:start + size]}
    if start + size < len(items):
        body["nextToken"] = str(start + size)
    return body
