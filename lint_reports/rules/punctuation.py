"""Kind `punctuation`: punctuation damage in Chinese text.

Checks (the rule's `check` parameter):

  halfwidth        half-width , ; : ? ! ( ) inside Chinese text. `mode` says which:
                   `minority` (default) reports each half-width mark in a document part
                   that otherwise uses full-width ones (slips and pasted fragments);
                   `dominant` reports ONCE per document part that uses half-width marks
                   throughout (a whole-document style: one finding, not hundreds);
                   `all` reports every one (for `--select … --fix`).
  unbalanced       “” ‘’ （） 《》 【】 not closed (or not opened) within a paragraph
  doubled          。。 ，， 、、 ；； and mixed pairs such as ，。
  space            stray spaces between Chinese characters (进一 步), not in titles,
                   headings, dates or slots where a number is missing
  trailing-space   spaces at the end of a line
  ideographic-space  ideographic spaces (U+3000) used as indentation in mid-line

Failing example (rule punctuation-doubled):

    学习型党组织建设取得明显成效。。

Passing example:

    学习型党组织建设取得明显成效。
"""
from __future__ import annotations

import bisect
import re
import weakref

from ..finding import Edit
from ..structure import is_title_like, parse_heading

KIND = "punctuation"
PARAMS = {"check": str, "mode": str, "min_count": int}
REQUIRED = ("check",)
CHECKS = ("halfwidth", "unbalanced", "doubled", "space", "trailing-space", "ideographic-space")

HAN = "\u3400-\u9fff"
FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_FULL_MARKS = re.compile("[，；：？！（）]")
# Not Chinese prose: URLs, e-mail addresses, HTML comments and tags (left in plain text too).
_NOT_PROSE = re.compile(r"(?:https?|ftp)://\S*|www\.\S+|[A-Za-z0-9._+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.]+"
                        r"|<!--.*?(?:-->|$)|</?[A-Za-z][^<>\n]*>", re.M)
_LATIN = re.compile(r"[A-Za-z]")  # letters of a Latin-script language
_HAN_RUN = re.compile(rf"[{HAN}]")
_LINE_ORDINAL = re.compile(r"^\s*\(\s*(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*\)")
_PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "【": "】", "(": ")"}
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}
_SAME_CLASS = {"(": "（", ")": "）"}
# Two or more of 。，、；： in a row (。。 ，， ，。 、，). One class, so the regex engine
# skips ahead to a candidate instead of trying an alternation at every character.
_DOUBLED = re.compile(r"[。，、；：]{2,}")
_STRAY_SPACE = re.compile(rf"(?<=[{HAN}]) +(?=[{HAN}])")
# A blank before a classifier is a number that was never filled in (全镇 个村): a placeholder.
_CLASSIFIER_AFTER = set("个余亿万千百亩栋名人次元户家所项件条场期篇本")
_DATE_PREFIX = re.compile(r"^\s*(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日$")


def prepare(rule, data) -> None:
    check = rule.params["check"]
    if check not in CHECKS:
        raise ValueError(f"'check' must be one of {', '.join(CHECKS)}")
    mode = rule.params.get("mode", "minority")
    if mode not in ("minority", "dominant", "all"):
        raise ValueError("'mode' must be minority, dominant or all")
    rule.state = {"check": check, "mode": mode, "min_count": rule.params.get("min_count", 5)}


def check(doc, rule):
    yield from _CHECKS[rule.state["check"]](doc, rule)


_MARKS_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _halfwidth_marks(doc) -> "_HalfwidthMarks":
    """The half-width marks in Chinese text, outside URLs and ordinals, by line. Computed
    once per document: three rules read it."""
    cached = _MARKS_CACHE.get(doc)
    if cached is None:
        cached = _MARKS_CACHE[doc] = _HalfwidthMarks(doc)
    return cached


_CN = HAN + "“”《》（）、。"
# A half-width mark in Chinese text, decided by the regex engine rather than per mark in
# Python: , ; : ? ! with Chinese (or a Chinese mark) within three characters on either side
# and not between two ASCII letters/digits (1,000 / 10:30 / a,b); ( or ) next to a Chinese
# character. The trailing blanks are taken too: ", " becomes "，". A match never crosses a
# line end, so a line can be searched on its own (its lookbehinds still see the text before).
_HALF_IN_CHINESE = re.compile(
    r"[,;:?!()](?:"
    rf"(?<=[,;:?!])(?:(?<=[{_CN}].)|(?<=[{_CN}]..)|(?<=[{_CN}]...)|(?=[^\n]{{0,2}}[{_CN}]))"
    r"(?!(?:(?<=[A-Za-z0-9].)|(?<=[A-Za-z0-9] .)) ?[A-Za-z0-9])[ \t]*"
    rf"|(?<=[()])(?:(?<=[{HAN}].)|(?<=[{HAN}] .)|(?= ?[{HAN}])))")
