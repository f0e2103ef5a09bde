"""What every Bedrock helper shares: a checked key, WorkspaceKey grants, ownership tags, no key override."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from aws_cdk import Stack, Tags
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from guardrails.constructs import validation
from guardrails.constructs.workspace_key import WorkspaceKey
from guardrails.settings import settings_from_cdk_context

BedrockKey = WorkspaceKey | kms.IKey | str


class EncryptedBedrockResource(Construct):
    """Base of the Bedrock helpers: `self.key_arn` is a checked customer-managed key ARN, already granted.

    `key` is a WorkspaceKey (its policy gets `grant_bedrock` for the account and `roles`; the
    ownership tags default to the key's) or an existing key whose policy its owner manages.
    """

    def __init__(self, scope: Construct, id: str, *, key: BedrockKey, roles: Sequence[iam.IRole],
                 tags: Mapping[str, str] | None, props: Mapping[str, Any], reserved: Sequence[str]) -> None:
        for name in (*reserved, "tags"):
            if name in props:
                raise validation.ConstructInputError(
                    f"{type(self).__name__} sets {name} itself; pass key= (a WorkspaceKey) and tags= instead of {name}=.")
        workspace_key = key if isinstance(key, WorkspaceKey) else None
        if tags is None and workspace_key is None:
            raise validation.ConstructInputError(f"{type(self).__name__} needs tags= with Owner, CostCenter and "
                                                 "DataClassification when key= is not a WorkspaceKey.")
        owned = dict(tags) if tags is not None else dict(workspace_key.ownership_tags)  # type: ignore[union-attr]
        validation.ownership_tags(settings_from_cdk_context(scope.node), owner=owned.get("Owner"),
                                  cost_center=owned.get("CostCenter"),
                                  data_classification=owned.get("DataClassification"))
        self.key_arn = validation.checked_key_arn(scope, workspace_key.key if workspace_key else key)  # type: ignore[arg-type]
        super().__init__(scope, id)
        if workspace_key is not None and Stack.of(workspace_key) is Stack.of(self):
            workspace_key.grant_bedrock(*roles)
        for name, value in owned.items():
            Tags.of(self).add(name, value)
