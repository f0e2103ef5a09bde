"""Detective controls: Config rules, real-time detection, metric filters, alarms, the KPI dashboard.

Pure-Python modules here (managed_rules, event_patterns, metric_filters) import nothing from
aws_cdk; the CDK constructs live in the modules whose names end in `_construct` and in
guardrails/stacks/detective.py. `lambda/workspace_rule/` is the custom Config rule's handler
(plain boto3), bundled with the parts of `guardrails` it imports.
"""