_ANY_HALF = re.compile("[,;:?!()]")
_NOT_PROSE_MARKER = re.compile(r"://|www\.|[@<]")  # one of them is in every _NOT_PROSE match


class _HalfwidthMarks:
    """The marks of each line that holds some, kept as (first offset searched, line end,
    count, skipped spans) and searched again only where a rule reports them one by one:
    a document written with half-width marks throughout holds hundreds of thousands, and
    the rules mostly need only how many a part holds (was: a tuple per mark, a Python step
    per mark)."""

    def __init__(self, doc):
        self.text = text = doc.prose
        self.lines = []  # (search from, line end, count, skipped spans or ()), in text order
        findall = _HALF_IN_CHINESE.findall
        for base, line in zip(doc.line_starts, doc.prose_lines):
            if not _ANY_HALF.search(line) or _english(line):  # (an English line's marks are right)
                continue
            origin, end = base, base + len(line)
            ordinal = _LINE_ORDINAL.match(line)
            if ordinal:  # (一) / (1) at the start of a line (its marks: numbering's business)
                origin = base + min(6, ordinal.end())
            skipped = ()
            if _NOT_PROSE_MARKER.search(line):
                skipped = tuple(m.span() for m in _NOT_PROSE.finditer(text, base, end))
            if skipped:
                count = sum(1 for m in _HALF_IN_CHINESE.finditer(text, origin, end) if not _inside(m.start(), skipped))
            else:
                count = len(findall(text, origin, end))
            if count:
                self.lines.append((origin, end, count, skipped))
        self.origins = [entry[0] for entry in self.lines]
        self._full: dict = {}

    def full_marks(self, lo: int, hi: int) -> int:
        """How many full-width ，；：？！（） text[lo:hi + 1] holds (each halfwidth rule asks)."""
        if (lo, hi) not in self._full:
            self._full[lo, hi] = len(_FULL_MARKS.findall(self.text, lo, hi + 1))
        return self._full[lo, hi]

    def in_range(self, lo: int, hi: int) -> list:
        """The entries of the lines with marks that start in [lo, hi]."""
        return self.lines[bisect.bisect_left(self.origins, lo):bisect.bisect_right(self.origins, hi)]

    def marks(self, entries):
        """(start, end, mark) of each mark of `entries`; end takes the blanks after , ; : ? !
        unless they end the line."""
        text = self.text
        for origin, line_end, _, skipped in entries:
            for m in _HALF_IN_CHINESE.finditer(text, origin, line_end):
                start = m.start()
                if skipped and _inside(start, skipped):
                    continue
                mark = text[start]
                end = m.end() if mark not in "()" and m.end() < line_end else start + 1
                yield start, end, mark


def _english(line: str) -> bool:
    """Mostly English (more Latin letters than Chinese characters)?"""
    latin = len(_LATIN.findall(line))
    return latin > 0 and latin > len(_HAN_RUN.findall(line))


def _inside(offset: int, spans) -> bool:
    return any(start <= offset < end for start, end in spans)


def _halfwidth(doc, rule):
    mode = rule.state["mode"]
    found = _halfwidth_marks(doc)
    if not found.lines:
        return
    for part in doc.structure.parts:
        lo, hi = doc.line_starts[part.start_line - 1], doc.line_span(part.end_line)[1]
        entries = found.in_range(lo, hi)
        if not entries:
            continue
        count = sum(entry[2] for entry in entries)
        full = found.full_marks(lo, hi)
        dominant = count >= full and count >= rule.state["min_count"]
        if mode == "dominant":
            if dominant:
                first = next(found.marks(entries[:1]))
                line = doc.position(first[0])[0]
                yield rule.finding(doc, first[0], first[0] + 1, message=rule.message
                                   .replace("{count}", str(count)).replace("{full}", str(full))
                                   .replace("{line}", str(line)))
            continue
        if mode == "minority" and dominant:
            continue
        for start, end, mark in found.marks(entries):
            yield rule.finding(doc, start, start + 1, fix=Edit(start, end, FULL[mark]),
                               message=rule.message.replace("{mark}", mark).replace("{full}", FULL[mark]),
                               suggestion=FULL[mark])


_BRACKETS = re.compile("[“”‘’（）《》【】()]")


