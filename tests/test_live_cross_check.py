"""Catalog versus live judge: every corpus resource and key, turned into the facts the live side would
gather from AWS after deployment, gets the same verdict from the template checks and the live checks.

The conversion follows what CloudFormation deploys: `Fn::GetAtt <Key>.Arn` becomes the key's ARN and the
key's properties become DescribeKey / GetKeyRotationStatus / ListResourceTags / GetKeyPolicy answers (a key
without KeyPolicy gets KMS's default key policy); a literal key ARN names a key outside the templates
(judged compliant here, since the catalog cannot see it). Forms that never reach a live resource are left
out, each for its reason (NOT_DEPLOYED); rules exempt from the live side (Rule.exempt) are not compared.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from guardrails.kms_identifiers import ALIAS, KEY_ARN, KEY_ID
from guardrails.live_verdict import LiveKeyFacts, LiveSubject, judge
from guardrails.rules import CATALOG, KEY_RULES, RESOURCE_RULES, live_ids
from guardrails.rules.governed_types import KEY_TYPES, key_properties_for
from guardrails.settings import Settings
from guardrails.template import Template, load_template
from tests.preventive.catalog_verdicts import all_catalog_failures

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.[jy]*"))
ACCOUNT, REGION = "123456789012", "us-east-1"
# Rules judging how keys are shared (scope key_usage) look at many resources at once: their template and live
# sides are compared in tests/rules/test_key_owner_isolation.py.
LIVE_RULES = {rule.id for rule in CATALOG if rule.live is not None and rule.scope not in ("acknowledgment", "key_usage")}
OWNER_TAGS = [{"TagKey": "Owner", "TagValue": "t"}, {"TagKey": "CostCenter", "TagValue": "c"},
              {"TagKey": "DataClassification", "TagValue": "d"}]
# KMS's default key policy for a key created without one (KMS developer guide, "Default key policy").
DEFAULT_POLICY = {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow",
                  "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"}]}
EXTERNAL_POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": ["kms:DescribeKey", "kms:PutKeyPolicy"],
     "Resource": "*"},
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/exec"}, "Action": ["kms:Decrypt"], "Resource": "*",
     "Condition": {"StringEquals": {"kms:ViaService": f"bedrock.{REGION}.amazonaws.com"}}}]})


class NotDeployed(Exception):
    """The value never reaches a live resource in this form (or only in a form the template cannot show)."""


def _literal(value: Any) -> bool:
    if isinstance(value, dict):
        return not any(k == "Ref" or str(k).startswith("Fn::") for k in value) and all(_literal(v) for v in value.values())
    if isinstance(value, list):
        return all(_literal(v) for v in value)
    return True


def _key_facts(template: Template, logical_id: str, identifier: str) -> LiveKeyFacts:
    props = template.resources_map[logical_id].get("Properties") or {}
    if not _literal(props):
        raise NotDeployed("key properties computed by intrinsics: their deployed values are unknown here")
    spec, usage = props.get("KeySpec", "SYMMETRIC_DEFAULT"), props.get("KeyUsage", "ENCRYPT_DECRYPT")
    describe = {"KeyId": identifier, "AWSAccountId": ACCOUNT, "KeyManager": "CUSTOMER", "KeySpec": spec, "KeyUsage": usage,
                "KeyState": "Enabled" if props.get("Enabled", True) not in (False, "false") else "Disabled"}
    rotation = None
    if template.resources_map[logical_id]["Type"] == "AWS::KMS::ReplicaKey":
        # A replica rotates with its primary: GetKeyRotationStatus answers the primary's status (KMS developer
        # guide, "Rotating multi-Region keys"). The catalog judges rotation on the primary.
        primary = props.get("PrimaryKeyArn")
        rotation = (_external_facts(primary).rotation if isinstance(primary, str)
                    else _key_facts(template, primary["Fn::GetAtt"][0], identifier).rotation)
    elif spec == "SYMMETRIC_DEFAULT":
        enabled = props.get("EnableKeyRotation") in (True, "true", "True")
        rotation = {"KeyRotationEnabled": enabled, **({"RotationPeriodInDays": int(props.get("RotationPeriodInDays", 365))} if enabled else {})}
    tags = [{"TagKey": t["Key"], "TagValue": t["Value"]} for t in props.get("Tags") or []]
    policy = json.dumps(props.get("KeyPolicy") or DEFAULT_POLICY)
    return LiveKeyFacts(identifier, describe=describe, rotation=rotation, tags=tags, policy=policy)


def _external_facts(identifier: str) -> LiveKeyFacts:
    """A compliant key outside the templates: its policy's owner is the key's own account (from its ARN)."""
    parts = identifier.split(":")
    account = parts[4] if len(parts) > 5 and parts[4].isdigit() else ACCOUNT
    return LiveKeyFacts(identifier, describe={"KeyId": identifier, "AWSAccountId": account, "KeyManager": "CUSTOMER", "KeyState": "Enabled",
                                              "KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT"},
                        rotation={"KeyRotationEnabled": True, "RotationPeriodInDays": 365}, tags=OWNER_TAGS,
                        policy=EXTERNAL_POLICY.replace(f"::{ACCOUNT}:", f"::{account}:"))


def deployed_key(template: Template, value: Any, arn_required: bool) -> tuple[str | None, LiveKeyFacts | None, str | None]:
    """(identifier the resource's API would report, KMS facts, logical id of the template key) for a key property."""
    if value in (None, "", {"Ref": "AWS::NoValue"}):
        return None, None, None
    if isinstance(value, str):
        if ALIAS.match(value):
            if value.split("alias/", 1)[1].startswith("aws/"):
                return value, None, None
            raise NotDeployed("an alias: live, KMS resolves it to today's key, which the template cannot show")
        if KEY_ARN.match(value) or (KEY_ID.match(value) and not arn_required):
            return value, _external_facts(value), None
        raise NotDeployed("CloudFormation rejects this literal for the property (schema pattern)")
    getatt = value.get("Fn::GetAtt") if isinstance(value, dict) and len(value) == 1 else None
    if isinstance(getatt, str):
        getatt = getatt.split(".", 1)
    ref = value.get("Ref") if isinstance(value, dict) and len(value) == 1 else None
    target, attribute = (getatt[0], getatt[1]) if isinstance(getatt, list) and len(getatt) == 2 else (ref, "Ref" if ref else None)
    resource = template.resources_map.get(target) if isinstance(target, str) else None
    if resource is None:
        raise NotDeployed("a parameter, import, condition or function: its deployed value is not in the template")
    if resource.get("Type") not in KEY_TYPES:
        if attribute == "Arn":
            return f"arn:aws:service:{REGION}:{ACCOUNT}:{target.lower()}", None, None  # another resource's ARN
        raise NotDeployed("not a key attribute")
    key_id = str(uuid.uuid5(uuid.NAMESPACE_OID, target))
    if attribute == "Arn":
        arn = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}"
        return arn, _key_facts(template, target, arn), target
    if arn_required:
        raise NotDeployed("CloudFormation rejects a key id for a property that takes the key ARN")
    return key_id, _key_facts(template, target, key_id), target


