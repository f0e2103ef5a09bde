"""The IAM actions of the custom rule's function, one tuple per policy statement.

HANDLER_* are the AWS APIs the handler (lambda/workspace_rule/) calls; tests/detective/lambda/workspace_rule/
test_permissions.py runs every handler scenario with a botocore hook that records each call, maps it to its
IAM action through botocore's service model, and asserts the function's synthesized policy grants exactly
that set, no more and no less. RUNTIME_* are what the Lambda service itself does with the role (write the
function's logs, send a failed asynchronous invocation to the dead-letter queue), not handler calls.
"""

from guardrails.constructs import service_key_facts as facts

HANDLER_READ = (
    "datazone:ListDomains", "datazone:GetDomain",  # GetDomain's response carries the domain's tags
    "bedrock:ListAgents", "bedrock:GetAgent", "bedrock:ListFlows", "bedrock:GetFlow",
    "bedrock:ListPrompts", "bedrock:GetPrompt", "bedrock:ListGuardrails", "bedrock:GetGuardrail",
    "bedrock:ListTagsForResource",  # the exception tag of a NON_COMPLIANT agent, flow, prompt or guardrail
    "kms:DescribeKey", "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:GetKeyPolicy",
)
# Not a handler call: Bedrock decrypts a CMK-encrypted agent, flow, prompt or guardrail for GetAgent/GetFlow/
# GetPrompt/GetGuardrail with the caller's permission (service_key_facts.BEDROCK_READ_AS_CALLER), so the role
# needs kms:Decrypt, only through Bedrock (kms:ViaService). The workspace keys' account statement allows it.
SERVICE_DECRYPT = tuple(facts.BEDROCK_READ_AS_CALLER.actions)
HANDLER_REPORT = ("config:PutEvaluations",)
HANDLER_KPIS = ("cloudwatch:PutMetricData",)
HANDLER_STATE = ("dynamodb:Scan", "dynamodb:PutItem", "dynamodb:DeleteItem")
RUNTIME_LOGS = ("logs:CreateLogStream", "logs:PutLogEvents")
RUNTIME_DEAD_LETTERS = ("sqs:SendMessage",)
