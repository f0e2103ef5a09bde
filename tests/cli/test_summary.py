"""`guardrails summary`: counts, our exceptions with reasons, and other packs' acknowledgments per pack."""

from __future__ import annotations

import json

from tests.conftest import domain


def _assembly(tmp_path):
    """A minimal cloud assembly: one stack, acknowledgments of ours and of two other packs."""
    out = tmp_path / "cdk.out"
    out.mkdir()
    template = {"Resources": {"Domain": {**domain(), "Metadata": {"aws:cdk:path": "S/Domain"}}}}
    (out / "S.template.json").write_text(json.dumps(template, indent=1))
    (out / "manifest.json").write_text(json.dumps({"version": "48.0.0", "artifacts": {
        "S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "S.template.json"}}}}))
    acks = {"Annotation::BedrockGuardrails-WorkspaceCMK": "sandbox domain, deleted nightly (SEC-17)",
            "AwsSolutions::AwsSolutions-IAM5[Resource::arn:aws:s3:::b/*]": "the role reads one bucket's objects",
            "AwsSolutions::AwsSolutions-IAM4": "AWS-managed policy documented for the service role",
            "NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ": "synchronous function, failures surface to the caller"}
    (out / "S.metadata.json").write_text(json.dumps({"/S/Domain": [{"type": "aws:cdk:acknowledged-rules", "data": acks}]}))
    return out


def test_counts_ours_with_reasons_and_other_packs_per_pack(run_cli, tmp_path):
    result = run_cli("summary", _assembly(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Acknowledged exceptions: 4 (1 of Bedrock CMK Guardrails rules, 3 of other packs)" in result.stdout
    assert "BedrockGuardrails-WorkspaceCMK on S/Domain: sandbox domain" in result.stdout
    # granular ids hold "::" inside their brackets: the pack is the first segment
    assert "other packs: AwsSolutions 2, NIST.800.53.R5 1 " in result.stdout
    assert "CMK coverage: workspaces 0/1 (0.0%)" in result.stdout


def test_list_acknowledgments_markdown_has_one_row_each(run_cli, tmp_path):
    result = run_cli("summary", _assembly(tmp_path), "--list-acknowledgments", "--markdown")
    rows = [line for line in result.stdout.splitlines() if line.startswith("| `")]
    assert len(rows) == 4 and any("AwsSolutions-IAM5[Resource::arn:aws:s3:::b/*]" in row for row in rows)


import pytest  # noqa: E402


@pytest.mark.parametrize("name, content", [("broken.json", b'{"Resources": '), ("empty.yaml", b""),
                                           ("blob.template", b"\x7fELF\x00\x01" * 50)])
def test_summary_fails_on_bad_input_as_scan_does(run_cli, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    summary, scan = run_cli("summary", path), run_cli("scan", path)
    assert summary.returncode == scan.returncode == 2
    assert str(path) in summary.stderr and "Traceback" not in summary.stderr


def test_summary_counts_what_was_not_examined(run_cli, tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"Resources": {"N": {"Type": "AWS::CloudFormation::Stack",
                                                    "Properties": {"TemplateURL": "https://b.s3.amazonaws.com/t.json"}}}}))
    result = run_cli("summary", path)
    assert result.returncode == 0 and "Findings: 0 errors, 1 warnings" in result.stdout
    assert "Not examined (nested stacks, StackSets, macros, includes) or ambiguous exports: 1" in result.stdout
