"""Findings -> text. Every format renders the same Report; each lives in its own module
with a `render(report) -> str` function, imported only when asked for. A format that can
also hand its output over piece by piece has `chunks(report)` (text: a line at a time, so
a run with hundreds of thousands of findings never holds its whole output)."""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable, Optional

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit", "html")


@dataclass
class Report:
    findings: list  # sorted Findings
    files: list  # display paths of every file linted, in order
    rules: dict  # rule id -> Rule (every loaded rule)
    color: bool = False
    documents: dict = field(default_factory=dict)  # display path -> Document, when kept
    summary: bool = True  # text: end with the summary line (not under --quiet)
    show_fixes: bool = False  # text: each fixable finding followed by its fix (--show-fixes)
    # display path -> the fail level in effect for that file ("never" included); junit fails
    # a file only for findings at or above it. None: every finding fails.
    fail_level: Optional[Callable[[str], str]] = None


def render(name: str, report: Report) -> str:
    module = importlib.import_module(f"{__name__}.{name}")
    return module.render(report)


def chunks(name: str, report: Report):
    """The output of format `name` in pieces whose concatenation is `render(name, report)`."""
    module = importlib.import_module(f"{__name__}.{name}")
    produce = getattr(module, "chunks", None)
    return produce(report) if produce is not None else iter((module.render(report),))
