"""Report writers for `guardrails scan`: one module per format, each `render(report, tool_version) -> str`."""

from typing import Iterable

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


def render_chunks(fmt: str, report, tool_version: str) -> Iterable[str]:
    """The report in pieces to write one after another: JSON is encoded a finding at a time (a big scan's
    document is never whole in memory); the other formats in one piece."""
    if fmt == "json":
        from guardrails.reports import json_report
        return json_report.chunks(report, tool_version)
    return [render(fmt, report, tool_version)]
