"""Kind `punctuation`: punctuation damage in Chinese text.

Checks (the rule's `check` parameter):

  halfwidth        half-width , ; : ? ! ( ) inside Chinese text. `mode` says which:
                   `minority` (default) reports each half-width mark in a document part
                   that otherwise uses full-width ones (slips and pasted fragments);
                   `dominant` reports ONCE per document part that uses half-width marks
                   throughout (a whole-document style: one finding, not hundreds);
                   `all` reports every one (for `--select … --fix`).
  unbalanced       “” ‘’ （） 《》 【】 not closed (or not opened) within a paragraph; a pair
                   the page's line breaks cut apart (【字号： / 大 / 中 / 小 / 】, a phrase
                   without a sentence end between) is a pair, and ’99 is an apostrophe
  doubled          。。 ，， 、、 ；； and mixed pairs such as ，。
  space            stray spaces between Chinese characters (进一 步), not in titles,
                   headings, dates, slots where a number is missing, bylines
                   (新华社记者 刘卫兵 摄) or slogans of equal halves (“好客山东 好品山东”)
  trailing-space   spaces at the end of a line
  ideographic-space  ideographic spaces (U+3000) used as indentation in mid-line; after a
                   sentence end they are a paragraph run into the previous one (fix: a line
                   break), and a page whose paragraphs are mostly run together is one finding
  stray-mark       ` ' between Chinese characters and . after 的: marks 范文 sites insert
                   into their text (规定的`有关政策, 的'评议, 引发的.纠纷)

Failing example (rule punctuation-doubled):

    学习型党组织建设取得明显成效。。

Passing example:

    学习型党组织建设取得明显成效。
"""
from __future__ import annotations

import bisect
import re
import weakref
from typing import NamedTuple

from ..core.finding import Edit
from ..core.structure import is_title_like, parse_heading
from .charset import PINYIN_ANNOTATION, TONE_VOWELS, census_of, is_lost_character
from ..speed.lazyre import lazy_compile

_QUESTION_RUN = lazy_compile(r"\?+")

KIND = "punctuation"


class PunctuationState(NamedTuple):
    """What prepare keeps of a punctuation rule."""
    check: str
    mode: str  # minority, dominant or all
    min_count: int
    page_message: str


PARAMS = {"check": str, "mode": str, "min_count": int, "page_message": str}
REQUIRED = ("check",)
CHECKS = ("halfwidth", "unbalanced", "doubled", "space", "trailing-space", "ideographic-space", "stray-mark")

HAN = "\u3400-\u9fff"
FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_FULL_MARKS = lazy_compile("[，；：？！（）]")
# Not Chinese prose: URLs, e-mail addresses, HTML comments and tags (left in plain text too).
_NOT_PROSE = lazy_compile(r"(?:https?|ftp)://\S*|www\.\S+|[A-Za-z0-9._+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.]+"
                        r"|<!--.*?(?:-->|$)|</?[A-Za-z][^<>\n]*>", re.M)
_LATIN = lazy_compile(r"[A-Za-z]")  # letters of a Latin-script language
_HAN_RUN = lazy_compile(rf"[{HAN}]")
_LINE_ORDINAL = lazy_compile(r"^\s*\(\s*(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*\)")
_PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "【": "】", "(": ")"}
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}
_SAME_CLASS = {"(": "（", ")": "）"}
# Two or more of 。，、；： in a row (。。 ，， ，。 、，). One class, so the regex engine
# skips ahead to a candidate instead of trying an alternation at every character.
_DOUBLED = lazy_compile(r"[。，、；：]{2,}")
_STRAY_SPACE = lazy_compile(rf"(?<=[{HAN}]) +(?=[{HAN}])")
# A blank before a classifier is a number that was never filled in (全镇 个村): a placeholder.
_CLASSIFIER_AFTER = set("个余亿万千百亩栋名人次元户家所项件条场期篇本")
_DATE_PART_BEFORE, _DATE_PART_AFTER = frozenset("年月"), frozenset("月日号")
_DATE_PREFIX = lazy_compile(r"^\s*(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日$")


