import subprocess
import sys

from guardrails.detective.bundle import assemble


def test_the_bundle_imports_the_handler_without_aws_cdk(tmp_path):
    root = assemble(tmp_path / "asset")
    assert not (root / "guardrails" / "checks.py").exists() and not (root / "guardrails" / "stacks").exists()
    code = ("import sys, importlib.abc\n"
            "class NoCdk(importlib.abc.MetaPathFinder):\n"
            "    def find_spec(self, name, path, target=None):\n"
            "        if name.split('.')[0] in ('aws_cdk', 'constructs', 'jsii'): raise ImportError(name)\n"
            "sys.meta_path.insert(0, NoCdk())\n"
            f"sys.path[:0] = [{str(root)!r}]\n"
            "import workspace_rule.handler as h, guardrails\n"
            f"assert guardrails.__file__.startswith({str(root)!r}), guardrails.__file__\n"
            "print(h.lambda_handler.__name__)\n")
    result = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "lambda_handler"
