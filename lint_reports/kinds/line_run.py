"""Kind `line_run`: short lines that are page furniture together, one word or label a line.

A page's toolbar, breadcrumb and label table come out of a copy as a run of short lines —
`下载` / `打印` / `收藏` / `【字号：` / `加大` / `】`, or `首页` / `>` / `栏目` / `>` / `正文`, or
`索引号：` / `000014349/2017-00012` / `发布机构：` / `国务院办公厅`. Some of those lines are
furniture wherever they stand (`打印本页`, `【字号：`, `索引号：`); others only beside them
(`加大`, `】`, `时间：2026-02-11`, a column name between two `>`): alone in a report, `大` or
`来源：县财政` is the author's. This kind finds the runs and reports every line of those that
hold a line that is furniture by itself, or enough lines that could be.

Each line is judged on its text without leading blanks, list bullets and `<U+00A0>`-style
escapes, and only if it is short. Blank lines do not break a run; any other line does.

Parameters:
  sure         regexes; a line matching one in full is furniture by itself
  maybe        regexes; such lines are furniture in a run that holds a `sure` line or at
               least `min_maybe` of them
  joins        regexes; such lines belong to a run the others make, but never make one
  value_after  regexes; a line matching one in full is a label whose value may sit on the
               next line: that line (short, not a sentence) then `joins` the run
  between      regex; a short line (no sentence) whose neighbours both match it in full — a
               column name between two breadcrumb arrows — `joins` the run
  min_maybe    `maybe` lines that make a run without a `sure` one (default 2)
  max_length   longest line, in characters, that can be furniture (default 80)

Failing example (rule artifact-page-widgets):

    下载
    打印
    【字号：
    加大
    】

Passing example (a lone `加大`, and `下载` inside a sentence):

    加大
    各单位要及时下载学习强国APP开展学习。
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .pattern import lines_edits
from ..speed.lazyre import lazy_compile

KIND = "line_run"


class LineRunState(NamedTuple):
    levels: list  # [(SURE | MAYBE | JOINS, compiled regex)]
    value_after: object
    between: object
    min_maybe: int
    max_length: int
PARAMS = {"sure": list, "maybe": list, "joins": list, "value_after": list, "between": str,
          "min_maybe": int, "max_length": int}
REQUIRED = (("sure", "maybe"),)

SURE, MAYBE, JOINS = 2, 1, 0
# What a copied line may carry before its text: blanks, list bullets, literal non-breaking
# space escapes (reported by their own rule) — none of it says what the line is.
_LEAD = lazy_compile(r"^(?:[\s\u00a0\u3000]|<U\+[0-9A-Fa-f]{4}>|&nbsp;|\\u00a0|[•·●◆■□▪◇○◎※]\s*)+")
_SENTENCE = lazy_compile(r"[。！？；]")
_SENTENCE_END = frozenset("。！？；")
_LEAD_FIRST = frozenset(" \t\u00a0\u3000<&\\•·●◆■□▪◇○◎※")
_ESCAPE = lazy_compile(r"<U\+[0-9A-Fa-f]{4}>|&nbsp;|\\u00a0")
_SPACED = lazy_compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")
VALUE_LENGTH = 40


def _compile_list(rule, key: str):
    sources = rule.params.get(key, [])
    if not all(isinstance(s, str) for s in sources):
        raise ValueError(f"'{key}' must be a list of strings")
    if not sources:
        return None
    try:
        return re.compile("|".join(f"(?:{s})" for s in sources))
    except re.error as exc:
        raise ValueError(f"bad regular expression in '{key}': {exc}") from None


def prepare(rule, data) -> None:
    sure = _compile_list(rule, "sure")
    maybe = _compile_list(rule, "maybe")
    joins = _compile_list(rule, "joins")
    value_after = _compile_list(rule, "value_after")
    between = None
    if rule.params.get("between"):
        try:
            between = re.compile(rule.params["between"])
        except re.error as exc:
            raise ValueError(f"bad regular expression in 'between': {exc}") from None
    min_maybe = rule.params.get("min_maybe", 2)
    max_length = rule.params.get("max_length", 80)
    if min_maybe < 1 or max_length < 1:
        raise ValueError("'min_maybe' and 'max_length' must be 1 or more")
    if rule.fix not in (None, "delete-line"):
        raise ValueError("'fix' must be 'delete-line'")
    levels = [(SURE, sure), (MAYBE, maybe), (JOINS, joins)]
    rule.state = LineRunState([(level, regex) for level, regex in levels if regex is not None],
                              value_after, between, min_maybe, max_length)


def _level(text: str, levels) -> "int | None":
    for level, regex in levels:
        if regex.fullmatch(text):
            return level
    return None


def check(ctx, rule):
    doc = ctx.doc
    levels, value_after, between, min_maybe, max_length = rule.state
    longest = 4 * max_length  # (what a lead of escapes and bullets may add)
    # The short non-blank lines, as (0-based index, text as judged, level or None); a line that
    # cannot be furniture leaves one breaking row however many follow it.
    rows = []
    broken = True
    after_label = False
    for index, line in enumerate(doc.prose_lines):  # (iterated: indexing cuts every line)
        if not line:
            continue
        if len(line) > longest or line[-1] in _SENTENCE_END:  # most of a report's lines: a
            if not broken:                                    # paragraph or a sentence
                rows.append((index, "", None))
                broken = True
            after_label = False
            continue
        if line.isspace():
            continue
        text = (_LEAD.sub("", line, count=1) if line[0] in _LEAD_FIRST else line).rstrip()
        if not text:  # nothing but escapes (furniture by itself) or a list bullet (beside others)
            level = SURE if _ESCAPE.search(line) else MAYBE
            text = line.strip()
        elif len(text) > max_length or text[-1] in _SENTENCE_END:
            level = None  # too long, or a sentence: the author's (most of a report's short lines)
        else:
            level = _level(text, levels)
            if level is None and (" " in text or "\u3000" in text) and _SPACED.search(text):
                level = _level(_SPACED.sub("", text), levels)  # 返 回, 首  页: spaced out to fill a cell
            if level is None and after_label and len(text) <= VALUE_LENGTH and not _SENTENCE.search(text):
                level = JOINS  # the value of the label on the line before
        after_label = level is not None and value_after is not None and bool(value_after.fullmatch(text))
        rows.append((index, text, level))
        broken = level is None
    if between is not None:
        for position in range(1, len(rows) - 1):
            index, text, level = rows[position]
            if (level is None and text and len(text) <= VALUE_LENGTH // 2 and not _SENTENCE.search(text)
                    and between.fullmatch(rows[position - 1][1]) and between.fullmatch(rows[position + 1][1])):
                rows[position] = (index, text, JOINS)
    run: list = []
    for index, _, level in rows + [(-1, "", None)]:
        if level is not None:
            run.append((index, level))
            continue
        if run:
            kinds = [member_level for _, member_level in run]
            if SURE in kinds or kinds.count(MAYBE) >= min_maybe:
                yield from _report(doc, rule, [member for member, _ in run])
            run = []


def _report(doc, rule, indexes):
    numbers = [index + 1 for index in indexes]
    edits = lines_edits(doc, numbers) if rule.fix == "delete-line" else [None] * len(numbers)
    for number, fix in zip(numbers, edits):
        begin, end = doc.line_span(number)
        line = doc.text[begin:end]
        lead = len(line) - len(line.lstrip())
        yield rule.finding(doc, begin + lead, max(end, begin + lead + 1), fix=fix)
