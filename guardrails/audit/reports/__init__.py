"""Audit report writers, one module per format; each `render(report) -> str`."""

from __future__ import annotations

import importlib

FORMATS = ("text", "json", "csv", "html", "sarif", "asff", "ocsf")


def render(fmt: str, report) -> str:
    """Import only the writer asked for (html pulls in jinja2, sarif sarif-om, ocsf py-ocsf-models)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    module = "sarif_adapter" if fmt == "sarif" else f"{fmt}_report"
    return importlib.import_module(f"guardrails.audit.reports.{module}").render(report)
