"""`--format json`: {"findings": [{path, line, column, end_column, rule, category, severity, message}]}"""
from __future__ import annotations

from . import _jsonstream


def render(report) -> str:
    return "".join(chunks(report))


def chunks(report):
    return _jsonstream.chunks({"findings": _jsonstream.SLOT}, (f.as_json() for f in report.findings))
