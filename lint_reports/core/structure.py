"""The shape of a report: title, headings, and the pieces of a compilation.

Headings are recognised by their ordinals (GB/T 9704: 一、 → （一） → 1. → （1）, plus the
variants copied text carries: (一), 1、, ⑴, 2.1, 第一部分) and by Markdown `#`. A compilation
(`……汇编（2篇）`, `(精选11篇)`, `篇一：`, or top-level numbering that starts again at 一、)
is split into parts so that each piece is checked as its own document.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Optional
from ..speed.lazyre import lazy_compile

CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> Optional[int]:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; None if not a Chinese numeral."""
    if not text:
        return None
    if all(ch in CN_DIGITS for ch in text) and len(text) > 1:
        return int("".join(str(CN_DIGITS[ch]) for ch in text))  # 二〇二二
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PAREN_DIGITS = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
PERIOD_DIGITS = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
PAREN_CN = "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"
CN_NUM = "一二三四五六七八九十百零〇"

# (style, level, regex). Group "num" is the ordinal, group "punct" what follows it.
_ORDINALS = [
    ("part", 0, re.compile(rf"^\s*第(?P<num>[{CN_NUM}]+)(?:部分|章|篇)(?P<punct>[、：:．.，,\s]?)")),
    ("cn", 1, re.compile(rf"^\s*(?P<num>[{CN_NUM}]{{1,3}})\s*(?P<punct>[、．.，,：:])")),
    ("cn-paren", 2, re.compile(rf"^\s*[（(]\s*(?P<num>[{CN_NUM}]{{1,3}})\s*[）)]\s*(?P<punct>[、．.，,：:]?)")),
    ("cn-paren", 2, re.compile(rf"^\s*(?P<num>[{PAREN_CN}])(?P<punct>[、．.]?)")),
    ("decimal", 3, re.compile(r"^\s*(?P<num>\d{1,2}(?:[.．]\d{1,2})+)(?P<punct>[.．、]?)\s+")),
    ("arabic", 3, re.compile(r"^\s*(?P<num>\d{1,2})\s*(?P<punct>[.．、](?!\d)|\s+(?=[\u4e00-\u9fff]))")),
    ("arabic", 3, re.compile(rf"^\s*(?P<num>[{PERIOD_DIGITS}])(?P<punct>)")),
    ("arabic-paren", 4, re.compile(r"^\s*[（(]\s*(?P<num>\d{1,2})\s*[）)]\s*(?P<punct>[、．.，,]?)")),
    ("arabic-paren", 4, re.compile(rf"^\s*(?P<num>[{PAREN_DIGITS}])(?P<punct>[、．.]?)")),
    ("circled", 5, re.compile(rf"^\s*(?P<num>[{CIRCLED}])(?P<punct>[、．.]?)")),
]
# The first token of each ordinal above (after its leading \s*): a line is tried only
# against the ordinals its first character can start (at most two of the ten).
_FIRST_TOKENS = [re.compile(token) for token in (
    "第", f"[{CN_NUM}]", "[（(]", f"[{PAREN_CN}]", r"\d", r"\d", f"[{PERIOD_DIGITS}]", "[（(]",
    f"[{PAREN_DIGITS}]", f"[{CIRCLED}]")]
_LEADING_CHAR = lazy_compile(r"\s*(.)", re.S)
_ORDINALS_BY_FIRST: dict = {}


def _ordinals_starting_with(ch: str) -> tuple:
    found = _ORDINALS_BY_FIRST.get(ch)
    if found is None:
        found = _ORDINALS_BY_FIRST[ch] = tuple(
            ordinal for ordinal, first in zip(_ORDINALS, _FIRST_TOKENS) if first.fullmatch(ch))
    return found

_WORDS_SPACE = lazy_compile(r"[ \u3000]")
_MARKDOWN_HEADING = lazy_compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_RUN_IN_END = lazy_compile(r"[。；;！？!?]")
TERMINAL = "。！？；：…”」』）)!?;:.，,、"
_COMPILATION_TITLE = lazy_compile(r"汇编|合集|[（(]\s*(?:精选|通用|优选|最新|热门|推荐|精品)?\s*\d+\s*篇\s*[）)]|范文\d+篇")
_PIECE_MARKER = lazy_compile(rf"^\s*(?:【?篇[{CN_NUM}]+】?|第[{CN_NUM}]+篇|范文[{CN_NUM}\d]+)\s*[：:、]?")
# A letter's salutation ("区委组织部：") opens a new piece of a compilation.
_SALUTATION = lazy_compile(r"^\s*[^\s，,。：:；;]{1,16}(?:部|委|局|厅|办|办公室|政府|党委|党组|党工委|委员会|领导|同志们)\s*[：:]\s*$")
_TOC_ORDINAL = lazy_compile(rf"^\s*(?:\d{{1,2}}\s*[.．、]?|[{CN_NUM}]{{1,3}}\s*[、.．]|[（(]\s*[\d{CN_NUM}]{{1,3}}\s*[）)])\s*")


