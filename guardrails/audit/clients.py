"""botocore clients for every (account, region, service) of an audit, with adaptive retries.

One boto3 Session for all accounts (creating clients from a session is not thread-safe, so creation
is under a lock; the clients themselves are thread-safe). Other accounts are reached with STS
AssumeRole into `role_name`, their credentials passed per client; `endpoint_url` goes to every
service, like the AWS CLI's.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

import boto3
from botocore.config import Config

# max_attempts is left unset on purpose: AWS_MAX_ATTEMPTS / the profile's max_attempts still apply.
RETRY_CONFIG = {"mode": "adaptive"}


class ClientFactory:
    def __init__(self, *, profile: str | None = None, endpoint_url: str | None = None, role_name: str | None = None,
                 max_workers: int = 8, session: boto3.Session | None = None,
                 on_client: Callable[[Any], None] | None = None):
        self._base = session or boto3.Session(profile_name=profile)
        self.endpoint_url = endpoint_url
        self.role_name = role_name
        self._config = Config(retries=dict(RETRY_CONFIG), max_pool_connections=max(10, max_workers * 2),
                              connect_timeout=10, read_timeout=30)
        self._on_client = on_client  # benchmarks register latency hooks here
        self._lock = threading.Lock()
        self._credentials: dict[str, dict[str, str]] = {}  # account -> assumed-role credentials
        self._account_locks: dict[str, threading.Lock] = {}
        self._refused: dict[str, Exception] = {}  # accounts whose role could not be assumed: ask once
        self._clients: dict[tuple[str, str, str], Any] = {}
        self._home: str | None = None
        self._partition = "aws"

    @property
    def partition(self) -> str:
        """aws, aws-cn, aws-us-gov: known once home_account() has asked STS."""
        return self._partition

    @property
    def base_session(self) -> boto3.Session:
        return self._base

    def home_account(self) -> str:
        """The account of the credentials the audit runs with."""
        if self._home is None:
            identity = self.client("sts", self._base.region_name or "us-east-1").get_caller_identity()
            self._partition = identity["Arn"].split(":")[1]
            self._home = identity["Account"]
        return self._home

    def client(self, service: str, region: str, account: str | None = None) -> Any:
        key = (account or "", region, service)
        with self._lock:
            cached = self._clients.get(key)
        if cached is not None:
            return cached
        credentials = self._credentials_for(account)
        with self._lock:
            if key not in self._clients:
                # One session for every account: its loader parses each service model once, where a session per
                # account would parse them again (most of an audit's CPU time).
                client = self._base.client(service, region_name=region, endpoint_url=self.endpoint_url,
                                           config=self._config, **credentials)
                if self._on_client:
                    self._on_client(client)
                self._clients[key] = client
            return self._clients[key]

    def _credentials_for(self, account: str | None) -> dict[str, str]:
        if account is None or not self.role_name or account == self.home_account():
            return {}
        with self._lock:
            account_lock = self._account_locks.setdefault(account, threading.Lock())
        # One AssumeRole per account even when all its regions start at once.
        with account_lock:
            if account in self._credentials:
                return self._credentials[account]
            if account in self._refused:
                raise self._refused[account]
            # AssumeRole errors (AccessDenied in one account) propagate to the caller, which records them.
            sts = self.client("sts", self._base.region_name or "us-east-1")
            try:
                creds = sts.assume_role(RoleArn=f"arn:{self._partition}:iam::{account}:role/{self.role_name}",
                                        RoleSessionName="guardrails-audit")["Credentials"]
            except Exception as exc:
                self._refused[account] = exc
                raise
            self._credentials[account] = {"aws_access_key_id": creds["AccessKeyId"],
                                          "aws_secret_access_key": creds["SecretAccessKey"],
                                          "aws_session_token": creds["SessionToken"]}
            return self._credentials[account]
