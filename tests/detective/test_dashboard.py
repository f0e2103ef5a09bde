"""The KPI dashboard's compliance widget lists, per framework, every control the catalog's rules evidence."""

from guardrails.detective.dashboard import compliance_markdown
from guardrails.rules import CATALOG
from guardrails.rules.compliance import FRAMEWORKS, controls_by_framework


def test_every_framework_and_control_is_on_the_dashboard():
    text = compliance_markdown()
    table = controls_by_framework(r.id for r in CATALOG)
    assert list(table) == [f.name for f in FRAMEWORKS]
    for name, controls in table.items():
        assert f"| {name} | {', '.join(controls)} |" in text
    assert "SC-28(3)" in table["NIST SP 800-53 Rev. 5"] and table["CIS AWS Foundations Benchmark v5.0.0"] == ["3.6"]
