"""Findings -> text. Every format renders the same Report; each lives in its own module
with a `render(report) -> str` function, imported only when asked for."""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit", "html")


@dataclass
class Report:
    findings: list  # sorted Findings
    files: list  # display paths of every file linted, in order
    rules: dict  # rule id -> Rule (every loaded rule)
    color: bool = False
    documents: dict = field(default_factory=dict)  # display path -> Document, when kept


def render(name: str, report: Report) -> str:
    module = importlib.import_module(f"{__name__}.{name}")
    return module.render(report)
