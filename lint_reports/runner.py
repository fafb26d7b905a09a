"""Files -> Documents -> Findings, for a whole run."""
from __future__ import annotations

from dataclasses import dataclass, field

from .document import DecodeError, Document
from .walk import collect


@dataclass
class Outcome:
    findings: list = field(default_factory=list)
    files: list = field(default_factory=list)  # display paths linted
    errors: list = field(default_factory=list)  # one line each; make the exit status 2
    warnings: list = field(default_factory=list)  # one line each; exit status unaffected
    documents: dict = field(default_factory=dict)


def lint_file(linter, target, keep_document: bool = False):
    """(findings, document or None, error or None, warning or None) for one file."""
    try:
        data = target.path.read_bytes()
    except OSError as exc:
        return [], None, f"{target.display}: cannot read: {exc.strerror or exc}", None
    try:
        doc = Document.from_bytes(target.display, data)
    except DecodeError as exc:
        return [], None, None, f"{target.display}: skipped, {exc}"
    findings = linter.lint(doc, target.rel)
    return findings, (doc if keep_document else None), None, None


def lint_paths(linter, paths, config, keep_documents: bool = False) -> Outcome:
    outcome = Outcome()
    targets, walk_errors = collect(paths, config)
    outcome.errors += [f"{e.display}: {e.message}" for e in walk_errors]
    for target in targets:
        findings, doc, error, warning = lint_file(linter, target, keep_documents)
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
