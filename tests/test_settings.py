"""Settings: defaults, every source, and clear errors that name the setting and the file."""

from __future__ import annotations

import json

import pytest

from guardrails.errors import GuardrailsInputError
from guardrails.settings import Settings, load_config_file, load_settings, settings_from_mapping


def test_defaults_are_the_secure_ones():
    settings = Settings().validate()
    assert set(settings.required_tags) == {"Owner", "CostCenter", "DataClassification"}
    assert settings.max_rotation_days == 365 and settings.min_pending_window_days == 30
    assert settings.provisioning_roles == ("arn:aws:iam::*:role/cdk-*-cfn-exec-role-*",)


def test_pyproject_then_config_file_precedence(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.guardrails]\nmax_rotation_days = 180\nmin_pending_window_days = 20\n")
    config = tmp_path / "override.json"
    config.write_text(json.dumps({"max_rotation_days": 90}))
    settings = load_settings(str(config), tmp_path)
    assert settings.max_rotation_days == 90 and settings.min_pending_window_days == 20


def test_cdk_json_shape_is_accepted(tmp_path):
    config = tmp_path / "cdk.json"
    config.write_text(json.dumps({"app": "python app.py", "context": {"guardrails": {"required_tags": ["Owner"]}}}))
    assert dict(load_config_file(config).required_tags) == {"Owner": None}


def test_tag_patterns(tmp_path):
    settings = settings_from_mapping({"required_tags": {"Owner": r"^[^@\s]+@[^@\s]+$", "CostCenter": ""}}, "test")
    assert settings.tag_pattern("Owner").fullmatch("a@b.c") and settings.tag_pattern("CostCenter") is None


@pytest.mark.parametrize("values, named", [
    ({"max_rotation_days": 3000}, "max_rotation_days"),
    ({"max_rotation_days": 30}, "max_rotation_days"),
    ({"min_pending_window_days": 3}, "min_pending_window_days"),
    ({"max_rotation_days": "365"}, "max_rotation_days"),
    ({"check_all_keys": "yes"}, "check_all_keys"),
    ({"rotation": 1}, "unknown setting 'rotation'"),
    ({"required_tags": {"Owner": "("}}, "required_tags"),
    ({"provisioning_roles": ["not-an-arn"]}, "roles"),
    ({"provisioning_roles": []}, "provisioning_roles"),
    ({"org_target_ids": ["o-123"]}, "org_target_ids"),
    ({"config_rule_frequency_hours": 48}, "config_rule_frequency_hours"),
    ({"stackset_call_as": "ADMIN"}, "stackset_call_as"),
    ({"preventive_stack_name": "1-not-a-stack"}, "preventive_stack_name"),
    ({"hook_deployer_roles": ["stacksets-exec-*"]}, "roles"),
    ({"service_provisioning_roles": ["AmazonSageMakerProvisioning"]}, "roles"),
])
def test_bad_values_name_the_setting(values, named):
    with pytest.raises(GuardrailsInputError) as error:
        settings_from_mapping(values, "cdk.json")
    assert named in str(error.value) and "cdk.json" in str(error.value)


def test_bad_files_name_file_and_line(tmp_path):
    broken = tmp_path / "bad.json"
    broken.write_text('{\n  "max_rotation_days": ,\n}')
    with pytest.raises(GuardrailsInputError) as error:
        load_config_file(broken)
    assert error.value.line == 2 and str(broken) in str(error.value)
    with pytest.raises(GuardrailsInputError, match="cannot read"):
        load_config_file(tmp_path / "missing.toml")
    toml = tmp_path / "bad.toml"
    toml.write_text("[tool.guardrails\n")
    with pytest.raises(GuardrailsInputError, match="invalid TOML"):
        load_config_file(toml)
