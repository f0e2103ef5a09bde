#!/usr/bin/env python3
"""The guardrail suite: `make synth` (or `npx cdk synth`) builds every stack from cdk.json context."""

from aws_cdk import App

from guardrails.settings import settings_from_cdk_context
from guardrails.stacks import add_policy_packs, build_suite

app = App()
settings = settings_from_cdk_context(app.node)
build_suite(app, settings)
add_policy_packs(app, settings)
app.synth()
