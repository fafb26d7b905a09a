"""Re-lint after an edit without re-scanning the lines the edit did not touch.

A keystroke changes a line or two; scanning a 3,000-line report with every regular
expression again costs far more than the edit is worth. For a `pattern` rule whose
expressions can neither match nor look at a newline (checked on the parsed expression, see
`line_local`), the findings of a line depend on that line alone (its text, its prose, and
the Markdown emphasis on it), so:

- the lines before the edit keep their previous findings as they are;
- the lines after it keep theirs, moved by the edit's change in length and line count;
- only the changed lines (and one line either side, for "is this the last line" fixes)
  are scanned again, on the new Document.

Every other rule (other kinds, or patterns that can cross a line) runs in full, and the
engine's own steps (severity, allow list, nesting, suppression, order) run as always, so
the result is exactly what a fresh lint gives (tests/test_lsp_units.py checks this on
random edits of the seeds).
"""
from __future__ import annotations

import copy
import re
from typing import Optional

try:  # Python >= 3.11
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.9/3.10
    import sre_constants
    import sre_parse

from ..speed import prefilter
from ..core.engine import Linter
from ..core.finding import Edit
from ..kinds import kind_module


def _subpatterns(value):
    """The parse trees nested in one node's argument (groups, branches, repeats, asserts)."""
    if isinstance(value, sre_parse.SubPattern):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _subpatterns(item)


def _lookbehinds_stay_on_line(parsed, flags: int) -> bool:
    """False if a lookbehind could see past the newline before the line.

    A lookbehind is the only part of a pattern rule's expression that can look outside
    the line searched (the search ends at the line end, so matches and lookaheads stop
    there; `\\A` and `^` without re.M match only at the text's real start). One that is a
    single character wide sees only that newline, whatever the line before holds; one that
    cannot match a newline (the prefilter's test) fails wherever it would reach across it."""
    for op, value in parsed:
        if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT) and value[0] < 0:
            if value[1].getwidth()[1] > 1 and prefilter.may_match_newline(value[1], flags):
                return False
        if not all(_lookbehinds_stay_on_line(sub, flags) for sub in _subpatterns(value)):
            return False
    return True


def searched_per_line_is_local(regex) -> bool:
    """True if, searched line by line as the `pattern` kind searches (rules/pattern.py:
    each line on its own, or runs of lines for an expression that cannot match or see a
    newline), the matches on a line depend on that line alone."""
    try:
        return _lookbehinds_stay_on_line(sre_parse.parse(regex.pattern, regex.flags), regex.flags)
    except (re.error, TypeError, ValueError):
        return False


_LINE_LOCAL: dict = {}  # id(rule) -> (rule, whether it is line-local): asked at every keystroke


def line_local(rule) -> bool:
    """True if `rule`'s findings on a line depend on that line only."""
    if rule.kind != "pattern" or not hasattr(kind_module("pattern"), "check_range"):
        return False
    known = _LINE_LOCAL.get(id(rule))
    if known is None or known[0] is not rule:  # (the rule kept: an id is reused only once it is gone)
        regexes = rule.state.regexes if rule.state is not None else []
        known = _LINE_LOCAL[id(rule)] = (rule, bool(regexes) and all(searched_per_line_is_local(r) for r in regexes))
    return known[1]


def _line_keys(doc) -> list:
    return list(zip(doc.lines, doc.prose_lines))


def _copy(finding, delta_offset: int = 0, delta_line: int = 0, path: Optional[str] = None):
    """A copy (the engine sets severity and anchors on the findings it returns), moved by an
    edit before it. A shallow copy of the instance dict: dataclasses.replace costs ~10x as
    much per finding, copy.copy ~3x."""
    moved = object.__new__(type(finding))
    moved.__dict__.update(finding.__dict__)
    if delta_offset or delta_line:
        moved.line += delta_line
        if moved.end_line:
            moved.end_line += delta_line
        moved.start += delta_offset
        moved.end += delta_offset
        if finding.fix is not None:
            moved.fix = Edit(finding.fix.start + delta_offset, finding.fix.end + delta_offset, finding.fix.replacement)
    if path is not None:
        moved.path = path
    return moved


def _stretch(finding, begin: int, delta: int, path: str, delta_line: int = 0):
    """A finding starting before an edit and spanning it (a part's punctuation style, a
    repeated copy of the body): same start, its end moved with the text; its fix, which may
    touch the edited text, dropped (code actions always use the exact lint)."""
    moved = _copy(finding, path=path)
    moved.end = max(finding.start, finding.end + delta)
    if finding.end_line:
        moved.end_line = max(finding.line, finding.end_line + delta_line)
    if finding.fix is not None and finding.fix.end > begin:
        moved.fix = None
    return moved


