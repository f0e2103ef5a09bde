"""BedrockGuardrails-KeyPolicyLeastPrivilege: templates/key_policy_least_privilege/{pass,fail}, one finding per problem."""

from guardrails.rules.key_policy_least_privilege import RULE
from tests.conftest import domain, good_key, resources, scan_template
from tests.rules.template_cases import template_tests

test_pass, test_fail = template_tests("key_policy_least_privilege", RULE.id)


def test_each_problem_is_its_own_granular_finding():
    policy = {"Statement": [
        {"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": ["kms:Decrypt", "kms:DisableKey"], "Resource": "*"},
        {"Sid": "Star", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/r"}, "Action": "*", "Resource": "*"},
    ]}
    report = scan_template(resources(Key=good_key(KeyPolicy=policy), Workspace=domain({"Fn::GetAtt": ["Key", "Arn"]})))
    found = sorted((f.rule_id, f.property) for f in report.findings if f.base_rule_id == RULE.id)
    assert found == sorted([
        (RULE.id + "[PublicPrincipal]", "KeyPolicy.Statement[Public]"),
        (RULE.id + "[UnscopedUsage]", "KeyPolicy.Statement[Public]"),
        (RULE.id + "[MixedAdminUsage]", "KeyPolicy.Statement[Public]"),
        (RULE.id + "[ForeignAdministration]", "KeyPolicy.Statement[Public]"),
        (RULE.id + "[WildcardAction]", "KeyPolicy.Statement[Star]"),
        (RULE.id + "[MixedAdminUsage]", "KeyPolicy.Statement[Star]"),
    ])
