"""help(), inspect.signature and IDEs show each construct's real parameters, and the docstring explains each one.

jsii's metaclass (on constructs.Construct) makes every subclass report `(*args, **kwargs)`; the
constructs set `__signature__` from their own __init__ (guardrails/constructs/signature.py).
"""

from __future__ import annotations

import inspect
import pydoc
import re

import pytest
from constructs import Construct

import guardrails.constructs as package

CONSTRUCTS = [getattr(package, name) for name in package.__all__
              if isinstance(getattr(package, name), type) and issubclass(getattr(package, name), Construct)]


def test_every_public_construct_is_checked():
    assert {c.__name__ for c in CONSTRUCTS} >= {"WorkspaceKey", "CompliantWorkspace", "CompliantAgent",
                                                "CompliantKnowledgeBase", "CompliantDataSource"}


@pytest.mark.parametrize("construct", CONSTRUCTS, ids=lambda c: c.__name__)
def test_signature_is_the_constructors_own(construct):
    shown = inspect.signature(construct)
    own = list(inspect.signature(construct.__init__).parameters.values())[1:]
    assert list(shown.parameters.values()) == own
    assert shown.parameters["scope"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert not any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in shown.parameters.values())
    assert f"{construct.__name__}(scope" in pydoc.render_doc(construct, renderer=pydoc.plaintext)


@pytest.mark.parametrize("construct", CONSTRUCTS, ids=lambda c: c.__name__)
def test_docstring_explains_every_parameter(construct):
    doc = inspect.getdoc(construct) or ""
    assert "Args:" in doc
    documented = set(re.findall(r"^\s{4}(\*{0,2}\w+):", doc.split("Args:", 1)[1], flags=re.M))
    expected = {("**" if p.kind is inspect.Parameter.VAR_KEYWORD else "") + name
                for name, p in inspect.signature(construct).parameters.items()}
    assert expected <= documented, f"undocumented: {sorted(expected - documented)}"
