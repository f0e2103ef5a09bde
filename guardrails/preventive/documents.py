"""The policy documents for the current settings: SCPs for an organization, a boundary for one account."""

from __future__ import annotations

from guardrails.preventive import hook_protection, key_creation, key_protection, provisioning_path, workspace_creation
from guardrails.preventive.scp_size import VERSION, minified, pack
from guardrails.settings import Settings

MAX_MANAGED_POLICY_CHARS = 6144  # IAM managed policy size limit, whitespace excluded


def deny_statements(settings: Settings, organization: bool = True) -> list[dict]:
    return [*workspace_creation.statements(settings), *provisioning_path.statements(settings, organization),
            *key_protection.statements(settings), *key_creation.statements(settings),
            *hook_protection.statements(settings, organization)]


def scp_documents(settings: Settings) -> list[dict]:
    """SCPs (deny-list style: FullAWSAccess stays attached), split to fit AWS's size and count limits."""
    return pack(deny_statements(settings, organization=True))


def boundary_document(settings: Settings) -> dict:
    """A permissions boundary: allows what identity policies allow, minus the same denies as the SCPs."""
    # A boundary caps permissions: allow everything identity policies grant, then subtract the denies.
    allow = {"Sid": "AllowWhatIdentityPoliciesAllow", "Effect": "Allow", "Action": "*", "Resource": "*"}
    document = {"Version": VERSION, "Statement": [allow, *deny_statements(settings, organization=False)]}
    size = len(minified(document))
    if size > MAX_MANAGED_POLICY_CHARS:
        raise ValueError(f"the boundary is {size} characters, over IAM's {MAX_MANAGED_POLICY_CHARS}: use fewer role patterns")
    return document