def prepare(rule, data) -> None:
    check = rule.params["check"]
    if check not in CHECKS:
        raise ValueError(f"'check' must be one of {', '.join(CHECKS)}")
    mode = rule.params.get("mode", "minority")
    if mode not in ("minority", "dominant", "all"):
        raise ValueError("'mode' must be minority, dominant or all")
    rule.state = PunctuationState(check, mode, rule.params.get("min_count", 5),
                                  rule.params.get("page_message", rule.message))


def check(ctx, rule):
    yield from _CHECKS[rule.state.check](ctx.doc, rule)


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
_HALF_IN_CHINESE = lazy_compile(
    r"[,;:?!()](?:"
    rf"(?<=[,;:?!])(?:(?<=[{_CN}].)|(?<=[{_CN}]..)|(?<=[{_CN}]...)|(?=[^\n]{{0,2}}[{_CN}]))"
    r"(?!(?:(?<=[A-Za-z0-9].)|(?<=[A-Za-z0-9] .)) ?[A-Za-z0-9])[ \t]*"
    rf"|(?<=[()])(?:(?<=[{HAN}].)|(?<=[{HAN}] .)|(?= ?[{HAN}])))")
_ANY_HALF = lazy_compile("[,;:?!()]")
_NOT_PROSE_MARKER = lazy_compile(r"://|www\.|[@<]")  # one of them is in every _NOT_PROSE match


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
        annotated = any(char in TONE_VOWELS for char in census_of(doc))
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
            if annotated and "(" in line:  # 培訓(xùn): the pinyin's brackets go with it (charset-pinyin)
                skipped += tuple((m.start(), m.end()) for m in PINYIN_ANNOTATION.finditer(text, base, end))
            if "?" in line:  # 前1?。: a character lost in encoding (charset-mojibake), not a question mark
                skipped += tuple((base + m.start(), base + m.end()) for m in _QUESTION_RUN.finditer(line)
                                 if is_lost_character(text, base + m.start(), base + m.end()))
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
    """Whether `offset` lies in one of `spans` (sorted, disjoint: found by finditer). By
    bisection: a huge line with thousands of links and marks must not compare every mark
    with every link."""
    index = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]


def _halfwidth(doc, rule):
    mode = rule.state.mode
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
        dominant = count >= full and count >= rule.state.min_count
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


_BRACKETS = lazy_compile("[“”‘’（）《》【】()]")