def _title_words(line_text: str) -> str:
    """A title line without Markdown `#` marks or whole-line emphasis."""
    text = _MARKDOWN_HEADING.sub(r"\2", line_text) if line_text.lstrip().startswith("#") else line_text
    text = _strip_emphasis(text)[0]
    marker = _PIECE_MARKER.match(text)
    if marker and text[marker.end():].strip():
        text = text[marker.end():]
    return text.strip(" \u3000\t")


def _squash(text: str) -> str:
    return re.sub(r"[\s\u3000]", "", text)


_PIECE_START = lazy_compile(r"^\s*(?:【?关键词】?|关键字)[：:】\s]|^\s*[^\s，,。：:]{2,12}[：:]\s*$")


def _ordinal_value(style: str, num: str) -> Optional[int]:
    if style in ("cn", "cn-paren", "part"):
        if num in PAREN_CN:
            return PAREN_CN.index(num) + 1
        return chinese_number(num)
    if style == "decimal":
        return int(re.split(r"[.．]", num)[-1])
    for table in (CIRCLED, PAREN_DIGITS, PERIOD_DIGITS):
        if num in table:
            return table.index(num) + 1
    return int(num)


@dataclass
class Heading:
    line: int  # 1-based line number
    level: int  # 0 第X部分, 1 一、, 2 （一）, 3 1., 4 （1）, 5 ①; Markdown: number of #; 9 unnumbered
    style: str  # part | cn | cn-paren | decimal | arabic | arabic-paren | circled | markdown | plain
    ordinal: Optional[int]
    marker: str  # the ordinal as written, with what follows it ("（一）、")
    punct: str  # punctuation after the ordinal ("、", ".", "" ...)
    text: str  # heading words after the marker, up to the end of a run-in heading
    run_in: bool  # body text follows on the same line
    column: int  # 1-based column where the marker starts
    # Style of the ordinal itself: as `style` for plain text, the inner ordinal's style for a
    # Markdown heading ("## 一、主要工作" -> "cn"), "" when there is no ordinal.
    ordinal_style: str = ""


def parse_heading(line_text: str, line_no: int, markdown: bool = False) -> Optional[Heading]:
    if markdown:
        m = _MARKDOWN_HEADING.match(line_text)
        if m:
            inner = parse_heading(_strip_emphasis(m.group(2))[0], line_no) if m.group(2) else None
            text = inner.text if inner else _strip_emphasis(m.group(2))[0]
            return Heading(line_no, len(m.group(1)), "markdown", inner.ordinal if inner else None,
                           m.group(1), "", text, False, 1, inner.style if inner else "")
    lead = _LEADING_CHAR.match(line_text)
    for style, level, pattern in _ordinals_starting_with(lead.group(1)) if lead else ():
        m = pattern.match(line_text)
        if not m:
            continue
        rest = line_text[m.end():]
        if style == "arabic" and not rest.strip():
            return None
        if style in ("cn", "part") and rest.startswith(("是", "要", "来", "则", "方面", "季度", "年", "月")):
            return None  # 一是…, 二要…: inline enumeration, not a heading
        cut = _RUN_IN_END.search(rest)
        words = rest[: cut.start()] if cut else rest
        run_in = bool(cut and rest[cut.end():].strip())
        space = _WORDS_SPACE.search(words[6:])  # "一、加强组织领导,为… 镇党委高度重视…"
        if space:
            words, run_in = words[: 6 + space.start()], True
        return Heading(line_no, level, style, _ordinal_value(style, m.group("num")),
                       m.group(0).strip(), m.group("punct").strip(), words.strip(" \u3000"),
                       run_in, len(line_text) - len(line_text.lstrip()) + 1, style)
    return None


_WHOLE_LINE_EMPHASIS = lazy_compile(r"^(\s*)(\*\*|__)(?=\S)(.+?)(?<=\S)\2\s*$")


