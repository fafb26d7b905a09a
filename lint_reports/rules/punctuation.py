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


def _halfwidth_marks(doc):
    """[(start, end, mark)] of half-width marks in Chinese text, outside URLs and ordinals.
    Computed once per document: three rules read it."""
    cached = _MARKS_CACHE.get(doc)
    if cached is None:
        cached = _MARKS_CACHE[doc] = _find_halfwidth_marks(doc)
    return cached


_CN = HAN + "“”《》（）、。"
# A half-width mark in Chinese text, decided by the regex engine rather than per mark in
# Python: , ; : ? ! with Chinese (or a Chinese mark) within three characters on either side
# and not between two ASCII letters/digits (1,000 / 10:30 / a,b); ( or ) next to a Chinese
# character. The trailing blanks are taken too: ", " becomes "，".
_HALF_IN_CHINESE = re.compile(
    r"[,;:?!()](?:"
    rf"(?<=[,;:?!])(?:(?<=[{_CN}].)|(?<=[{_CN}]..)|(?<=[{_CN}]...)|(?=[^\n]{{0,2}}[{_CN}]))"
    r"(?!(?:(?<=[A-Za-z0-9].)|(?<=[A-Za-z0-9] .)) ?[A-Za-z0-9])[ \t]*"
    rf"|(?<=[()])(?:(?<=[{HAN}].)|(?<=[{HAN}] .)|(?= ?[{HAN}])))")


def _find_halfwidth_marks(doc):
    found = []
    text = doc.prose
    lines = doc.prose_lines
    starts = doc.line_starts
    skipped = [m.span() for m in _NOT_PROSE.finditer(text)] \
        if any(marker in text for marker in ("://", "www.", "@", "<")) else []
    skipped_starts = [s for s, _ in skipped]
    index, english = 0, None  # the line of the current mark; is it mostly English?
    for m in _HALF_IN_CHINESE.finditer(text):
        start = m.start()
        if skipped:
            at = bisect.bisect_right(skipped_starts, start) - 1
            if at >= 0 and start < skipped[at][1]:
                continue
        if index + 1 < len(starts) and starts[index + 1] <= start:
            index = bisect.bisect_right(starts, start, index) - 1
            english = None
        line = lines[index]
        if english is None:  # (its half-width marks are right)
            english = len(_LATIN.findall(line)) > len(_HAN_RUN.findall(line))
        if english:
            continue
        column = start - starts[index]
        if column < 6:
            ordinal = _LINE_ORDINAL.match(line)
            if ordinal and column < ordinal.end():
                continue  # (一) / (1) at the start of a line: numbering's business
        mark = text[start]
        end = start + 1
        if mark not in "()" and m.end() - starts[index] < len(line):
            end = m.end()  # ", " → "，": the space belongs to the half-width habit
        found.append((start, end, mark))
    return found


def _halfwidth(doc, rule):
    mode = rule.state["mode"]
    marks = _halfwidth_marks(doc)
    if not marks:
        return
    starts = [m[0] for m in marks]
    in_order = all(a <= b for a, b in zip(starts, starts[1:]))
    for part in doc.structure.parts:
        lo, hi = doc.line_starts[part.start_line - 1], doc.line_span(part.end_line)[1]
        if in_order:  # found in text order: a part's marks are one slice (no pass per part)
            in_part = marks[bisect.bisect_left(starts, lo):bisect.bisect_right(starts, hi)]
        else:
            in_part = [m for m in marks if lo <= m[0] <= hi]
        if not in_part:
            continue
        full = len(_FULL_MARKS.findall(doc.prose, lo, hi + 1))
        dominant = len(in_part) >= full and len(in_part) >= rule.state["min_count"]
        if mode == "dominant":
            if dominant:
                first = in_part[0]
                line = doc.position(first[0])[0]
                yield rule.finding(doc, first[0], first[0] + 1, message=rule.message
                                   .replace("{count}", str(len(in_part))).replace("{full}", str(full))
                                   .replace("{line}", str(line)))
            continue
        if mode == "minority" and dominant:
            continue
        for start, end, mark in in_part:
            yield rule.finding(doc, start, start + 1, fix=Edit(start, end, FULL[mark]),
                               message=rule.message.replace("{mark}", mark).replace("{full}", FULL[mark]),
                               suggestion=FULL[mark])


_BRACKETS = re.compile("[“”‘’（）《》【】()]")


def _paragraph_spans(doc):
    """(start, end) of each paragraph: a line in plain text, a block of lines in Markdown."""
    if doc.markup != "markdown":
        return [(start, start + len(line)) for start, line in zip(doc.line_starts, doc.prose_lines)]
    return [m.span() for m in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", doc.prose)]


def _unbalanced(doc, rule):
    text = doc.prose
    marks = [(m.start(), m.group(0)) for m in _BRACKETS.finditer(text)]
    if not marks:
        return
    offsets = [offset for offset, _ in marks]
    if doc.markup == "markdown":
        spans = _paragraph_spans(doc)
    else:  # only the lines that hold a bracket
        lines = sorted({bisect.bisect_right(doc.line_starts, offset) - 1 for offset in offsets})
        spans = [(doc.line_starts[i], doc.line_starts[i] + len(doc.prose_lines[i])) for i in lines]
    for base, end in spans:
        first = bisect.bisect_left(offsets, base)
        last = bisect.bisect_left(offsets, end, first)
        if first == last or text[base:end].isascii():
            continue
        stack = []
        problems = []
        for offset, char in marks[first:last]:
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
