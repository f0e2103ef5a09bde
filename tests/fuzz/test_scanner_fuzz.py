"""Structure-aware fuzzing of the scanner's inputs (see README.md here): no traceback, no hang, no silent skip.

Each case writes files, runs the real CLI entry point in process (`main([...])`, every format) and the
engine, under a per-input alarm (SIGALRM: a hang fails the case; it is a bound, not a timing
assertion). Default: FUZZ_EXAMPLES cases per test (a few hundred in all, so `make test` stays quick);
GUARDRAILS_FUZZ_EXAMPLES=N raises it (N=3000 gives 12,000 cases over the four tests).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import shutil
import signal
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guardrails.cli.main import main
from guardrails.cloud_assembly import discover
from guardrails.engine import scan
from guardrails.reports import FORMATS, render
from guardrails.rules.governed_types import GOVERNED_TYPES
from guardrails.settings import Settings

SEEDS = Path(__file__).parent / "seeds"
FUZZ_EXAMPLES = int(os.environ.get("GUARDRAILS_FUZZ_EXAMPLES", "75"))
PER_INPUT_SECONDS = 20  # generous: a shared 2-core machine; a hang is minutes, not seconds
FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=False, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])

KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
TYPES = sorted(GOVERNED_TYPES) + ["AWS::KMS::Key", "AWS::KMS::ReplicaKey", "AWS::KMS::Alias", "AWS::IAM::Role",
                                  "AWS::CloudFormation::Stack", "AWS::CloudFormation::StackSet", "AWS::Serverless::Application",
                                  "AWS::ServiceCatalog::CloudFormationProvisionedProduct", "AWS::S3::Bucket", "Custom::Thing"]
KEYS = ["Resources", "Type", "Properties", "Metadata", "Outputs", "Export", "Name", "Value", "Parameters", "Mappings",
        "Conditions", "Transform", "Condition", "DependsOn", "KmsKeyIdentifier", "KmsKeyArn", "CustomerEncryptionKeyArn",
        "KeyPolicy", "Statement", "Effect", "Principal", "Action", "TemplateBody", "TemplateURL", "Tags", "Key",
        "EnableKeyRotation", "KnowledgeBaseConfiguration", "ManagedKnowledgeBaseConfiguration", "aws:cdk:path",
        "aws:asset:path", "guardrails", "acknowledged", "cdk_nag", "rules_to_suppress", "id", "reason", "Default",
        "Fn::If", "Fn::GetAtt", "Ref", "Fn::Sub", "Fn::Join", "Fn::ImportValue", "Fn::FindInMap", "Fn::Transform",
        "Fn::ForEach::Loop", "Fn::Select", "artifacts", "version", "type", "properties", "templateFile", "directoryName",
        "Resources\x1b[31m", "", "\u202e"]
STRINGS = [KEY_ARN, KEY_ARN + "\n", "arn:aws:kms:us-east-1:111111111111:key/" + "-" * 36, "alias/aws/datazone", "alias/mine",
           "mrk-1234abcd12ab34cd56ef1234567890ab", "AWS::NoValue", "AWS::LanguageExtensions", "AWS::Include", "MACRO",
           "MANAGED", "Key", "Domain", "Key.Arn", "${Key.Arn}", "${AWS::Region}", "*", "kms:*", "Allow", "Deny",
           "GuardrailsPurpose", "bedrock-workspace", "\x1b[2J", "\x00", "\ufffe",
           "{\"Resources\": {\"D\": {\"Type\": \"AWS::DataZone::Domain\"}}}", "[", *TYPES]

_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12)
scalars = st.one_of(st.sampled_from(STRINGS), _text, st.integers(), st.booleans(), st.none(),
                    st.floats(allow_nan=False), st.just(10 ** 40))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(KEYS) | _text, inner, max_size=4)), max_leaves=25)


@st.composite
def resource(draw) -> dict:
    definition: dict[str, Any] = {"Type": draw(st.sampled_from(TYPES) | _text)}
    if draw(st.booleans()):
        definition["Properties"] = draw(st.dictionaries(st.sampled_from(KEYS), values, max_size=5))
    if draw(st.integers(0, 3)) == 0:
        definition["Metadata"] = draw(values)
    return definition


@st.composite
def template(draw) -> dict:
    data: dict[str, Any] = {"Resources": draw(st.dictionaries(st.sampled_from(["Key", "Domain", "Agent", "Set", "Fn::Transform"])
                                                              | _text, resource(), max_size=6))}
    for section in ("Parameters", "Outputs", "Conditions", "Mappings", "Transform", "Metadata"):
        if draw(st.integers(0, 3)) == 0:
            data[section] = draw(values)
    return data


def _paths(node: Any, trail: tuple = ()) -> list[tuple]:
    found = [trail]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, trail + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, trail + (index,))
    return found


@st.composite
def mutated(draw, seed: Any) -> Any:
    """The seed with a few nodes replaced, removed, or given a new key."""
    data = copy.deepcopy(seed)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        path = paths[draw(st.integers(0, len(paths) - 1))]
        if not path:
            continue
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = draw(values)
    return data


def _seed_templates() -> dict[str, Any]:
    from guardrails.template import load_template

    return {path.name: json.loads(json.dumps(load_template(path).data)) for path in sorted((SEEDS / "templates").iterdir())}


SEED_TEMPLATES = _seed_templates()


def serialize(data: Any, style: str) -> str:
    if style == "yaml":
        return yaml.safe_dump(data, allow_unicode=True)
    return json.dumps(data, indent=None if style == "compact" else 1)


@st.composite
def damaged(draw, text: str) -> bytes:
    raw = text.encode("utf-8", "surrogatepass")
    kind = draw(st.sampled_from(["none", "none", "truncate", "insert"]))
    if kind == "truncate" and raw:
        return raw[: draw(st.integers(0, len(raw)))]
    if kind == "insert":
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + draw(st.binary(max_size=8)) + raw[at:]
    return raw


class _Hang(Exception):
    pass


@contextlib.contextmanager
def time_bound(seconds: int):
    def alarm(signum, frame):
        raise _Hang(f"no result within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def check_inputs(paths: list[str], written: list[Path]) -> None:
    """The engine and the CLI over the inputs: bounded, no internal error, every written file accounted for."""
    with time_bound(PER_INPUT_SECONDS):
        report = scan(discover(paths), Settings(), relative_to="/")
        for fmt in FORMATS:
            out = render(fmt, report, "fuzz")
            if fmt == "junit":
                ET.fromstring(out)
            if fmt == "text":  # not a terminal here: plain lines, so no escape sequence at all may appear
                assert "\x1b" not in out
        for command in ("scan", "summary"):
            stdout, stderr = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                code = main([command, *paths] + (["--format", "junit"] if command == "scan" else []))
            assert code in (0, 1, 2), (command, code, stderr.getvalue())
            assert "internal error" not in stderr.getvalue(), stderr.getvalue()
            assert (code == 2) == bool(report.errors or not report.templates), (command, code, stderr.getvalue())
    seen = {os.path.realpath("/" + t.split("#", 1)[0]) for t in report.templates}
    seen |= {os.path.realpath("/" + path) for path, _ in report.skipped}
    seen |= {os.path.realpath(error.source) for error in report.errors}
    errors_at = {os.path.realpath(error.source) for error in report.errors}
    for path in written:
        real = os.path.realpath(path)
        assert real in seen or any(real.startswith(e + os.sep) for e in errors_at), f"{path} silently skipped"


@FUZZ
@given(data=st.data())
def test_generated_templates(data):
    document = data.draw(template())
    text = serialize(document, data.draw(st.sampled_from(["json", "compact", "yaml"])))
    _run_files(data, {f"t.{data.draw(st.sampled_from(['json', 'yaml', 'JSON', 'template']))}": data.draw(damaged(text))})


@FUZZ
@given(data=st.data())
def test_mutated_seed_templates(data):
    name = data.draw(st.sampled_from(sorted(SEED_TEMPLATES)))
    document = data.draw(mutated(SEED_TEMPLATES[name]))
    style = data.draw(st.sampled_from(["json", "compact", "yaml"]))
    files = {f"a.{'yaml' if style == 'yaml' else 'json'}": data.draw(damaged(serialize(document, style)))}
    if data.draw(st.booleans()):  # a second template: exports and imports across files
        files["b.json"] = json.dumps(SEED_TEMPLATES[data.draw(st.sampled_from(sorted(SEED_TEMPLATES)))]).encode()
    _run_files(data, files)


def _run_files(data, files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        written = []
        for name, content in files.items():
            path = Path(directory) / name
            path.write_bytes(content)
            written.append(path)
        named = [str(written[0])] if data.draw(st.booleans()) else [directory]
        check_inputs(named, written if named == [directory] else written[:1])


@FUZZ
@given(data=st.data())
def test_mutated_seed_cloud_assembly(data):
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "cdk.out"
        shutil.copytree(SEEDS / "assembly", out)
        target = data.draw(st.sampled_from(sorted(p.name for p in out.iterdir())))
        original = json.loads((out / target).read_text())
        (out / target).write_bytes(data.draw(damaged(json.dumps(data.draw(mutated(original))))))
        if data.draw(st.integers(0, 4)) == 0:
            os.mkfifo(out / "Pipe.nested.template.json")  # never opened: an error, not a hang
        if data.draw(st.integers(0, 4)) == 0:
            (out / "StackInner.nested.template.json").unlink()
        walked = data.draw(st.booleans())  # the assembly named, or met in a walk of its parent
        with time_bound(PER_INPUT_SECONDS):
            report = scan(discover([str(out if not walked else directory)]), Settings())
        check_inputs([str(out if not walked else directory)], [])
        assert report.templates or report.errors  # something was scanned, or why not was said


@FUZZ
@given(data=st.data())
def test_generated_directories(data):
    """Directory trees with symlinks, pipes, upper-case suffixes, foreign manifests, duplicates."""
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory) / "root"
        (root / "sub").mkdir(parents=True)
        written = []
        for index in range(data.draw(st.integers(1, 4))):
            folder = root / data.draw(st.sampled_from(["", "sub"]))
            path = folder / f"t{index}.{data.draw(st.sampled_from(['json', 'JSON', 'yaml', 'YML', 'template']))}"
            path.write_text(serialize(data.draw(template()), "yaml" if path.suffix.lower() in (".yaml", ".yml") else "json"))
            written.append(path)
        if data.draw(st.booleans()):
            (root / "sub" / "manifest.json").write_text(data.draw(st.sampled_from(
                ['{"name": "web app"}', '{"version": "48.0.0", "artifacts": {}}', "[", '{"version": "1", "artifacts": []}'])))
        if data.draw(st.booleans()):
            os.symlink(root / "sub", root / "linked")
        if data.draw(st.booleans()):
            os.symlink(root, root / "sub" / "loop")
        if data.draw(st.booleans()):
            os.mkfifo(root / "pipe.yaml")
            written.append(root / "pipe.yaml")
        extra = [str(written[0])] * data.draw(st.integers(0, 2))
        check_inputs([str(root), *extra], [p for p in written if not _under_assembly(p)])


def _under_assembly(path: Path) -> bool:
    manifest = path.parent / "manifest.json"
    try:
        data = json.loads(manifest.read_text()) if manifest.exists() else None
    except ValueError:
        return True  # an unreadable manifest is an error for the whole directory
    return isinstance(data, dict) and "version" in data and "artifacts" in data