def _strip_emphasis(line_text: str) -> tuple:
    """(text, columns removed before it): a Markdown line that is bold as a whole
    (`**二、存在的问题**`) is a heading written without `#`; read it without the marks."""
    m = _WHOLE_LINE_EMPHASIS.match(line_text)
    if not m or "**" in m.group(3) or "__" in m.group(3):
        return line_text, 0
    return m.group(1) + m.group(3), len(m.group(2))


def styled_heading(line_text: str, line_no: int, level: int, parsed: Optional[Heading]) -> Heading:
    """A heading whose level comes from its Word style (Heading 1 -> 1), like Markdown `#`."""
    text = parsed.text if parsed else line_text.strip(" \u3000")
    return Heading(line_no, level, "markdown", parsed.ordinal if parsed else None,
                   parsed.marker if parsed else "", "", text, False, 1, parsed.style if parsed else "")


def is_title_like(line_text: str) -> bool:
    """A short line without closing punctuation: a title or an unnumbered heading."""
    stripped = line_text.strip(" \u3000\t")
    return 2 <= len(stripped) <= 40 and stripped[-1] not in TERMINAL


@dataclass
class Part:
    start_line: int
    end_line: int  # inclusive
    title: Optional[str]
    title_line: Optional[int]


_TOC_HEADING_NOISE = lazy_compile(r"[\s\u3000#*]")
_MARKDOWN_HASHES = lazy_compile(r"^\s*#{1,6}\s+")


