"""BedrockGuardrails-KeyOwnerIsolation: templates/key_owner_isolation/{pass,fail}, across templates scanned
together, and the live judgment the Config rule and the audit share (guardrails.live_verdict.key_usage_problems)."""

from __future__ import annotations

from pathlib import Path

from guardrails.cloud_assembly import TemplateSource
from guardrails.engine import scan
from guardrails.live_verdict import key_usage_problems
from guardrails.rules.key_owner_isolation import RULE
from guardrails.settings import Settings
from tests.rules.template_cases import template_tests

test_pass, test_fail = template_tests("key_owner_isolation", RULE.id)
COMPANIONS = Path(__file__).parent / "templates" / "key_owner_isolation" / "companions"


def test_a_key_imported_by_another_teams_stack_is_a_finding_on_the_key_in_either_order():
    team_a, team_b = COMPANIONS / "team_a_on_shared_key.yaml", COMPANIONS / "team_b_imports_the_key.yaml"
    for order in ((team_a, team_b), (team_b, team_a)):
        report = scan([TemplateSource(str(p)) for p in order])
        assert not report.errors
        (finding,) = [f for f in report.findings if f.rule_id == RULE.id]
        assert Path(finding.template).name == team_a.name and finding.logical_id == "SharedKey"
        assert "team-a: AWS::DataZone::Domain WorkspaceA; team-b: AWS::Bedrock::Flow FlowB" in finding.message


def test_an_acknowledgment_on_the_key_is_honoured(tmp_path):
    text = (COMPANIONS / "team_a_on_shared_key.yaml").read_text().replace(
        "    Type: AWS::KMS::Key\n", "    Type: AWS::KMS::Key\n    Metadata:\n      guardrails:\n        acknowledged:\n"
        "          - {id: BedrockGuardrails-KeyOwnerIsolation, reason: 'shared by design until the split (SEC-9)'}\n", 1)
    (tmp_path / "a.yaml").write_text(text)
    report = scan([TemplateSource(str(tmp_path / "a.yaml")), TemplateSource(str(COMPANIONS / "team_b_imports_the_key.yaml"))])
    assert not [f for f in report.findings if f.rule_id == RULE.id]
    assert [e.finding.rule_id for e in report.exceptions] == [RULE.id]


RESOURCES = {  # name -> (key ARN or None, tags or None for unreadable)
    "domain-a": ("arn:k1", {"Owner": "team-a"}), "agent-a": ("arn:k1", {"Owner": "team-a"}),
    "agent-b": ("arn:k2", {"Owner": "team-b"}), "flow-b": ("arn:k2", {"Owner": "team-b"}),
    "prompt-x": ("arn:k2", {"Owner": "team-x"}), "untagged": ("arn:k1", {}), "lonely": ("arn:k3", None),
    "aws-owned": (None, {"Owner": "team-z"}),
}


def live(resources, settings=Settings(), reads=None):
    def tags_of(name):
        if reads is not None:
            reads.append(name)
        return resources[name][1]
    return key_usage_problems(resources, lambda n: resources[n][0], tags_of, lambda n: n, settings)


def test_live_judgment_flags_every_resource_on_a_shared_key_and_reads_tags_only_where_keys_are_shared():
    reads: list[str] = []
    problems = live(RESOURCES, reads=reads)
    assert set(problems) == {"agent-b", "flow-b", "prompt-x"}
    assert "team-b: agent-b, flow-b; team-x: prompt-x" in problems["agent-b"][0].message
    assert {p.rule_id for ps in problems.values() for p in ps} == {RULE.id}
    assert "lonely" not in reads and "aws-owned" not in reads  # a key used once needs no owners


def test_live_unreadable_tags_beside_a_known_owner_fail_closed():
    problems = live({"domain-a": ("arn:k1", {"Owner": "team-a"}), "memory": ("arn:k1", None)})
    assert set(problems) == {"domain-a", "memory"} and "tags not readable" in problems["memory"][0].message
    assert live({"m1": ("arn:k1", None), "m2": ("arn:k1", None)}) == {}  # no known owner: nothing to compare


def test_live_uses_the_isolation_tag_setting():
    resources = {"a": ("arn:k1", {"Owner": "alice", "Team": "r"}), "b": ("arn:k1", {"Owner": "bob", "Team": "r"})}
    assert live(resources) and live(resources, Settings(isolation_tag="Team")) == {}
