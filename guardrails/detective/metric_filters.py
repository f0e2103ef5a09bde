"""CloudWatch Logs metric filters on the CloudTrail log group, and the alarms' thresholds.

CIS_KEY_DISABLE_OR_DELETE is the CIS benchmark filter (Security Hub CloudWatch.7), verbatim.
CloudTrail events do not carry a key's tags, so a metric filter cannot tell a workspace key from
another: the other filters watch every key in the trail (a superset of the workspace keys) and leave
out DataZone's own grant traffic (invokedBy datazone.amazonaws.com); the custom Config rule then
names the workspace keys that a change left non-compliant.
"""

from __future__ import annotations

from dataclasses import dataclass

from guardrails.settings import Settings

NAMESPACE = "BedrockGuardrails"
CIS_KEY_DISABLE_OR_DELETE = ("{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || "
                             "($.eventName=ScheduleKeyDeletion))}")
_KEY_POLICY_OR_ROTATION = ("{($.eventSource=kms.amazonaws.com) && (($.eventName=PutKeyPolicy) || "
                           "($.eventName=DisableKeyRotation))}")
# A comparison on a missing field is false in CloudWatch Logs, so `invokedBy != datazone` alone never matched a
# person's direct CreateGrant (no invokedBy at all): the NOT EXISTS branch catches it. NOT EXISTS is the syntax
# aws_cdk.aws_logs.FilterPattern.not_exists renders (tests check it).
_NOT_DATAZONE = "(($.userIdentity.invokedBy NOT EXISTS) || ($.userIdentity.invokedBy!=datazone.amazonaws.com))"
_GRANT_CHANGES = ("{($.eventSource=kms.amazonaws.com) && (($.eventName=CreateGrant) || ($.eventName=RevokeGrant) || "
                  f"($.eventName=RetireGrant)) && {_NOT_DATAZONE}}}")
_ACCESS_DENIED = ("{($.eventSource=kms.amazonaws.com) && (($.errorCode=AccessDenied*) || "
                  "($.errorCode=*UnauthorizedOperation))}")


@dataclass(frozen=True)
class TrailAlarm:
    name: str  # metric name and construct id
    pattern: str
    threshold: int
    description: str


def trail_alarms(settings: Settings) -> tuple[TrailAlarm, ...]:
    return (
        TrailAlarm("KmsKeyDisabledOrScheduledForDeletion", CIS_KEY_DISABLE_OR_DELETE, 1,
                   "A KMS key was disabled or scheduled for deletion (CIS, Security Hub CloudWatch.7): data it protects "
                   "becomes unreadable. Check the trail for who; CancelKeyDeletion / EnableKey if unintended."),
        TrailAlarm("KmsKeyPolicyOrRotationChanged", _KEY_POLICY_OR_ROTATION, 1,
                   "A KMS key policy was replaced or rotation turned off. Run `guardrails audit` on the key; restore "
                   "the least-privilege policy / EnableKeyRotation."),
        TrailAlarm("KmsGrantChanged", _GRANT_CHANGES, 1,
                   "A KMS grant was created, revoked or retired by someone other than DataZone. Check the grantee "
                   "with ListGrants."),
        TrailAlarm("KmsAccessDenied", _ACCESS_DENIED, settings.access_denied_threshold,
                   f"At least {settings.access_denied_threshold} denied KMS calls in 5 minutes: unusual or unauthorized "
                   "key use. Check userIdentity in the trail."),
    )
