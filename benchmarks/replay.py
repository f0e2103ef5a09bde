"""Record an audit's AWS responses once, then serve them from botocore's `before-send` event.

`Recorder` is registered on every client of a run against a real endpoint (moto and the test fake) and
keeps each response by its request. `Replayer` answers the same requests from memory after sleeping
the injected latency: no socket, no server, no emulator CPU. Everything else an audit does (client
creation, endpoint resolution, signing, retries, parsing, evaluation, threading) runs as it does
against AWS, so that is what a replayed run measures.

A request is known by what identifies it to AWS, not by its host: the signing scope (access key,
region, service), method, path and query, X-Amz-Target and body. So a recording made through
`--endpoint-url` replays for clients on AWS's own endpoints.
"""

from __future__ import annotations

import re
import threading
import time
from urllib.parse import urlsplit

from botocore.awsrequest import AWSResponse, HeadersDict

_SCOPE = re.compile(r"Credential=([^/]+)/\d+/([^/]+)/([^/]+)/aws4_request")
Recorded = tuple[int, dict[str, str], bytes]


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else (value or "")


def request_key(request) -> tuple:
    scope = _SCOPE.search(_text(request.headers.get("Authorization")))
    url = urlsplit(request.url)
    body = request.body or b""
    if isinstance(body, str):
        body = body.encode()
    elif not isinstance(body, bytes):  # a file-like body: none of the audit's calls send one
        raise TypeError(f"cannot key a streamed body for {request.url}")
    return (scope.groups() if scope else None, request.method, url.path, url.query,
            _text(request.headers.get("X-Amz-Target")), body)


class Recorder:
    """Keeps the last response to each distinct request; register it with ClientFactory's on_client."""

    def __init__(self) -> None:
        self.responses: dict[tuple, Recorded] = {}
        self._current = threading.local()  # a client sends one request at a time per thread
        self._lock = threading.Lock()

    def __call__(self, client) -> None:
        client.meta.events.register("before-send", self._note)
        client.meta.events.register("before-parse", self._keep)

    def _note(self, request, **_) -> None:
        self._current.key = request_key(request)

    def _keep(self, response_dict, **_) -> None:
        with self._lock:
            self.responses[self._current.key] = (response_dict["status_code"], dict(response_dict["headers"]),
                                                 response_dict["body"])


class _Body:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_):
        yield self._body


class Replayer:
    """Answers every request from a recording after `latency_s`; counts the calls it answered."""

    def __init__(self, responses: dict[tuple, Recorded], latency_s: float) -> None:
        self.responses = responses
        self.latency_s = latency_s
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, client) -> None:
        client.meta.events.register("before-send", self._serve)

    def _serve(self, request, **_) -> AWSResponse:
        with self._lock:
            self.calls += 1
        time.sleep(self.latency_s)
        key = request_key(request)
        if key not in self.responses:
            raise LookupError(f"not in the recording: {request.method} {request.url}")
        status, headers, body = self.responses[key]
        return AWSResponse(request.url, status, HeadersDict(headers), _Body(body))
