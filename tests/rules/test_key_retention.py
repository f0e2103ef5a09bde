"""BedrockGuardrails-KeyRetention: templates/key_retention/{pass,fail}."""

from guardrails.rules.key_retention import RULE
from tests.rules.template_cases import template_tests

test_pass, test_fail = template_tests("key_retention", RULE.id)


def test_replica_keys_get_the_key_rules_that_apply_to_them():
    from tests.conftest import domain, resources, scan_template

    report = scan_template(resources(
        Replica={"Type": "AWS::KMS::ReplicaKey", "Properties": {
            "PrimaryKeyArn": "arn:aws:kms:eu-west-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab", "KeyPolicy": None}},
        Domain=domain({"Fn::GetAtt": ["Replica", "Arn"]})))
    ids = {f.rule_id for f in report.findings if f.logical_id == "Replica"}
    assert {"BedrockGuardrails-KeyRetention", "BedrockGuardrails-KeyOwnershipTags",
            "BedrockGuardrails-KeyPolicyLeastPrivilege[NoKeyPolicy]"} <= ids
    assert not any(i.startswith(("BedrockGuardrails-KeyRotation", "BedrockGuardrails-KeySpec")) for i in ids)
