"""Rule kinds: one module per kind, parametrised by rule entries in the YAML packs.

A kind module defines:

    KIND = "pattern"                 # the `kind:` value in a pack
    PARAMS = {"pattern": str, ...}   # kind-specific keys a rule entry may carry, with types
    REQUIRED = ()                    # keys that must be present (alternatives: a tuple inside)
    def prepare(rule, data): ...     # compile once; raise ValueError("...") for a bad entry
    def check(doc, rule): ...        # yield Finding objects (use rule.finding(...))

The module docstring shows a passing and a failing example, like yamllint's rules.
"""
from __future__ import annotations

import importlib
import re

_KIND_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_loaded: dict = {}


def kind_module(kind: str):
    """The module implementing `kind`, or None if there is no such kind."""
    if kind in _loaded:
        return _loaded[kind]
    module = None
    if isinstance(kind, str) and _KIND_NAME.match(kind):
        try:
            module = importlib.import_module(f"{__name__}.{kind}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{kind}":
                raise
        if module is not None and getattr(module, "KIND", None) != kind:
            module = None
    _loaded[kind] = module
    return module


def known_kinds() -> list:
    import pkgutil

    return sorted(m.name for m in pkgutil.iter_modules(__path__) if kind_module(m.name))
