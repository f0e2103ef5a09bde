"""The default `--regions`: every region where an audited service exists, from botocore's endpoint data."""

from __future__ import annotations

import boto3

AUDITED_SERVICES = ("datazone", "bedrock", "bedrock-agent")


def default_regions(session: boto3.Session | None = None, partition: str = "aws") -> list[str]:
    session = session or boto3.Session()
    regions: set[str] = set()
    for service in AUDITED_SERVICES:
        regions.update(session.get_available_regions(service, partition_name=partition))
    return sorted(regions)


def parse_regions(text: str | None, session: boto3.Session | None = None) -> list[str]:
    if not text:
        return default_regions(session)
    return sorted({r.strip() for r in text.split(",") if r.strip()})