def _paragraph_spans(doc):
    """(start, end) of each paragraph: a line in plain text, a block of lines in Markdown."""
    if doc.markup != "markdown":
        return [(start, start + len(line)) for start, line in zip(doc.line_starts, doc.prose_lines)]
    return [m.span() for m in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", doc.prose)]


# A bracket sequence of side-by-side pairs (“”《》（）…): nothing to report. Most lines that
# hold brackets are this, and are then passed without a Python step per bracket.
_FLAT_PAIRS = re.compile("(?:“”|‘’|[（(][）)]|《》|【】)*")


def _unbalanced(doc, rule):
    text = doc.prose
    if not _BRACKETS.search(text):
        return
    if doc.markup == "markdown":
        spans = _paragraph_spans(doc)
    else:  # the lines
        spans = ((start, start + len(line)) for start, line in zip(doc.line_starts, doc.prose_lines))
    for base, end in spans:
        sequence = "".join(_BRACKETS.findall(text, base, end))
        if not sequence or _FLAT_PAIRS.fullmatch(sequence) or text[base:end].isascii():
            continue
        marks = [(m.start(), m.group(0)) for m in _BRACKETS.finditer(text, base, end)]
        stack = []
        problems = []
        for offset, char in marks:
            if char in _PAIRS:
                if char in "“‘" and stack and stack[-1][1] == char:
                    problems.append(stack.pop())  # “…“ : the first one was never closed
                stack.append((offset, char))
            else:
                wanted = {_CLOSERS[char], _SAME_CLASS.get(_CLOSERS[char], _CLOSERS[char])}
                if char in "）)":
                    wanted |= {"(", "（"}
                position = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][1] in wanted), None)
                if position is None:
                    problems.append((offset, char))
                else:
                    problems.extend(stack[position + 1:])
                    del stack[position:]
        problems.extend(stack)
        for offset, char in sorted(problems):
            partner = _PAIRS.get(char) or _CLOSERS.get(char)
            what = "没有对应的" + ("后半" if char in _PAIRS else "前半")
            yield rule.finding(doc, offset, offset + 1,
                               message=f"“{char}”{what}“{partner}”：引号、括号、书名号应在同一段内成对出现，请补全或删去。")


def _doubled(doc, rule):
    for m in _DOUBLED.finditer(doc.prose):
        text = m.group(0)
        fix = Edit(m.start() + 1, m.end(), "") if len(set(text)) == 1 else None
        yield rule.finding(doc, m.start(), m.end(), fix=fix,
                           message=rule.message.replace("{match}", text))


def _prose_line(line: str) -> bool:
    stripped = line.strip(" \t\u3000")
    return bool(stripped) and not is_title_like(stripped) and bool(re.search("[，。；,]", stripped))


def _space(doc, rule):
    markdown = doc.markup == "markdown"
    for index, line in enumerate(doc.prose_lines):
        if " " not in line or not _prose_line(line):
            continue
        heading = parse_heading(line, index + 1, markdown)
        base = doc.line_starts[index]
        for m in _STRAY_SPACE.finditer(line):
            if line[m.end()] in _CLASSIFIER_AFTER:
                continue  # 全镇 个村: a missing number, not a stray space
            if _DATE_PREFIX.match(line[:m.start()]):
                continue  # 4月18日 制定了…: a dated log entry
            if heading is not None and heading.run_in and m.start() <= heading.column + len(heading.marker) + len(heading.text) + 1:
                continue  # 一、加强组织领导 镇党委…: heading and text run together
            yield rule.finding(doc, base + m.start(), base + m.end(),
                               fix=Edit(base + m.start(), base + m.end(), ""),
                               message=rule.message.replace("{before}", line[max(0, m.start() - 3):m.start()])
                               .replace("{after}", line[m.end():m.end() + 3]))


def _trailing_space(doc, rule):
    if doc.markup == "markdown":
        return  # two trailing spaces are a Markdown line break
    for index, line in enumerate(doc.prose_lines):
        stripped = line.rstrip(" \t\u3000")
        if stripped and len(stripped) < len(line):
            start = doc.line_starts[index] + len(stripped)
            end = doc.line_starts[index] + len(line)
            yield rule.finding(doc, start, end, fix=Edit(start, end, ""))


def _ideographic_space(doc, rule):
    for index, line in enumerate(doc.prose_lines):
        if "\u3000" not in line or not _prose_line(line):
            continue
        base = doc.line_starts[index]
        for m in re.finditer(r"(?<=\S)\u3000+(?=\S)", line):
            yield rule.finding(doc, base + m.start(), base + m.end(),
                               fix=Edit(base + m.start(), base + m.end(), ""))


_CHECKS = {
    "halfwidth": _halfwidth, "unbalanced": _unbalanced, "doubled": _doubled, "space": _space,
    "trailing-space": _trailing_space, "ideographic-space": _ideographic_space,
}
