"""OrganizationGuardrails: the SCP documents as AWS::Organizations::Policy, attached to the settings' targets."""

from __future__ import annotations

from aws_cdk import aws_organizations as organizations
from constructs import Construct

from guardrails.preventive.documents import scp_documents
from guardrails.settings import Settings


class OrganizationGuardrails(Construct):
    """Deploy in the management (or delegated-admin) account; one policy per packed document."""

    def __init__(self, scope: Construct, id: str, *, settings: Settings) -> None:
        super().__init__(scope, id)
        if not settings.org_target_ids:
            raise ValueError("setting 'org_target_ids' is empty: an SCP attached nowhere protects nothing")
        self.policies = [
            organizations.CfnPolicy(self, f"Scp{index + 1}", name=f"bedrock-cmk-guardrails-{index + 1}", type="SERVICE_CONTROL_POLICY",
                                    description="Bedrock CMK Guardrails: who may create workspaces, and protection of keys and hook",
                                    content=document, target_ids=list(settings.org_target_ids))
            for index, document in enumerate(scp_documents(settings))]
