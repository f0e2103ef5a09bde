"""BedrockGuardrails-WorkspaceOwnershipTags: the workspace carries the required ownership tags."""

from guardrails.rules.base import PREFIX, Rule
from guardrails.rules.governed_types import WORKSPACE_TYPE
from guardrails.rules.ownership_tags import tag_check

RULE = Rule(
    id=PREFIX + "WorkspaceOwnershipTags",
    title="Workspace carries ownership tags",
    explanation="Ownership tags (by default Owner, CostCenter, DataClassification) say who answers for a workspace "
                "and its data; auditors and the KPI dashboard key on them.",
    remediation="Add the required tags with non-empty values to the domain's Tags (CompliantWorkspace sets them).",
    resource_types=(WORKSPACE_TYPE,),
    check=tag_check(lambda: RULE, "workspace"),
)
