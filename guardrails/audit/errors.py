"""Turn an AWS call's failure into the short "Code: message" text reports and live_verdict use."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError

ACCESS_DENIED = ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnrecognizedClientException")


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = error.get("Code") or str(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "?"))
        message = (error.get("Message") or "").strip()
        if message.startswith("<"):  # an emulator's HTML error page says nothing useful
            message = "the endpoint does not offer this operation"
        return f"{code}: {message[:200]}" if message else code
    if isinstance(exc, EndpointConnectionError):
        return f"service not reachable in this region ({exc})"
    if isinstance(exc, BotoCoreError):
        return f"{type(exc).__name__}: {exc}"
    return f"{type(exc).__name__}: {exc}"


def is_access_denied(exc: BaseException) -> bool:
    return isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in ACCESS_DENIED
