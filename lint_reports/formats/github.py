"""`--format github`: GitHub Actions workflow commands, one a line, so findings show as
annotations on the pull request diff:

    ::error file=reports/a.md,line=3,col=5,endColumn=7,title=placeholder-x::占位符“xx”未替换…

Severity maps to the command (error, warning, notice). Messages escape `%`, CR and LF;
property values also escape `:` and `,` (GitHub's own escaping rules). Every other control
character (the ESC of a terminal sequence in a quoted document) is shown as an escape: the
log is read in a terminal-like viewer.
"""
from __future__ import annotations

from ..io.escape import visible
from ._paths import ci_path

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """GitHub's escaping (a line break becomes part of the annotation, never a new
    command), then every other control character shown as an escape."""
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report) -> str:
    return "".join(chunks(report))


def chunks(report):
    """One workflow command a line."""
    for f in report.findings:
        if f.end_line > f.line:  # whole lines (GitHub takes columns only within one line)
            properties = {"file": ci_path(f.path), "line": f.line, "endLine": f.end_line, "title": f.rule}
        else:
            properties = {"file": ci_path(f.path), "line": f.line, "col": f.column,
                          "endColumn": max(f.end_column, f.column + 1), "title": f.rule}
        rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
        yield f"::{COMMANDS[f.severity]} {rendered}::{escape_data(f.message)}\n"
