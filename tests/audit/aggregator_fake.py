"""An AWS Config aggregator's compliance APIs, which moto 5.2 does not implement, served from botocore's
`before-send` event of the config clients an audit creates (ClientFactory's on_client hook).

It holds the evaluations the detective Config rule really put (`record`, from PutEvaluations requests
captured on the way to moto) and answers DescribeAggregateComplianceByConfigRules and
GetAggregateComplianceDetailsByConfigRule shaped by botocore's config model: botocore validates the
requests before they get here and parses the responses with the model, as it would AWS's. Pages are
small (PAGE) unless a benchmark asks for AWS's sizes, so paginators must follow NextToken. `latency_s` makes it a benchmark stand-in.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timezone
from typing import Any

from botocore.awsrequest import AWSResponse, HeadersDict

PAGE = 3


class _Body:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_):
        yield self._body


class AggregatorFake:
    def __init__(self, name: str, latency_s: float = 0.0, page: int = PAGE) -> None:
        self.name = name
        self.page = page
        self.latency_s = latency_s
        self.calls = 0
        self._lock = threading.Lock()
        # (rule, account, region) -> (resource type, id) -> the evaluation as PutEvaluations sent it
        self.evaluations: dict[tuple[str, str, str], dict[tuple[str, str], dict[str, Any]]] = {}

    def record(self, rule: str, account: str, region: str, evaluations: list[dict[str, Any]]) -> None:
        """Keep the latest evaluation per resource, as Config does."""
        kept = self.evaluations.setdefault((rule, account, region), {})
        for item in evaluations:
            kept[(item["ComplianceResourceType"], item["ComplianceResourceId"])] = item

    def capture_put_evaluations(self, client, rule: str, account: str, region: str) -> None:
        """Record what a Config rule handler's client sends with PutEvaluations (the request still goes to moto)."""
        def keep(params, **_):
            self.record(rule, account, region, params["Evaluations"])
        client.meta.events.register("provide-client-params.config.PutEvaluations", keep)

    def __call__(self, client) -> None:
        if client.meta.service_model.service_name == "config":
            client.meta.events.register("before-send.config", self._answer)

    def _answer(self, request, **_) -> AWSResponse | None:
        operation = (request.headers.get("X-Amz-Target") or b"").decode().rsplit(".", 1)[-1]
        handler = {"DescribeAggregateComplianceByConfigRules": self._describe,
                   "GetAggregateComplianceDetailsByConfigRule": self._details}.get(operation)
        if handler is None:
            return None  # anything else goes on to moto
        with self._lock:
            self.calls += 1
        time.sleep(self.latency_s)
        params = json.loads(request.body or b"{}")
        if params.get("ConfigurationAggregatorName") != self.name:
            return _response(request, 400, {"__type": "NoSuchConfigurationAggregatorException",
                                            "message": f"The configuration aggregator does not exist: {params.get('ConfigurationAggregatorName')}"})
        return _response(request, 200, handler(params))

    def _describe(self, params: dict) -> dict:
        wanted = params.get("Filters", {})
        rows = []
        for (rule, account, region), items in sorted(self.evaluations.items()):
            if any(wanted.get(k) not in (None, v) for k, v in (("ConfigRuleName", rule), ("AccountId", account),
                                                                ("AwsRegion", region))):
                continue
            bad = sum(1 for e in items.values() if e["ComplianceType"] == "NON_COMPLIANT")
            rows.append({"ConfigRuleName": rule, "AccountId": account, "AwsRegion": region,
                         "Compliance": {"ComplianceType": "NON_COMPLIANT" if bad else "COMPLIANT",
                                        "ComplianceContributorCount": {"CappedCount": bad, "CapExceeded": False}}})
        return _page(rows, params, "AggregateComplianceByConfigRules", self.page)

    def _details(self, params: dict) -> dict:
        key = (params["ConfigRuleName"], params["AccountId"], params["AwsRegion"])
        rows = []
        for (rtype, rid), item in sorted(self.evaluations.get(key, {}).items()):
            if params.get("ComplianceType") not in (None, item["ComplianceType"]):
                continue
            when = item["OrderingTimestamp"]
            stamp = (when if isinstance(when, datetime) else datetime.now(timezone.utc)).timestamp()
            row = {"EvaluationResultIdentifier": {"EvaluationResultQualifier": {
                       "ConfigRuleName": key[0], "ResourceType": rtype, "ResourceId": rid, "EvaluationMode": "DETECTIVE"},
                       "OrderingTimestamp": stamp},
                   "ComplianceType": item["ComplianceType"], "ResultRecordedTime": stamp, "ConfigRuleInvokedTime": stamp,
                   "AccountId": key[1], "AwsRegion": key[2]}
            if item.get("Annotation"):
                row["Annotation"] = item["Annotation"]
            rows.append(row)
        return _page(rows, params, "AggregateEvaluationResults", self.page)


def _page(rows: list[dict], params: dict, key: str, page_size: int) -> dict:
    start = int(params.get("NextToken") or 0)
    limit = min(int(params.get("Limit") or page_size), page_size)
    page = {key: rows[start:start + limit]}
    if start + limit < len(rows):
        page["NextToken"] = str(start + limit)
    return page


def _response(request, status: int, body: dict) -> AWSResponse:
    headers = HeadersDict({"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "fake"})
    return AWSResponse(request.url, status, headers, _Body(json.dumps(body).encode()))
