"""`--format text`: one finding a line, `path:line:col: severity rule-id message`, then a summary.

A finding --fix would repair carries `[*]` before its message; with --show-fixes the fix
follows on its own indented line. The summary is one sentence, the same shape whatever the
counts: problems, then the files they are in out of the files checked, then how many --fix
would repair:

    3 problems in 2 of 10 files (1 fixable with --fix)
    164 problems in 5 files          (every file checked has a problem)
    no problems in 10 files

Paths and messages (which quote the document) are shown with their control characters
escaped: a newline in a file name cannot forge another finding line, and an escape
sequence in a document cannot drive the terminal."""
from __future__ import annotations

from ..io.escape import visible

COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
BOLD, DIM, GREEN, RESET = "\033[1m", "\033[2m", "\033[32m", "\033[0m"
FIXABLE_MARK = "[*]"


def render(report) -> str:
    return "".join(chunks(report))


def chunks(report):
    """The output a line at a time (newline included)."""
    shown_path, path = "", None
    color, show_fixes = report.color, report.show_fixes
    fixable = 0
    for f in report.findings:
        if f.path is not path:  # findings come file by file: each path escaped once
            path, shown_path = f.path, visible(f.path)
        message = visible(f.message)
        if f.fix_region is not None:
            fixable += 1
            message = (f"{GREEN}{FIXABLE_MARK}{RESET} " if color else FIXABLE_MARK + " ") + message
        if color:
            yield (f"{BOLD}{shown_path}:{f.line}:{f.column}:{RESET} {COLORS[f.severity]}{f.severity}{RESET} "
                   f"{DIM}{f.rule}{RESET} {message}\n")
        else:
            yield f"{shown_path}:{f.line}:{f.column}: {f.severity} {f.rule} {message}\n"
        if show_fixes and f.fix_region is not None:
            yield f"    fix: {visible(_describe(f))}\n"
    if report.summary:
        yield summary(len(report.findings), len({f.path for f in report.findings}),
                      len(report.files), fixable) + "\n"


def _describe(finding) -> str:
    from ..core.fixhints import describe

    return describe(finding)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def summary(problems: int, files_with_problems: int, files_checked: int, fixable: int = 0) -> str:
    """`3 problems in 2 of 10 files (1 fixable with --fix)`: the last number is always the
    files checked; "k of" says how many have a problem when not all of them do."""
    if not problems:
        return f"no problems in {_count(files_checked, 'file')}"
    where = _count(files_checked, "file")
    if files_with_problems != files_checked:
        where = f"{files_with_problems} of {where}"
    sentence = f"{_count(problems, 'problem')} in {where}"
    if fixable:
        sentence += f" ({fixable} fixable with --fix)"
    return sentence
