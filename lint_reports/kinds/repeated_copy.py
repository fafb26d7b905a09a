"""Kind `repeated_copy`: a stretch of the text that repeats, line for line, what came before.

Pages built of nested tables hand a scraper their body two, three, six times over; a clerk
who pastes twice does the same. Each line of such a copy is one the text already had, and
they come in a row. This kind reports a row of repeated lines that carries enough text to be
more than a repeated heading or salutation (`各位代表！` comes back a dozen times in a real
report, a paragraph does not) as one finding from its first line to its last (JSON's
`end_line`). The first occurrence is kept: it is the text; each copy is reported once and
`--fix` deletes it whole.

Lines are compared without their leading and trailing blanks; blank lines do not break a
row, a line not seen before does.

Parameters:
  min_chars  text a row must repeat, in characters of its lines of at least `min_line`
             characters, to be reported (default 200)
  min_line   shortest line counted towards `min_chars` (default 20)

The message may name the first line the copy repeats, `{line}`, and the copy's last line,
`{last}` (the finding stands on its first).

Failing example (rule artifact-repeated-body), with a paragraph of 200 characters or more:

    一、2025年工作回顾
    过去一年……（the paragraph）
    一、2025年工作回顾
    过去一年……（the same paragraph again）

Passing example (the salutation and a short line come back, no paragraph does):

    各位代表！
    过去一年……
    各位代表！
    今后五年……
"""
from __future__ import annotations

from typing import NamedTuple

from ..core.finding import Edit
from .pattern import lines_edits

KIND = "repeated_copy"


class RepeatedCopyState(NamedTuple):
    min_chars: int
    min_line: int
PARAMS = {"min_chars": int, "min_line": int}
REQUIRED = ()


def prepare(rule, data) -> None:
    min_chars = rule.params.get("min_chars", 200)
    min_line = rule.params.get("min_line", 20)
    if min_chars < 1 or min_line < 1:
        raise ValueError("'min_chars' and 'min_line' must be 1 or more")
    if rule.fix not in (None, "delete-line"):
        raise ValueError("'fix' must be 'delete-line'")
    rule.state = RepeatedCopyState(min_chars, min_line)


def check(ctx, rule):
    doc = ctx.doc
    min_chars, min_line = rule.state
    first_seen: dict = {}
    seen = first_seen.setdefault
    run: list = []  # (0-based index, index of the first occurrence)
    weight = 0
    for index, key in enumerate(map(str.strip, doc.prose_lines)):  # (iterated: indexing cuts every line)
        if not key:
            continue
        first = seen(key, index)
        if first != index:
            run.append((index, first))
            if len(key) >= min_line:
                weight += len(key)
            continue
        if weight >= min_chars:
            yield from _report(doc, rule, run)
        run, weight = [], 0
    if weight >= min_chars:
        yield from _report(doc, rule, run)


def _report(doc, rule, run):
    """One finding for a row of repeated lines, from its first line to its last: one
    defect, one finding, one fix (a page repeated three times is one finding over its second
    and third copies, not hundreds)."""
    numbers = [index + 1 for index, _ in run]
    first_line, last_line = numbers[0], numbers[-1]
    begin, end = doc.line_span(first_line)
    line = doc.text[begin:end]
    lead = len(line) - len(line.lstrip())
    copy_end = doc.line_span(last_line)[1]
    fix = _one_edit(doc, lines_edits(doc, numbers)) if rule.fix == "delete-line" else None
    message = rule.message.replace("{line}", str(run[0][1] + 1)).replace("{last}", str(last_line))
    yield rule.finding(doc, begin + lead, max(copy_end, begin + lead + 1), message=message, fix=fix,
                       whole_lines=True)


def _one_edit(doc, edits) -> Edit:
    """The line deletions of one row as one edit: what lies between two of them (nothing,
    as they reach each other across the blank lines) is kept as it is."""
    edits = sorted(edits, key=lambda edit: edit.start)
    pieces, position = [], edits[0].start
    for edit in edits:
        pieces.append(doc.text[position:edit.start] + edit.replacement)
        position = edit.end
    return Edit(edits[0].start, edits[-1].end, "".join(pieces))
