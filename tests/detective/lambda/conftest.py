"""The handler is deployed with `guardrails/detective/lambda` as its code root: import it the same way."""

import sys
from pathlib import Path

LAMBDA_ROOT = Path(__file__).resolve().parents[3] / "guardrails" / "detective" / "lambda"
if str(LAMBDA_ROOT) not in sys.path:
    sys.path.insert(0, str(LAMBDA_ROOT))
