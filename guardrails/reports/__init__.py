"""Report writers for `guardrails scan`: one module per format, each `render(report, tool_version) -> str`."""

FORMATS = ("text", "json", "sarif", "junit")


def render(fmt: str, report, tool_version: str) -> str:
    """Import only the writer asked for: each pulls in its own library."""
    if fmt == "json":
        from guardrails.reports import json_report as writer
    elif fmt == "sarif":
        from guardrails.reports import sarif as writer
    elif fmt == "junit":
        from guardrails.reports import junit as writer
    else:
        from guardrails.reports import text as writer
    return writer.render(report, tool_version)
