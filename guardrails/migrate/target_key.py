"""Refuse a target domain that is not on a customer-managed key, judged as `guardrails audit` judges it.

The same KMS facts (live_key_facts.gather_key_facts) and the same verdict (live_verdict.judge, the
catalog's live checks) as the audit and the Config rule: migrating into a domain the audit would flag for its
key would only move the problem. Failing to prove the key is customer-managed (DescribeKey denied)
refuses too. The key's other findings (rotation, tags, key policy) can be fixed on the key later
without a new domain, so they are warnings, not refusals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guardrails.audit.errors import describe_error
from guardrails.live_key_facts import gather_key_facts
from guardrails.live_verdict import LiveSubject, judge
from guardrails.rules import RULES_BY_ID, Rule
from guardrails.rules.governed_types import WORKSPACE_TYPE
from guardrails.settings import Settings


@dataclass(frozen=True)
class KeyJudgment:
    key: str | None
    refusal: str | None  # why the domain is refused; None when its key is customer-managed
    warnings: tuple[str, ...] = ()


def judge_target_key(domain: dict[str, Any], kms: Any, settings: Settings) -> KeyJudgment:
    key = domain.get("kmsKeyIdentifier")
    facts = gather_key_facts(kms, key, describe_error=describe_error, catch=(Exception,)) if key else None
    verdict = judge(LiveSubject(WORKSPACE_TYPE, key, facts, domain.get("tags") or {}), settings)
    # Refused: what the coverage rules say (not provably on a customer-managed key). Warned: what the key rules
    # say, which can be fixed on the key later. The domain's own findings (its tags) are not the key's business.
    def rule(problem) -> Rule:
        return RULES_BY_ID[problem.rule_id.split("[")[0]]
    refusing = [p.message for p in verdict.problems if rule(p).coverage]
    others = tuple(f"{p.rule_id}: {p.message}" for p in verdict.problems if rule(p).scope == "key")
    return KeyJudgment(key, "; ".join(refusing) or None, others)
