"""Audit report writers, one module per format; each `render(report) -> str`."""

from __future__ import annotations

import importlib

FORMATS = ("text", "json", "csv", "html", "sarif")


def render(fmt: str, report) -> str:
    """Import only the writer asked for (html pulls in jinja2, sarif pulls in sarif-om)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    module = "sarif_adapter" if fmt == "sarif" else f"{fmt}_report"
    return importlib.import_module(f"guardrails.audit.reports.{module}").render(report)
