"""The pinned CloudFormation spec (bundled with cfn-lint) against governed_types: no key property is missed."""

from __future__ import annotations

import fnmatch
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import cfnlint
import pytest

from guardrails.rules.governed_types import BEDROCK_KEY_PROPERTIES, EXEMPT, WORKSPACE_KEY

SCHEMAS = Path(cfnlint.__file__).parent / "data" / "schemas"
KEY_NAME = re.compile(r"kms|encryptionkey|keyarn|keyid|keyidentifier", re.IGNORECASE)
_MAX_DEPTH = 12


def _is_governed_family(resource_type: str) -> bool:
    return resource_type.startswith(("AWS::Bedrock::", "AWS::BedrockAgentCore::")) or resource_type == "AWS::DataZone::Domain"


@lru_cache(maxsize=1)
def schemas() -> dict[str, dict]:
    """Resource type -> schema for the governed families, over every region's provider map."""
    found: dict[str, dict] = {}
    for provider in sorted((SCHEMAS / "providers").glob("*.json")):
        for resource_type, digest in json.loads(provider.read_text()).items():
            if _is_governed_family(resource_type) and resource_type not in found:
                found[resource_type] = json.loads((SCHEMAS / "resources" / f"{digest}.json").read_text())
    return found


def _deref(schema: dict, node: Any) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target: Any = schema
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def walk(schema: dict, node: Any, path: tuple[str, ...] = (), seen: frozenset = frozenset()) -> Iterator[tuple[str, ...]]:
    """Every property path below `node`, with "[]" for list items, through $ref and the combinators."""
    ref = node.get("$ref") if isinstance(node, dict) else None
    if ref in seen or len(path) > _MAX_DEPTH:
        return
    node = _deref(schema, node)
    if not isinstance(node, dict):
        return
    seen = seen | {ref} if ref else seen
    for name, child in (node.get("properties") or {}).items():
        yield path + (name,)
        yield from walk(schema, child, path + (name,), seen)
    for combinator in ("oneOf", "anyOf", "allOf"):
        for option in node.get(combinator) or []:
            yield from walk(schema, option, path, seen)
    if "items" in node:
        yield from walk(schema, node["items"], path + ("[]",), seen)


def _read_only(schema: dict) -> set[str]:
    return {p.removeprefix("/properties/").replace("/*", "/[]").replace("/", ".") for p in schema.get("readOnlyProperties", [])}


def key_like_properties() -> set[str]:
    """"Type.Dotted.Path" of every input property whose name looks like a KMS key."""
    found = set()
    for resource_type, schema in schemas().items():
        read_only = _read_only(schema)
        for path in walk(schema, schema):
            dotted = ".".join(path)
            if KEY_NAME.search(path[-1]) and dotted not in read_only:
                found.add(f"{resource_type}.{dotted}")
    return found


COVERED = {f"{p.resource_type}.{p.dotted}" for p in (WORKSPACE_KEY, *BEDROCK_KEY_PROPERTIES)}


def exempt(entry: str) -> bool:
    """EXEMPT keys are "Type.Dotted.Path" or patterns with `*` (e.g. "Type.*")."""
    return any(entry == pattern or fnmatch.fnmatchcase(entry, pattern) for pattern in EXEMPT)


def test_the_spec_is_found():
    assert "AWS::DataZone::Domain" in schemas() and "AWS::Bedrock::Agent" in schemas()
    assert "AWS::Bedrock::Agent.CustomerEncryptionKeyArn" in key_like_properties()


def test_every_key_property_is_covered_or_exempt():
    missing = sorted(e for e in key_like_properties() if e not in COVERED and not exempt(e))
    assert not missing, f"key-like properties neither in governed_types nor in EXEMPT: {missing}"


@pytest.mark.parametrize("entry", sorted(COVERED))
def test_covered_paths_exist_in_the_schema(entry: str):
    resource_type, dotted = entry.split(".", 1)
    assert resource_type in schemas(), f"{resource_type} is not in the pinned spec"
    assert tuple(dotted.split(".")) in set(walk(schemas()[resource_type], schemas()[resource_type]))
    assert dotted not in _read_only(schemas()[resource_type]), f"{entry} is read-only: a template cannot set it"


@pytest.mark.parametrize("pattern", sorted(EXEMPT))
def test_exempt_entries_match_something(pattern: str):
    resource_type = pattern.split(".", 1)[0]
    assert resource_type in schemas()
    all_paths = {f"{resource_type}.{'.'.join(p)}" for p in walk(schemas()[resource_type], schemas()[resource_type])}
    assert any(p == pattern or fnmatch.fnmatchcase(p, pattern) for p in all_paths), pattern


def test_exempt_honours_patterns():
    assert exempt("AWS::BedrockAgentCore::OAuth2CredentialProvider.Anything.KmsKeyArn")
    assert not exempt("AWS::Bedrock::Agent.CustomerEncryptionKeyArn")
