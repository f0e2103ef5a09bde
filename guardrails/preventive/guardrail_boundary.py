"""GuardrailBoundary: the same denies as a managed policy, for accounts without Organizations."""

from __future__ import annotations

from aws_cdk import aws_iam as iam
from constructs import Construct

from guardrails.preventive.boundary_protection import boundary_policy_name
from guardrails.preventive.documents import boundary_document
from guardrails.settings import Settings


class GuardrailBoundary(Construct):
    """Attach `policy` as the permissions boundary of every human and workload role in the account."""

    def __init__(self, scope: Construct, id: str, *, settings: Settings) -> None:
        super().__init__(scope, id)
        # A fixed name: the boundary's own statements name its ARN (boundary_protection).
        self.policy = iam.ManagedPolicy(self, "Policy", description="Bedrock CMK Guardrails permissions boundary",
                                        managed_policy_name=boundary_policy_name(settings),
                                        document=iam.PolicyDocument.from_json(boundary_document(settings)))
