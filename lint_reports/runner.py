"""Files -> Documents -> Findings, for a whole run."""
from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .document import DecodeError, Document
from .walk import STDIN, Target, _display, _rel, collect

# A report is a few hundred KB at most; a bigger "text" file is a log or a dump. The cap
# also keeps an explicitly named device (/dev/zero) from filling the memory.
MAX_BYTES = 64 * 1024 * 1024


@dataclass
class Outcome:
    findings: list = field(default_factory=list)
    files: list = field(default_factory=list)  # display paths linted
    errors: list = field(default_factory=list)  # one line each; make the exit status 2
    warnings: list = field(default_factory=list)  # one line each; exit status unaffected
    documents: dict = field(default_factory=dict)


class Skip(Exception):
    """A file that is not a report (binary, too large): one warning, exit status unaffected."""


def read_capped(stream, what: str) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Skip(f"{what}: skipped, larger than {MAX_BYTES // (1024 * 1024)} MB")
    return data


def _read(target) -> bytes:
    with open(target.path, "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES:
            raise Skip(f"{target.display}: skipped, larger than {MAX_BYTES // (1024 * 1024)} MB")
        return read_capped(handle, target.display)


def lint_file(linter, target, keep_document: bool = False, data: Optional[bytes] = None):
    """(findings, document or None, error or None, warning or None) for one file.
    `data`: the bytes, when they do not come from target.path (standard input)."""
    try:
        if data is None:
            data = _read(target)
    except Skip as exc:
        return [], None, None, str(exc)
    except OSError as exc:
        return [], None, f"{target.display}: cannot read: {exc.strerror or exc}", None
    try:
        doc = Document.from_bytes(target.display, data)
    except DecodeError as exc:
        return [], None, None, f"{target.display}: skipped, {exc}"
    findings = linter.lint(doc, target.rel)
    return findings, (doc if keep_document else None), None, None


def stdin_target(config, stdin_filename: Optional[str]) -> Optional[Target]:
    """The Target standing for standard input: reported as `stdin_filename` (which also picks
    the per-file config and .md/.txt), or `<stdin>`. None if the config excludes that name."""
    if not stdin_filename:
        return Target(Path(STDIN), "<stdin>", "<stdin>", stdin=True)
    path = Path(stdin_filename)
    rel = _rel(path, config.base_dir)
    if any(config.matches(p, rel) for p in config.exclude):
        return None
    return Target(path, _display(path), rel, stdin=True)


def lint_paths(linter, paths, config, keep_documents: bool = False, *,
               stdin_filename: Optional[str] = None, stdin=None) -> Outcome:
    outcome = Outcome()
    targets, walk_errors = collect(paths, config)
    outcome.errors += [f"{e.display}: {e.message}" for e in walk_errors if e.fatal]
    outcome.warnings += [f"{e.display}: {e.message}" for e in walk_errors if not e.fatal]
    jobs = [(target, None) for target in targets]
    if STDIN in paths:
        target = stdin_target(config, stdin_filename)
        if target is not None:
            stream = stdin if stdin is not None else sys.stdin.buffer
            try:
                jobs.insert(0, (target, read_capped(stream, target.display)))
            except Skip as exc:
                outcome.warnings.append(str(exc))
    for target, data in jobs:
        findings, doc, error, warning = lint_file(linter, target, keep_documents, data)
        guard = getattr(linter, "guard", None)
        if guard is not None:
            rule_warnings, rule_errors = guard.take()
            outcome.warnings += rule_warnings
            outcome.errors += rule_errors
        if error:
            outcome.errors.append(error)
            continue
        if warning:
            outcome.warnings.append(warning)
            continue
        outcome.files.append(target.display)
        outcome.findings.extend(findings)
        if doc is not None:
            outcome.documents[target.display] = doc
    return outcome