def live_failures(template: Template, settings: Settings) -> tuple[set[tuple[str, str]], set[str], set[str], set[str]]:
    """(failing (logical id, rule id), converted resources, judged keys, every live id reported)."""
    failing: set[tuple[str, str]] = set()
    converted: set[str] = set()
    keys: set[str] = set()
    ids: set[str] = set()
    for resource in template.resources():
        properties = key_properties_for(resource.type)
        if len(properties) != 1 or "[]" in properties[0].path or properties[0].applies_when:
            continue  # several or nested key properties: the live side reads one identifier per resource
        prop = properties[0]
        value: Any = resource.properties
        for step in prop.path:
            value = value.get(step) if isinstance(value, dict) else None
        try:
            identifier, facts, key_logical_id = deployed_key(template, value, prop.arn_required)
            tags = {t["Key"]: t["Value"] for t in resource.properties.get("Tags") or []} \
                if _literal(resource.properties.get("Tags")) and isinstance(resource.properties.get("Tags"), list) else None
        except NotDeployed:
            continue
        if tags is None and resource.properties.get("Tags") is not None:
            continue  # computed tags: their deployed values are unknown here
        verdict = judge(LiveSubject(resource.type, identifier, facts, tags), settings)
        converted.add(resource.logical_id)
        key_rule_ids = {r.id for r in KEY_RULES}
        if key_logical_id and not any(p.rule_id.split("[", 1)[0] in {r.id for r in RESOURCE_RULES if r.coverage}
                                      for p in verdict.problems):
            keys.add(key_logical_id)
        for problem in verdict.problems:
            ids.add(problem.rule_id)
            base = problem.rule_id.split("[", 1)[0]
            failing.add((key_logical_id if base in key_rule_ids else resource.logical_id, base))
    return failing, converted, keys, ids


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_catalog_and_live_agree(path):
    template = load_template(path)
    live, converted, keys, _ = live_failures(template, Settings())
    # Deployed into ACCOUNT: the template side knows it as cdk.out's environment would tell it, the live side from
    # DescribeKey's AWSAccountId (botocore kms KeyMetadata), so both judge the key policy's owner alike.
    catalog = {(lid, rule) for lid, rule in all_catalog_failures(template, Settings(), account=ACCOUNT)
               if rule in LIVE_RULES and (lid in converted or lid in keys)}
    assert converted, "nothing converted: the cross-check proves nothing"
    only_catalog, only_live = sorted(catalog - live), sorted(live - catalog)
    assert not only_catalog and not only_live, f"catalog-only failures {only_catalog}; live-only failures {only_live}"


def test_every_live_rule_fails_and_passes_somewhere_in_the_corpus():
    """Agreement over a corpus where a rule never fails (or never passes) would prove nothing for it."""
    failing, passing = set(), set()
    for path in CORPUS:
        template = load_template(path)
        live, converted, keys, _ = live_failures(template, Settings())
        failing |= {rule for _, rule in live}
        for rule in CATALOG:
            if rule.id in LIVE_RULES:
                judged = keys if rule.scope == "key" else {r.logical_id for r in template.resources()
                                                           if r.logical_id in converted and rule.applies_live(r.type)}
                passing |= {rule.id for lid in judged if (lid, rule.id) not in live}
    assert failing == LIVE_RULES, f"never failing live: {sorted(LIVE_RULES - failing)}"
    assert passing == LIVE_RULES, f"never passing live: {sorted(LIVE_RULES - passing)}"


def test_every_id_the_live_side_reports_is_declared():
    reported: set[str] = set()
    for path in CORPUS:
        reported |= live_failures(load_template(path), Settings())[3]
    assert reported <= set(live_ids()), sorted(reported - set(live_ids()))
