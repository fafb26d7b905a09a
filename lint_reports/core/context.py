"""What a rule's `check(ctx, rule)` is given: the document and what applies to it in this file.

The engine builds one RuleContext per document and kind (core/engine.py); a kind reads the
file's settings and its own options from it, never from attributes left on the Document.
Building one must stay cheap (every file × kind): it holds references, never copies.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Optional

from ..speed import prefilter
from .document import Document


class SharedScan:
    """The one factor scan of a document's prose (speed/prefilter.py), shared by every rule
    that runs on it: built when a rule first asks for candidate lines, looking for the
    factors of all of them in one pass. `factors` is called then (the engine works them out
    once per file settings, not per document)."""

    __slots__ = ("_doc", "_factors", "_scan")

    def __init__(self, doc: Document, factors):
        self._doc = doc
        self._factors = factors  # () -> frozenset of the factors of every rule that runs
        self._scan: Optional[prefilter.Scan] = None

    def get(self) -> prefilter.Scan:
        if self._scan is None:
            self._scan = prefilter.Scan(self._doc.prose, self._doc.line_starts, self._factors())
        return self._scan


NO_OPTIONS = MappingProxyType({})  # a kind's options where no config sets any (read only: shared)


@dataclass(frozen=True)
class RuleContext:
    """One document as a kind's check sees it.

    doc          the Document (text, prose, lines, structure)
    year         the year fixed from outside for this file (`--year`, `year:`), or None
    year_reason  where that year comes from (shown in messages)
    allow        the `allow:` words of this file (findings on them are dropped by the
                 engine; a kind may also skip them early)
    options      the kind's options for this file: the validated value of the config key
                 it owns (`sections:`, `repetition:`, `copied:`…), {} where none is set
    scan         the shared candidate scan, where the engine has one (None: a kind finds
                 candidates on its own, as in a test calling check directly)
    """

    doc: Document
    year: Optional[int] = None
    year_reason: str = ""
    allow: tuple = ()
    options: Any = field(default_factory=lambda: NO_OPTIONS)
    scan: Optional[SharedScan] = None
