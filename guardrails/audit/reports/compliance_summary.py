"""Audit findings per compliance control: for each framework and control, how many resources the rules
that evidence it found failing (open), accepted as exceptions, or passing. The HTML report's
per-framework section; the mappings come from guardrails/rules/compliance.py."""

from __future__ import annotations

import re

from guardrails.audit.model import COMPLIANT, NON_COMPLIANT
from guardrails.rules.compliance import FRAMEWORKS, mapping_for


def by_control(findings) -> list[dict]:
    """[{framework, controls: [{control, open, exceptions, passing}]}] in FRAMEWORKS order; counts are resources."""
    cells: dict[tuple[str, str], dict[str, set[str]]] = {}
    for finding in findings:
        if finding.status not in (COMPLIANT, NON_COMPLIANT):
            continue
        state = "passing" if finding.status == COMPLIANT else "exceptions" if finding.exception else "open"
        for control in mapping_for(finding.rule).controls:
            cell = cells.setdefault((control.framework.name, control.control), {"open": set(), "exceptions": set(), "passing": set()})
            cell[state].add(finding.resource)
    table = []
    for framework in FRAMEWORKS:
        controls = []
        for (name, control), cell in cells.items():
            if name != framework.name:
                continue
            # A resource counts once per control, at its worst: open, else an exception, else passing.
            excepted = cell["exceptions"] - cell["open"]
            controls.append({"control": control, "open": len(cell["open"]), "exceptions": len(excepted),
                             "passing": len(cell["passing"] - cell["open"] - excepted)})
        if controls:
            controls.sort(key=lambda c: _natural(c["control"]))
            table.append({"framework": framework.name, "controls": controls})
    return table


def _natural(control: str) -> list:
    """SC-12 < SC-12(2) < SC-13 < SC-28; 3.5.1 < 3.6.1 < 3.7.4; 5.9 < 5.15 < 8.24."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", control)]