class Structure:
    def __init__(self, doc):
        self.doc = doc

    @cached_property
    def headings(self) -> list:
        doc = self.doc
        markdown = doc.markup == "markdown"
        lines = doc.prose_lines
        found = []
        for index, text in enumerate(lines):
            if not text.strip():
                continue
            shift = 0
            if markdown and not text.lstrip().startswith("#"):
                text, shift = _strip_emphasis(text)
            heading = parse_heading(text, index + 1, markdown)
            if heading is not None and shift:
                heading.column += shift
            if index + 1 in doc.heading_levels:
                heading = styled_heading(text, index + 1, doc.heading_levels[index + 1], heading)
            if heading is None and index > 0 and is_title_like(text):
                follow = index + 1
                while markdown and follow < len(lines) and not lines[follow].strip():
                    follow += 1  # Markdown separates blocks with blank lines
                next_text = lines[follow] if follow < len(lines) else ""
                if next_text.strip() and not is_title_like(next_text) and len(text.strip()) <= 25:
                    heading = Heading(index + 1, 9, "plain", None, "", "", text.strip(" \u3000"), False, 1)
            if heading:
                found.append(heading)
        return found

    @cached_property
    def title(self) -> tuple:
        """(line, text) of the document title, or (None, None)."""
        doc = self.doc
        front_title = doc.front_matter.get("title") if isinstance(doc.front_matter, dict) else None
        for index, text in enumerate(doc.prose_lines):
            if not text.strip():
                continue
            if doc.markup == "markdown":
                m = _MARKDOWN_HEADING.match(text)
                if m:
                    return index + 1, m.group(2)
            if front_title:
                return index + 1, str(front_title)
            stripped = text.strip(" \u3000\t")
            if len(stripped) <= 60 and stripped[-1] not in "。！？；;":
                return index + 1, stripped
            return None, None
        if front_title:
            return 1, str(front_title)
        return None, None

    @cached_property
    def is_compilation(self) -> bool:
        _, title = self.title
        if title and _COMPILATION_TITLE.search(title):
            return True
        return any(_PIECE_MARKER.match(line) for line in self.doc.prose_lines)

    @cached_property
    def parts(self) -> list:
        """The pieces of the document: one Part for an ordinary report."""
        lines = self.doc.prose_lines
        total = len(lines)
        title_line, title = self.title
        starts = [(1, title_line, title)]
        last_top = None
        for heading in self.headings:
            text = lines[heading.line - 1]
            if _PIECE_MARKER.match(text):
                starts.append(self._piece_start(heading.line))
                last_top = None
                continue
            if heading.ordinal_style != "cn":
                continue
            if last_top is not None and heading.ordinal is not None and heading.ordinal <= last_top:
                starts.append(self._piece_start(heading.line))
            last_top = heading.ordinal
        for index, text in enumerate(lines):
            if _PIECE_MARKER.match(text) and not any(s[0] <= index + 1 <= s[0] + 1 for s in starts[1:]):
                starts.append(self._piece_start(index + 1))
        if self.is_compilation:
            starts += self._listed_piece_starts()
            starts += [(number, None, None) for number, text in enumerate(lines, 1)
                       if number != title_line and _SALUTATION.match(text)]
        starts = sorted({s[0]: s for s in starts}.values())
        parts = []
        for i, (start, t_line, t_text) in enumerate(starts):
            end = starts[i + 1][0] - 1 if i + 1 < len(starts) else total
            if end >= start:
                parts.append(Part(start, end, t_text, t_line))
        return parts or [Part(1, total, title, title_line)]

    def _listed_piece_starts(self) -> list:
        """A compilation's table of contents (`目 录` and the titles under it) names its
        pieces: each later line that repeats a listed title starts that piece."""
        lines = self.doc.prose_lines
        listed, toc_end = set(), None
        for index, text in enumerate(lines):
            if _TOC_HEADING_NOISE.sub("", text) in ("目录", "目次"):
                follow = index + 1
                while follow < len(lines) and lines[follow].strip():
                    entry = _TOC_ORDINAL.sub("", lines[follow])
                    listed.add(_squash(entry))
                    follow += 1
                toc_end = follow
                break
        if not listed:
            return []
        starts = []
        for index in range(toc_end, len(lines)):
            text = _MARKDOWN_HASHES.sub("", lines[index])
            if text.strip() and _squash(text) in listed:
                starts.append((index + 1, index + 1, _title_words(lines[index])))
        return starts

    @cached_property
    def _styled_headings(self) -> dict:
        return {h.line: h for h in self.headings if h.style != "plain"}

    @cached_property
    def _heading_lines(self) -> Optional[list]:
        """Heading line numbers for bisection, or None if headings are not in line order."""
        lines = [h.line for h in self.headings]
        return lines if all(a <= b for a, b in zip(lines, lines[1:])) else None

    def _piece_start(self, line: int) -> tuple:
        """Walk back from a restarting heading over the new piece's title and opening lines."""
        lines = self.doc.prose_lines
        headings = self._styled_headings  # built once: a compilation has hundreds of pieces

        def markdown_title(number: int) -> bool:
            """An unnumbered Markdown heading above a numbered one names a piece."""
            heading = headings.get(number)
            return heading is not None and heading.style == "markdown" and heading.ordinal is None

        start = line
        title_line = None
        candidates = list(range(line - 1, max(0, line - 4), -1))
        if self.doc.markup == "markdown":  # blocks are separated by blank lines: skip them
            candidates = [n for n in range(line - 1, 0, -1) if lines[n - 1].strip()][:3]
        for candidate in candidates:
            text = lines[candidate - 1]
            if markdown_title(candidate):
                start = title_line = candidate
                break
            if candidate in headings or not text.strip():
                break
            if is_title_like(text) or _PIECE_START.match(text):
                start, title_line = candidate, candidate
                continue
            if candidate == candidates[0] and re.match(r"^\s*(?:今年以来|近年来|为了|为|根据|按照|[xX×＊*某]{2})", text):
                start = candidate
                continue
            before = lines[candidate - 2] if candidate >= 2 else ""
            if candidate == candidates[0] and before.strip() and (
                    markdown_title(candidate - 1)
                    or (_PIECE_START.match(before) and candidate - 1 not in headings)):
                # an article's opening paragraph under its 关键词 line or its title
                start = title_line = candidate - 1
            break
        marker = _PIECE_MARKER.match(lines[line - 1])
        if marker and title_line is None:
            rest = lines[line - 1][marker.end():].strip()
            title_line = line
            return start, title_line, rest or (_title_words(lines[line]) if line < len(lines) else None)
        return start, title_line, _title_words(lines[title_line - 1]) if title_line else None

    @cached_property
    def _part_starts(self) -> list:
        return [part.start_line for part in self.parts]

    def part_of(self, line: int) -> Part:
        parts = self.parts
        index = bisect.bisect_right(self._part_starts, line) - 1
        if index >= 0 and parts[index].start_line <= line <= parts[index].end_line:
            return parts[index]  # the usual case: parts in line order, found by bisection
        for part in parts:
            if part.start_line <= line <= part.end_line:
                return part
        return parts[-1]

    def headings_in(self, part: Part) -> list:
        """The headings within the part (headings are in line order: two bisections, not a
        pass over every heading of the document for every part)."""
        lines = self._heading_lines
        if lines is None:
            return [h for h in self.headings if part.start_line <= h.line <= part.end_line]
        return self.headings[bisect.bisect_left(lines, part.start_line):bisect.bisect_right(lines, part.end_line)]
