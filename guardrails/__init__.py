"""Bedrock CMK Guardrails: keep Bedrock workspaces and resources on customer-managed KMS keys."""

__version__ = "0.1.0"
