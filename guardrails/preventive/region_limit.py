"""Region limit (SCPs only): governed resources are created only in `governed_regions`, where the Guard Hook and the
detective controls run.

The provisioning-role exemption is global (IAM roles are not regional) while the hook StackSet and the detective
StackSet deploy only to governed_regions: without this, an administrator who passes the CDK bootstrap's execution
role to CloudFormation in another region (CloudFormation User Guide, "AWS CloudFormation service role") creates a
keyless domain that no hook judges. aws:RequestedRegion is the region the call goes to (IAM User Guide, "AWS global
condition context keys"). Only break-glass is exempt. Not in the boundary: the role that matters here, the
provisioning role, never carries it, and the roles that do are already denied these actions everywhere.
"""

from __future__ import annotations

from guardrails.preventive.governed_actions import governed_actions
from guardrails.preventive.principals import statement, unless_principal
from guardrails.settings import Settings


def statements(settings: Settings) -> list[dict]:
    regions = sorted(settings.governed_regions)
    if not regions:  # fail closed: no region would mean no hook anywhere
        raise ValueError("setting 'governed_regions' is empty: name the regions the Guard Hook is deployed to")
    return [statement("DenyGovernedCreateOutsideGovernedRegions", governed_actions(), "*", {
        "StringNotEquals": {"aws:RequestedRegion": regions if len(regions) > 1 else regions[0]},
        **unless_principal([settings.break_glass_role])})]
