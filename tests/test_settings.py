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


def test_every_setting_is_documented_in_the_settings_table():
    """A setting nobody can find is a setting nobody sets: docs/settings.md's table names each one."""
    import re
    from dataclasses import fields

    from tests.conftest import ROOT

    section = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    documented = {name for row in section.splitlines() if row.startswith("| `")
                  for name in re.findall(r"`([a-z_]+)`", row.split("|")[1])}
    assert {f.name for f in fields(Settings)} - documented == set()


def _cdk_json(directory, guardrails) -> None:
    context = {} if guardrails is None else {"guardrails": guardrails}
    (directory / "cdk.json").write_text(json.dumps({"app": "python app.py", "context": context}))


def test_cli_reads_cdk_json_context_instead_of_pyproject(tmp_path):
    from guardrails.settings import load_settings_with_sources

    (tmp_path / "pyproject.toml").write_text("[tool.guardrails]\nmax_rotation_days = 180\nmin_pending_window_days = 20\n")
    _cdk_json(tmp_path, {"max_rotation_days": 200})
    settings, sources = load_settings_with_sources(None, tmp_path)
    # synth reads only cdk.json's context, so pyproject.toml's values must not leak in
    assert settings.max_rotation_days == 200 and settings.min_pending_window_days == Settings().min_pending_window_days
    assert sources == [f"{tmp_path / 'cdk.json'} context 'guardrails'"]


def test_cdk_json_without_guardrails_key_falls_back_to_pyproject(tmp_path):
    from guardrails.settings import load_settings_with_sources

    (tmp_path / "pyproject.toml").write_text("[tool.guardrails]\nmax_rotation_days = 180\n")
    _cdk_json(tmp_path, None)
    config = tmp_path / "override.json"
    config.write_text(json.dumps({"min_pending_window_days": 10}))
    settings, sources = load_settings_with_sources(str(config), tmp_path)
    assert settings.max_rotation_days == 180 and settings.min_pending_window_days == 10
    assert sources == [f"{tmp_path / 'pyproject.toml'} [tool.guardrails]", str(config)]


def test_cdk_json_context_as_a_json_string_as_dash_c_passes_it(tmp_path):
    from guardrails.settings import load_settings_with_sources

    _cdk_json(tmp_path, json.dumps({"max_rotation_days": 120}))
    assert load_settings_with_sources(None, tmp_path)[0].max_rotation_days == 120


@pytest.mark.parametrize("text, line", [("{\n  \"context\": {\n    \"guardrails\": [}\n}", 3)])
def test_broken_cdk_json_names_file_and_line(tmp_path, text, line):
    from guardrails.settings import load_settings_with_sources

    (tmp_path / "cdk.json").write_text(text)
    with pytest.raises(GuardrailsInputError) as caught:
        load_settings_with_sources(None, tmp_path)
    assert caught.value.source == str(tmp_path / "cdk.json") and caught.value.line == line


def test_bad_value_in_cdk_json_names_the_setting_and_the_file(tmp_path):
    from guardrails.settings import load_settings_with_sources

    _cdk_json(tmp_path, {"max_rotation_days": 5000})
    with pytest.raises(GuardrailsInputError) as caught:
        load_settings_with_sources(None, tmp_path)
    assert "max_rotation_days" in str(caught.value) and "cdk.json" in str(caught.value)


def test_load_settings_reads_cdk_json_only_when_asked(tmp_path):
    _cdk_json(tmp_path, {"max_rotation_days": 200})
    assert load_settings(None, tmp_path).max_rotation_days == Settings().max_rotation_days
    assert load_settings(None, tmp_path, read_cdk_json=True).max_rotation_days == 200


def test_settings_note_names_the_files_or_the_defaults():
    from guardrails.settings import settings_note

    assert settings_note([]).startswith("Settings: built-in defaults")
    assert settings_note(["cdk.json context 'guardrails'", "x.toml"]) == \
        "Settings: cdk.json context 'guardrails', overlaid by x.toml\n"
