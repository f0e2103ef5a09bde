"""Constructs show their real parameters in help(), inspect.signature and IDEs.

constructs.Construct has jsii's metaclass, whose __call__(*args, **kwargs) is what `inspect.signature`
and `help()` report for every subclass; `__signature__` on the class takes precedence over it.
"""

from __future__ import annotations

import inspect
from typing import TypeVar

C = TypeVar("C", bound=type)


def visible_signature(cls: C) -> C:
    """Give `cls` the signature of its own __init__ (without `self`)."""
    init = inspect.signature(cls.__init__)  # type: ignore[misc]
    cls.__signature__ = init.replace(parameters=list(init.parameters.values())[1:])  # type: ignore[attr-defined]
    return cls
