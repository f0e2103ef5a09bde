"""What every Bedrock helper shares: a checked key, WorkspaceKey grants, ownership tags, no key override."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from aws_cdk import Stack, Tags
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from guardrails.constructs import validation
from guardrails.constructs.signature import visible_signature
from guardrails.constructs.workspace_key import WorkspaceKey
from guardrails.settings import settings_from_cdk_context

BedrockKey = WorkspaceKey | kms.IKey | str


@visible_signature
class EncryptedBedrockResource(Construct):
    """Base of the Bedrock helpers: `self.key_arn` is a checked customer-managed key ARN, already granted.

    Args:
        scope: the construct to add this one to.
        id: the construct id.
        key: a WorkspaceKey (its policy gets `grant_bedrock` for the account and `roles`; the ownership
            tags default to the key's) or an existing customer-managed key (kms.IKey or key ARN) whose
            policy its owner manages.
        roles: service roles that use the key through Bedrock; granted by name on a WorkspaceKey.
        tags: the Owner, CostCenter and DataClassification tags (and any others); required unless key is
            a WorkspaceKey.
        props: the L1 resource's properties, passed through.
        reserved: L1 properties the helper sets itself -> the parameter to use instead (e.g. "key=").
    """

    def __init__(self, scope: Construct, id: str, *, key: BedrockKey, roles: Sequence[iam.IRole],
                 tags: Mapping[str, str] | None, props: Mapping[str, Any], reserved: Mapping[str, str]) -> None:
        for name, instead in reserved.items():
            if name in props:
                raise validation.ConstructInputError(
                    f"{type(self).__name__} sets {name} itself from {instead}; pass {instead} instead of {name}=.")
        workspace_key = key if isinstance(key, WorkspaceKey) else None
        self.key_arn = validation.checked_key_arn(scope, workspace_key.key if workspace_key else key,  # type: ignore[arg-type]
                                                  validation.BEDROCK_KEY_FIX)
        if tags is None and workspace_key is None:
            raise validation.ConstructInputError(
                f"{type(self).__name__} needs tags= with Owner, CostCenter and DataClassification when key= is not a "
                "WorkspaceKey (a WorkspaceKey's ownership tags are inherited). Pass e.g. tags={\"Owner\": "
                "\"ml-team@example.com\", \"CostCenter\": \"CC-1234\", \"DataClassification\": \"confidential\"}.")
        owned = dict(tags) if tags is not None else dict(workspace_key.ownership_tags)  # type: ignore[union-attr]
        validation.ownership_tags(settings_from_cdk_context(scope.node), owner=owned.get("Owner"),
                                  cost_center=owned.get("CostCenter"),
                                  data_classification=owned.get("DataClassification"), given_as_tags=tags is not None)
        super().__init__(scope, id)
        if workspace_key is not None and Stack.of(workspace_key) is Stack.of(self):
            workspace_key.grant_bedrock(*roles)
        for name, value in owned.items():
            Tags.of(self).add(name, value)
