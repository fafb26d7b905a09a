"""`--format text`: one finding a line, `path:line:col: severity rule-id message`, then a summary.

Paths and messages (which quote the document) are shown with their control characters
escaped: a newline in a file name cannot forge another finding line, and an escape
sequence in a document cannot drive the terminal."""
from __future__ import annotations

from ..untrusted import visible

COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"


def render(report) -> str:
    return "".join(chunks(report))


def chunks(report):
    """The output a line at a time (newline included)."""
    shown_path, path = "", None
    for f in report.findings:
        if f.path is not path:  # findings come file by file: each path escaped once
            path, shown_path = f.path, visible(f.path)
        message = visible(f.message)
        if report.color:
            yield (f"{BOLD}{shown_path}:{f.line}:{f.column}:{RESET} {COLORS[f.severity]}{f.severity}{RESET} "
                   f"{DIM}{f.rule}{RESET} {message}\n")
        else:
            yield f"{shown_path}:{f.line}:{f.column}: {f.severity} {f.rule} {message}\n"
    files_with = len({f.path for f in report.findings})
    problems = len(report.findings)
    noun = "problem" if problems == 1 else "problems"
    summary = f"{problems} {noun} in {files_with} {'file' if files_with == 1 else 'files'}"
    if not problems:
        summary = f"no problems in {len(report.files)} {'file' if len(report.files) == 1 else 'files'}"
    yield summary + "\n"
