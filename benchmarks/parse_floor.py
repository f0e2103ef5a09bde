"""The parse floor: read and parse every template under the given paths with the parser `guardrails scan`
uses (json.loads for JSON, cfn-lint's YAML decoder for YAML), and nothing else.

    python -m benchmarks.parse_floor DIR...
"""

from __future__ import annotations

import json
import os
import sys


def parse_all(paths: list[str]) -> int:
    """Parse every .json/.yaml/.yml/.template file; returns the number of resources seen."""
    resources = 0
    for root in paths:
        for directory, _, files in os.walk(root):
            for name in sorted(files):
                if not name.endswith((".json", ".yaml", ".yml", ".template")):
                    continue
                path = os.path.join(directory, name)
                with open(path, "rb") as handle:
                    text = handle.read().decode("utf-8-sig")
                if text.lstrip().startswith("{"):
                    data = json.loads(text)
                else:
                    from cfnlint.decode import cfn_yaml

                    data = cfn_yaml.loads(text, path)
                resources += len(data.get("Resources", {}))
    return resources


if __name__ == "__main__":
    print(parse_all(sys.argv[1:]))
