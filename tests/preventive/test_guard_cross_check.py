"""Guard rules and the Python catalog give the same verdict for every resource of the shared corpus."""

from pathlib import Path

import pytest

from guardrails.preventive.guard_rules import RULES_FILE
from guardrails.preventive.guard_runner import guard_failures
from guardrails.settings import Settings
from guardrails.template import load_template
from tests.preventive.catalog_verdicts import COMPARED, catalog_failures

CORPUS = sorted((Path(__file__).parents[1] / "corpus").glob("*.[jy]*"))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_guard_and_catalog_agree(path):
    template = load_template(path)
    python = catalog_failures(template, Settings())
    guard = guard_failures(RULES_FILE, template.data)
    only_python = sorted(python - guard)
    only_guard = sorted(guard - python)
    assert not only_python and not only_guard, f"catalog-only failures {only_python}; guard-only failures {only_guard}"
    assert python, "the corpus must contain failing resources, or agreement proves nothing"


def test_corpus_has_passing_and_failing_resources_of_every_governed_type():
    from guardrails.rules.governed_types import GOVERNED_TYPES

    template = load_template(Path(__file__).parents[1] / "corpus" / "governed_key_references.json")
    failing = {lid for lid, _ in catalog_failures(template, Settings())}
    for resource_type in GOVERNED_TYPES:
        ids = {r.logical_id for r in template.resources(resource_type)}
        assert ids - failing, f"no passing {resource_type} in the corpus"
        assert ids & failing, f"no failing {resource_type} in the corpus"
    assert COMPARED


def test_the_corpus_fails_every_rule_guard_enforces():
    """Agreement proves nothing for a rule the corpus never fails: each rule with a Guard rendering (every rule
    not exempted from the hook, tests/rules/test_catalog.py) fails somewhere, in Guard and in the catalog."""
    from guardrails.rules import CATALOG

    failing: set[str] = set()
    for path in CORPUS:
        template = load_template(path)
        failing |= {rule for _, rule in guard_failures(RULES_FILE, template.data) & catalog_failures(template, Settings())}
    assert COMPARED == {r.id for r in CATALOG if r.guard is not None}
    assert failing == COMPARED, f"never failing in the corpus: {sorted(COMPARED - failing)}"
