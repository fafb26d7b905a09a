"""Rule kinds: one module per kind, parametrised by rule entries in the YAML packs.

A kind module defines:

    KIND = "pattern"                 # the `kind:` value in a pack
    PARAMS = {"pattern": str, ...}   # kind-specific keys a rule entry may carry, with types
    REQUIRED = ()                    # keys that must be present (alternatives: a tuple inside)
    def prepare(rule, data): ...     # compile once; raise ValueError("...") for a bad entry
    def check(ctx, rule): ...        # yield Finding objects (use rule.finding(ctx.doc, ...))

`ctx` is a core.context.RuleContext: the document, the file's year and allow words, the
kind's options (`OPTIONS` declares the config keys a kind owns and validates them) and the
shared candidate scan. docs/architecture.md has the whole contract.

The module docstring shows a passing and a failing example, like yamllint's rules.
A big kind is a package (kinds/era/: its __init__ is the kind, beside its helpers); a kind
that lives inside another's package is named in _IN_PACKAGE.
"""
from __future__ import annotations

import importlib
import re

_KIND_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_loaded: dict = {}
_IN_PACKAGE = {"era_mixed": "era.mixed"}  # kind -> its module, when not kinds/<kind>


def kind_module(kind: str):
    """The module implementing `kind`, or None if there is no such kind."""
    if kind in _loaded:
        return _loaded[kind]
    module = None
    if isinstance(kind, str) and _KIND_NAME.match(kind):
        name = f"{__name__}.{_IN_PACKAGE.get(kind, kind)}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
        if module is not None and getattr(module, "KIND", None) != kind:
            module = None
    _loaded[kind] = module
    return module


def known_kinds() -> list:
    import pkgutil

    names = [m.name for m in pkgutil.iter_modules(__path__)] + list(_IN_PACKAGE)
    return sorted(name for name in names if kind_module(name))