def _reanchor(finding, doc):
    """A whole-document finding on an edited line, put back on that line as it is now (it
    spans the line: see Rule.document_finding)."""
    moved = copy.copy(finding)
    moved.line = min(finding.line, len(doc.lines))
    moved.start = doc.line_starts[moved.line - 1]
    width = max(1, len(doc.lines[moved.line - 1]))
    moved.end, moved.column, moved.end_column = moved.start + width, 1, 1 + width
    moved.path = doc.path
    return moved


class IncrementalLinter(Linter):
    """A Linter that remembers, per file, the last Document and each rule's findings, and
    re-scans only what an edit changed.

    `lint(doc, rel)` is exact: line-local rules re-scan the edited lines, every other rule
    runs in full. `lint(doc, rel, quick=True)` is what the server publishes at once on a
    keystroke: line-local rules as above, but the whole-document rules (era, sections,
    numbering, punctuation style, repetition, line breaks, charset census...) are not run —
    their previous findings outside the edited lines are kept, moved by the edit. The result
    says so (`last_was_provisional`); the server follows it with an exact lint after the
    debounce."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._memory: dict = {}  # rel path -> (line keys, markup, {rule id: [findings]})
        self._current: Optional[tuple] = None  # (window, previous memory or None, new rule results, quick)
        self.last_was_provisional = False

    def lint(self, doc, rel_path: Optional[str] = None, quick: bool = False) -> list:
        rel = rel_path or doc.path
        previous = self._memory.get(rel)
        if previous is not None and previous[1] != doc.markup:
            previous = None
        window, keys = None, _line_keys(doc)
        if previous is not None:
            window = self._changed_window(previous[0], keys, doc)
        self._current = (window, previous, {}, quick, [False])
        try:
            findings = super().lint(doc, rel_path)
        finally:
            window, previous, results, quick, reused = self._current
            self._current = None
        self._memory[rel] = (keys, doc.markup, results)
        self.last_was_provisional = reused[0]
        return findings

    def forget(self, rel_path: str) -> None:
        self._memory.pop(rel_path, None)

    @staticmethod
    def _changed_window(old_keys: list, new_keys: list, doc):
        """(first, old_last, new_last, delta_offset): 1-based line ranges around the edit, one
        line of margin either side, and how far the text after it moved."""
        prefix = 0
        limit = min(len(old_keys), len(new_keys))
        while prefix < limit and old_keys[prefix] == new_keys[prefix]:
            prefix += 1
        suffix = 0
        while suffix < limit - prefix and old_keys[-1 - suffix] == new_keys[-1 - suffix]:
            suffix += 1
        first = max(1, prefix)  # 1-based: the last unchanged line before the edit is re-scanned too
        old_last = min(len(old_keys), len(old_keys) - suffix + 1)
        new_last = min(len(new_keys), len(new_keys) - suffix + 1)
        old_length_to_last = sum(len(text) + 1 for text, _ in old_keys[:old_last])
        new_length_to_last = sum(len(text) + 1 for text, _ in new_keys[:new_last])
        return first, old_last, new_last, new_length_to_last - old_length_to_last

    def check_rule(self, ctx, rule):
        doc = ctx.doc
        window, previous, results, quick, reused = self._current or (None, None, {}, False, [False])
        old = previous[2].get(rule.id) if previous is not None else None
        local = line_local(rule)
        if window is None or old is None or not (local or quick):
            found = list(super().check_rule(ctx, rule))
        else:
            first, old_last, new_last, delta = window
            begin = doc.line_starts[first - 1]
            found = [f for f in old if f.line < first and (f.end <= begin or f.whole_document)]
            if local:
                end = doc.line_starts[new_last] if new_last < len(doc.line_starts) else len(doc.prose)
                found += list(kind_module("pattern").check_range(ctx, rule, begin, end))
            else:  # quick: a whole-document rule keeps what it found away from the edit
                found += [_stretch(f, begin, delta, doc.path, new_last - old_last) for f in old
                          if f.line < first and f.end > begin and not f.whole_document]
                found += [_reanchor(f, doc) for f in old if f.whole_document and first <= f.line <= old_last]
                reused[0] = True
            found += [_copy(f, delta, new_last - old_last, doc.path) for f in old if f.line > old_last]
        results[rule.id] = found
        return [_copy(f) for f in found]  # the remembered ones stay as the rule gave them
