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


def _pins() -> dict[str, str]:
    from tests.conftest import ROOT

    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        name, _, version = line.partition("==")
        if version:
            pins[name.strip().lower()] = version.strip()
    return pins


def test_the_bundle_carries_the_pinned_sdk_and_it_wins_over_the_runtimes(tmp_path):
    """Issue #10 item 15: the runtime's boto3 may lack the newest DataZone/Bedrock calls, so the function ships the
    botocore pinned in constraints.txt. With the bundle first on sys.path (as /var/task is in Lambda) every SDK
    module must come from the bundle, at the pinned version, with a model for every service the handler calls."""
    from guardrails.detective.bundle import HANDLER_SERVICES, SDK_MODULES

    root = assemble(tmp_path / "asset")
    pins = _pins()
    code = ("import sys, json, importlib\n"
            f"sys.path[:0] = [{str(root)!r}]\n"
            "import boto3, botocore\n"
            f"mods = {{n: importlib.import_module(n) for n in {list(SDK_MODULES)!r}}}\n"
            f"outside = [n for n, m in mods.items() if not m.__file__.startswith({str(root)!r})]\n"
            "session = boto3.Session(region_name='us-east-1', aws_access_key_id='x', aws_secret_access_key='y')\n"
            f"ops = {{s: sorted(session.client(s).meta.service_model.operation_names) for s in {list(HANDLER_SERVICES)!r}}}\n"
            "print(json.dumps({'outside': outside, 'boto3': boto3.__version__, 'botocore': botocore.__version__, "
            "'services': session.get_available_services(), 'ops': ops}))\n")
    result = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    import json

    found = json.loads(result.stdout)
    assert found["outside"] == []
    assert (found["boto3"], found["botocore"]) == (pins["boto3"], pins["botocore"])
    assert sorted(found["services"]) == sorted(HANDLER_SERVICES)  # botocore's models cut to what the handler uses
    for operation in ("ListDomains", "GetDomain"):
        assert operation in found["ops"]["datazone"]
    for operation in ("ListAgents", "GetAgent", "ListFlows", "GetFlow", "ListPrompts", "GetPrompt", "ListTagsForResource"):
        assert operation in found["ops"]["bedrock-agent"]
    assert {"ListGuardrails", "GetGuardrail", "ListTagsForResource"} <= set(found["ops"]["bedrock"])
    from guardrails.live_inventory import SOURCES  # every kind's List and Get, AgentCore's included (botocore mid-2025)

    for source in SOURCES:
        wanted = {source.list_method, source.get_method}
        assert {"".join(w.title() for w in m.split("_")) for m in wanted} <= set(found["ops"][source.service]), source


def test_the_bundled_services_are_the_handlers_clients():
    """A client the handler adds without its model in the bundle would fail in Lambda only: keep the lists equal."""
    from guardrails.detective.bundle import HANDLER_SERVICES, LAMBDA_ROOT

    sys.path.insert(0, str(LAMBDA_ROOT))
    try:
        from workspace_rule.clients import Clients
    finally:
        sys.path.remove(str(LAMBDA_ROOT))

    class Recorder:
        names: list[str] = []

        def client(self, name, config=None):
            self.names.append(name)
            return name

    recorder = Recorder()
    Clients.from_session(recorder)
    assert sorted(recorder.names) == sorted(HANDLER_SERVICES)
