"""The optional parts of the package: which extra brings each optional import, and what to say when it is missing.

The core (constructs, the synth-time plugin, `scan` with text and JSON output) needs only aws-cdk-lib,
constructs, jsii and rich. The extras are declared in pyproject.toml's [project.optional-dependencies];
tests/test_extras.py keeps this table and that section in step.
"""

from __future__ import annotations

DISTRIBUTION = "bedrock-cmk-guardrails"

# top-level import name -> the extra that installs it
EXTRA_FOR_MODULE: dict[str, str] = {
    "boto3": "audit",
    "botocore": "audit",
    "sarif_om": "reports",
    "junitparser": "reports",
    "jinja2": "reports",
    "yaml": "yaml",
    "cfnlint": "yaml",
    "cdk_nag": "stacks",
    "cdk_stacksets": "stacks",
    "cdklabs": "stacks",
}

# what each extra is for, in the words of the message
PURPOSE: dict[str, str] = {
    "audit": "the live audit and migration planning (AWS API calls)",
    "reports": "SARIF, JUnit and HTML reports",
    "yaml": "YAML templates and YAML output",
    "stacks": "the guardrail suite's preventive and detective stacks",
}


def missing_extra_message(error: ImportError) -> str | None:
    """The install hint for an optional module that failed to import, or None when it is not optional."""
    module = (getattr(error, "name", None) or "").split(".")[0]
    extra = EXTRA_FOR_MODULE.get(module)
    if extra is None:
        return None
    if not isinstance(error, ModuleNotFoundError):  # installed, but without a name we import: too old or broken
        return (f"{PURPOSE[extra]} need the optional dependency '{module}', which is installed but cannot be "
                f"used ({error}). Reinstall the extra: pip install --upgrade '{DISTRIBUTION}[{extra}]'")
    return (f"{PURPOSE[extra]} need the optional dependency '{module}', which is not installed. "
            f"Install the extra: pip install '{DISTRIBUTION}[{extra}]'")