def _paragraph_spans(doc):
    """(start, end) of each paragraph: a line in plain text, a block of lines in Markdown."""
    if doc.markup != "markdown":
        return [(start, start + len(line)) for start, line in zip(doc.line_starts, doc.prose_lines)]
    return [m.span() for m in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", doc.prose)]


# A bracket sequence of side-by-side pairs (“”《》（）…): nothing to report. Most lines that
# hold brackets are this, and are then passed without a Python step per bracket.
_FLAT_PAIRS = lazy_compile("(?:“”|‘’|[（(][）)]|《》|【】)*")


def _unbalanced(doc, rule):
    text = doc.prose
    if not _BRACKETS.search(text):
        return
    if doc.markup == "markdown":
        spans = _paragraph_spans(doc)
    else:  # the lines
        spans = ((start, start + len(line)) for start, line in zip(doc.line_starts, doc.prose_lines))
    found = []  # (problems of one paragraph, sorted), for the paragraphs that have some
    for base, end in spans:
        sequence = "".join(_BRACKETS.findall(text, base, end))
        if not sequence or _FLAT_PAIRS.fullmatch(sequence) or text[base:end].isascii():
            continue
        marks = [(m.start(), m.group(0)) for m in _BRACKETS.finditer(text, base, end)
                 if not (m.group(0) in "‘’" and _apostrophe(text, m.start()))]
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
        if problems:
            found.append(sorted(problems))
    for index, problems in enumerate(found):
        if index + 1 < len(found) and problems and found[index + 1] \
                and _broken_pair(text, problems[-1], found[index + 1][0]):
            found[index + 1].pop(0)  # 【字号： / 大 / 中 / 小 / 】: one pair across the page's line breaks
            problems.pop()
        for offset, char in problems:
            partner = _PAIRS.get(char) or _CLOSERS.get(char)
            what = "没有对应的" + ("后半" if char in _PAIRS else "前半")
            yield rule.finding(doc, offset, offset + 1,
                               message=f"“{char}”{what}“{partner}”：引号、括号、书名号应在同一段内成对出现，请补全或删去。")


# A pair cut apart by the page's line breaks holds a phrase: no sentence end between its halves,
# a short text, a few lines.
_SENTENCE_END = lazy_compile("[。！？!?]")
_BROKEN_PAIR_CHARS = 60
_BROKEN_PAIR_LINES = 8


def _broken_pair(text: str, opener: tuple, closer: tuple) -> bool:
    """Do an opener left open at the end of one paragraph and a closer left unopened at the
    start of a later one make a pair the page's line breaks cut apart?"""
    (start, char), (end, close) = opener, closer
    if char not in _PAIRS or close in _PAIRS or close not in {_PAIRS[char], _SAME_CLASS.get(_PAIRS[char])} \
            and not (char in "（(" and close in "）)"):
        return False
    between = text[start + 1:end]
    return (between.count("\n") <= _BROKEN_PAIR_LINES and len("".join(between.split())) <= _BROKEN_PAIR_CHARS
            and not _SENTENCE_END.search(between) and not _BRACKETS.search(between))


def _apostrophe(text: str, offset: int) -> bool:
    """’ (or ‘) used as an apostrophe: before a two-digit year (’99) or inside a Latin word (don’t)."""
    after = text[offset + 1:offset + 3]
    if len(after) == 2 and after.isdigit() and after.isascii():
        return True
    before = text[offset - 1] if offset else ""
    return before.isascii() and before.isalpha() and after[:1].isascii() and after[:1].isalpha()


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
            if line[m.start() - 1] in _DATE_PART_BEFORE and line[m.end()] in _DATE_PART_AFTER:
                continue  # 6月 日召开: a day left out (a placeholder), deleting the space would hide it
            if _DATE_PREFIX.match(line, 0, m.start()):  # (not line[:m.start()]: a copy per space)
                continue  # 4月18日 制定了…: a dated log entry
            if heading is not None and heading.run_in and m.start() <= heading.column + len(heading.marker) + len(heading.text) + 1:
                continue  # 一、加强组织领导 镇党委…: heading and text run together
            if _byline_space(line, m.start(), m.end()) or _slogan_space(line, m.start()):
                continue
            yield rule.finding(doc, base + m.start(), base + m.end(),
                               fix=Edit(base + m.start(), base + m.end(), ""),
                               message=rule.message.replace("{before}", line[max(0, m.start() - 3):m.start()])
                               .replace("{after}", line[m.end():m.end() + 3]))


# A byline or photo credit: a role, then a name set off by spaces (新华社记者 刘卫兵 摄,
# （记者 张三 通讯员 李四）), or the credit word after a name at the end of a line.
_ROLE_BEFORE = lazy_compile(r"(?:记者|通讯员|摄影|编辑|作者|实习生|主持人|报告人|发言人)$")
_NAME_AFTER = lazy_compile(rf"[{HAN}]{{2,4}}(?:[ \u3000)）,，]|(?:摄|摄影|供图|报道)?$)")
_CREDIT_AFTER = lazy_compile(r"(?:摄|摄影|供图|报道)[ \u3000]*$")


_NAME_BEFORE = lazy_compile(rf"[{HAN}]{{2,4}}$")
# Searched only this far back from a space: the longest role word, the longest name, the
# longest slogan quoted around it. A line with a space every few characters must cost in
# proportion to its length, not to its length times its spaces.
_ROLE_REACH, _NAME_REACH, _SLOGAN_REACH = 3, 4, 40


def _byline_space(line: str, start: int, end: int) -> bool:
    if _ROLE_BEFORE.search(line, max(0, start - _ROLE_REACH), start) and _NAME_AFTER.match(line, end):
        return True
    return bool(_CREDIT_AFTER.match(line, end)) and bool(_NAME_BEFORE.search(line, max(0, start - _NAME_REACH), start))


def _slogan_space(line: str, start: int) -> bool:
    """A space inside a quotation of equal halves: a slogan (“好客山东 好品山东”, “进窗口 走流程”)."""
    opening = line.rfind("“", max(0, start - _SLOGAN_REACH), start)
    if opening == -1 or "”" in line[opening:start]:
        return False
    closing = line.find("”", start, start + _SLOGAN_REACH)
    if closing == -1:
        return False
    parts = line[opening + 1:closing].split(" ")
    return len(parts) >= 2 and len({len(part) for part in parts}) == 1 and 2 <= len(parts[0]) <= 8 \
        and all(_HAN_ONLY.fullmatch(part) for part in parts)


_HAN_ONLY = lazy_compile(rf"[{HAN}]+")


def _trailing_space(doc, rule):
    if doc.markup == "markdown":
        return  # two trailing spaces are a Markdown line break
    for index, line in enumerate(doc.prose_lines):
        stripped = line.rstrip(" \t\u3000")
        if stripped and len(stripped) < len(line):
            start = doc.line_starts[index] + len(stripped)
            end = doc.line_starts[index] + len(line)
            yield rule.finding(doc, start, end, fix=Edit(start, end, ""))


# After a sentence end, ideographic spaces in mid-line are the indentation of the next paragraph:
# two paragraphs run into one line.
_RUN_TOGETHER_AFTER = frozenset("。！？；”’）」』…!?")
_MID_LINE_IDEOGRAPHIC = lazy_compile(r"(?<=\S)\u3000+(?=\S)")


def _ideographic_space(doc, rule):
    text = doc.prose
    if "\u3000" not in text:
        return
    gaps, joined = [], 0  # (start, end, paragraphs run together?)
    for index, line in enumerate(doc.prose_lines):
        if "\u3000" not in line or not _prose_line(line):
            continue
        base = doc.line_starts[index]
        for m in _MID_LINE_IDEOGRAPHIC.finditer(line):
            together = line[m.start() - 1] in _RUN_TOGETHER_AFTER
            joined += together
            gaps.append((base + m.start(), base + m.end(), together))
    if not gaps:
        return
    # (the page's lines, all of them: an upper bound on its paragraphs, counted at C speed)
    prose_lines = len(doc.line_starts) - text.endswith("\n")
    if joined >= rule.state.min_count and joined >= 2 * prose_lines:
        # Most paragraphs of the page were run together: one finding, one fix splitting them all.
        first = next(g for g in gaps if g[2])
        last = [g for g in gaps if g[2]][-1]
        pieces, position = [], first[0]
        for start, end, together in gaps:
            if together and start >= position:
                pieces += [text[position:start], "\n" + text[start:end]]
                position = end
        pieces.append(text[position:last[1]])
        line = doc.position(first[0])[0]
        finding = rule.document_finding(doc, rule.state.page_message.replace("{count}", str(joined))
                                        .replace("{lines}", str(prose_lines)).replace("{line}", str(line)), line=line)
        finding.fix = Edit(first[0], last[1], "".join(pieces))
        finding.suggestion = "在这些地方分段（可用 --fix 自动修复）"
        yield finding
        gaps = [g for g in gaps if not g[2]]
    for start, end, together in gaps:
        # run together: the spaces are the next paragraph's indentation, which a line break restores
        fix = Edit(start, end, "\n" + text[start:end]) if together else Edit(start, end, "")
        yield rule.finding(doc, start, end, fix=fix)


_STRAY_MARK = lazy_compile(rf"[`'.](?:(?<=[{HAN}][`'])(?=[{HAN}，。、；,])|(?<=的\.)(?=[{HAN}]))")


def _stray_mark(doc, rule):
    """` ' between Chinese characters and . after 的: a 范文 site marks its copies so (the
    marks land after 的 mostly: 的`有关, 的'评议, 的.纠纷)."""
    markdown = doc.markup == "markdown"
    for m in _STRAY_MARK.finditer(doc.prose):
        if markdown and m.group(0) == "`":
            continue  # Markdown code span
        yield rule.finding(doc, m.start(), m.end(), fix=Edit(m.start(), m.end(), ""),
                           message=rule.message.replace("{mark}", m.group(0)))


_CHECKS = {
    "halfwidth": _halfwidth, "unbalanced": _unbalanced, "doubled": _doubled, "space": _space,
    "trailing-space": _trailing_space, "ideographic-space": _ideographic_space, "stray-mark": _stray_mark,
}
