"""Kind `linebreak`: a sentence broken across lines, as PDF, web and 文库 copying leave it.

Checks (the rule's `check` parameter):

  midsentence     (default) a line that is prose (long, or carrying clause punctuation),
                  ends in the middle of a sentence (a character, not terminal punctuation)
                  while the next line goes on with the same sentence (starts with a
                  character, not with a heading, list item, dash item, date or signature).
                  Headings, titles, table-like lines, Markdown structure and the
                  one-sentence-per-line enumerations of published reports (`主要措施是` /
                  `一要…`) are left alone.
  page-footer     the same, with a page footer between the halves (…加强 / - 3 - / 管理…,
                  第3页 共9页, 3/9, ·3·), blank lines around it allowed.
  segment-marker  a 文库 segment number that splits a sentence (…同时 / 2、，工作总结…;
                  …管理制 / 2、度，…): the number is followed by a mark no list item starts
                  with, or by one character before a comma, or it splits a word (jieba's
                  dictionary: 管理制|度) after a long line. A list item is never joined.
  title           a title broken into fragments, a word or two a line (关于 / 加强基层 /
                  党组织建设的 / 实施方案): short lines without punctuation, the last ending
                  in a genre word (总结, 报告, 方案…), a break that cannot be a title's end
                  (after 的/和/与, before 的, a word split) or a title that opens with 关于
                  or a year.

`--fix` joins the lines (dropping the footer or the segment number between them).

Parameters:
  min_length   shortest line (in characters) that counts as prose without clause
               punctuation (default 60); a shorter line must carry ，、；。

Failing example (rule linebreak-midsentence):

    “三下功夫”即以学习培训为主,在加强理论武装、提高理论素
    养上下功夫,在扩大知识视野、提高知识水平上下功夫。

Passing example:

    主要措施是
    一要加强组织领导，二要完善工作机制。
"""
from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from ..core.finding import Edit
from ..core.structure import parse_heading
from ..speed.lazyre import lazy_compile

KIND = "linebreak"


class LinebreakState(NamedTuple):
    """What prepare keeps of a linebreak rule."""
    check: str
    min_length: int


PARAMS = {"check": str, "min_length": int}
REQUIRED = ()
CHECKS = ("midsentence", "page-footer", "segment-marker", "title")

_CONTINUES = lazy_compile(r"[\u3400-\u9fff、]$")
# How the rest of a sentence starts: a Chinese character, 、 or a comma, or a number with its
# unit (…共走访居民 / 320户，…); a list number has its dot or 、 and is not one.
_SENTENCE_PART = r"(?:[\u3400-\u9fff、，,]|\d+(?:\.\d+)?[%％\u3400-\u9fff])"
_STARTS_SENTENCE_PART = lazy_compile(rf"^{_SENTENCE_PART}")
# A line end after a Chinese character, 、 or a blank, before a line that starts (after
# blanks) with the rest of a sentence. It leads with the newline, so the regex engine
# jumps from one line end to the next instead of trying every Chinese character; the
# lines it lets through with blanks at their end are checked in `check`.
_JOIN_CANDIDATE = lazy_compile(rf"\n(?<=[\u3400-\u9fff、 \t\u3000]\n)[ \t\u3000]*{_SENTENCE_PART}")
_CLAUSE_PUNCT = lazy_compile(r"[，,、；;。]")
# The next line opens something of its own: an enumeration, a dash item, a date, a list.
_OWN_START = lazy_compile(
    r"^(?:[一二三四五六七八九十]+[是要则来]|首先|其次|再次|最后|第[一二三四五六七八九十]+|其[一二三四五六七八九十]"
    r"|[—–\-*•·●○◆■□▪>#|]|\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月(?:份|上旬|中旬|下旬|底|初)?[，,、])")
_TABLE_LIKE = lazy_compile(r"\t|\S {2,}\S|\u3000{2,}\S.*\S\u3000{2,}|\|")
_LABEL = lazy_compile(r"^[^，,。]{1,8}[:：]")
_BYLINE = lazy_compile(r"^[\u3400-\u9fff]{2,12}[ \u3000]+[\u3400-\u9fff]{2,4}$")  # 国务院总理 温家宝
_SIGNATURE = lazy_compile(r"(?:委员会|人民政府|办公室|党委|党组|支部|总支|局|院|部|处|科|中心|公司|学校|[0-9一二三四五六七八九十〇○]{2,4}年[0-9一二三四五六七八九十〇○]{1,2}月[0-9一二三四五六七八九十〇○]{1,3}日)$")


def prepare(rule, data) -> None:
    check = rule.params.get("check", "midsentence")
    if check not in CHECKS:
        raise ValueError(f"'check' must be one of {', '.join(CHECKS)}")
    rule.state = LinebreakState(check, rule.params.get("min_length", 60))


def _is_prose(line: str, min_length: int) -> bool:
    stripped = line.strip(" \t\u3000")
    if _LABEL.match(stripped) and len(stripped) < min_length:
        return False  # 关键词：学习型；党组织
    return bool(_CLAUSE_PUNCT.search(stripped)) and len(stripped) >= 8 or len(stripped) >= min_length


def check(ctx, rule):
    yield from _CHECKS[rule.state.check](ctx.doc, rule)


def _midsentence(doc, rule):
    lines = doc.prose_lines
    markdown = doc.markup == "markdown"
    min_length = rule.state.min_length
    # Only line ends where a Chinese character (or 、) meets a line that starts with one: one
    # pass over the text instead of a look at every line (m.start() is the newline, on the
    # line before).
    candidates = sorted({bisect.bisect_right(doc.line_starts, m.start()) - 1
                         for m in _JOIN_CANDIDATE.finditer(doc.prose)})
    for index in candidates:
        line, following = lines[index], lines[index + 1]
        stripped, next_stripped = line.rstrip(" \t\u3000"), following.strip(" \t\u3000")
        if not stripped.strip() or not next_stripped:
            continue
        if not _CONTINUES.search(stripped) or not _STARTS_SENTENCE_PART.match(next_stripped):
            continue
        if not _sentence_goes_on(line, index, following, index + 1, markdown, min_length):
            continue
        end = doc.line_starts[index] + len(stripped)
        next_start = doc.line_starts[index + 1] + (len(following) - len(following.lstrip(" \t\u3000")))
        # The finding reaches the next line when the join removes its indentation too: a fix
        # may only touch the lines of its finding.
        yield rule.finding(doc, end - 1, end if next_start == doc.line_starts[index + 1] else next_start,
                           fix=Edit(end, next_start, ""),
                           message=rule.message.replace("{tail}", stripped.strip()[-6:])
                           .replace("{head}", next_stripped[:6]))


def _sentence_goes_on(line: str, index: int, following: str, next_index: int, markdown: bool,
                      min_length: int) -> bool:
    """Does the sentence that `line` (0-based `index`) leaves open go on in `following`?"""
    stripped, next_stripped = line.rstrip(" \t\u3000"), following.strip(" \t\u3000")
    if not stripped.strip() or not next_stripped:
        return False
    if not _CONTINUES.search(stripped) or not _STARTS_SENTENCE_PART.match(next_stripped):
        return False
    # The next line is prose too, or the short end of the sentence (…全面提升 / 水平。);
    # a short line without a full stop is a label, a table cell or a title.
    if not _is_prose(stripped, min_length) \
            or not (_is_prose(next_stripped, min_length) or next_stripped.endswith(("。", "！", "？", "；"))) \
            or _TABLE_LIKE.search(stripped.strip()) \
            or _TABLE_LIKE.search(next_stripped):
        return False
    if markdown and re.match(r"^\s*(?:#|[-*+]\s|\d+[.)]\s|>|\|)", line):
        return False
    heading = parse_heading(line, index + 1, markdown)
    if heading is not None and len(stripped.strip(" \t\u3000")) <= 40 and not re.search("[。；;！？!?]", stripped):
        return False  # a heading (with or without a comma inside) standing alone
    if parse_heading(following, next_index + 1, markdown) is not None or _OWN_START.match(next_stripped) \
            or _BYLINE.match(next_stripped):
        return False
    if _SIGNATURE.search(next_stripped) and len(next_stripped) <= 30 \
            and not _CLAUSE_PUNCT.search(next_stripped):
        return False  # a signature under the text
    if stripped.endswith(("是", "为", "如下", "包括", "有")) and not _CLAUSE_PUNCT.search(stripped.strip()[-12:]):
        return False  # an introducing line: 主要措施是 / 一要…
    return True


# --- a page footer between the halves -------------------------------------------------------

_BLANKS = " \t\u3000"
# A footer line: - 3 -, — 3 —, 第3页, 第 3 页 共 9 页, 共9页 第3页, 3/9, ·3·, Page 3 of 9. Led by
# the newline before it, so the regex engine jumps from line end to line end.
_FOOTER_LINE = lazy_compile(
    r"\n[ \t\u3000]*(?P<footer>[-—–－][ \t]*\d{1,4}[ \t]*[-—–－]"
    r"|第[ \t]*\d{1,4}[ \t]*页(?:[ \t]*[/，,、]?[ \t]*共[ \t]*\d{1,4}[ \t]*页)?"
    r"|共[ \t]*\d{1,4}[ \t]*页[ \t]*[/，,、]?[ \t]*第[ \t]*\d{1,4}[ \t]*页"
    r"|\d{1,4}[ \t]*/[ \t]*\d{1,4}|[·•][ \t]*\d{1,4}[ \t]*[·•]"
    r"|[Pp]age[ \t]*\d{1,4}(?:[ \t]*(?:of|/)[ \t]*\d{1,4})?)[ \t\u3000]*(?=\n|$)")
_MAX_BLANKS = 3  # blank lines on either side of a footer


def _page_footer(doc, rule):
    lines = doc.prose_lines
    markdown = doc.markup == "markdown"
    min_length = rule.state.min_length
    for m in _FOOTER_LINE.finditer(doc.prose):
        footer = bisect.bisect_right(doc.line_starts, m.end() - 1) - 1
        before = _content_line(lines, footer, -1)
        after = _content_line(lines, footer, +1)
        if before is None or after is None:
            continue
        line, following = lines[before], lines[after]
        if not _sentence_goes_on(line, before, following, after, markdown, min_length):
            continue
        stripped, next_stripped = line.rstrip(_BLANKS), following.strip(_BLANKS)
        end = doc.line_starts[before] + len(stripped)
        next_start = doc.line_starts[after] + (len(following) - len(following.lstrip(_BLANKS)))
        yield rule.finding(doc, end - 1, next_start, fix=Edit(end, next_start, ""),
                           message=rule.message.replace("{tail}", stripped.strip()[-6:])
                           .replace("{head}", next_stripped[:6]).replace("{footer}", m.group("footer")))


def _content_line(lines, index: int, step: int):
    """The nearest non-blank line before (step -1) or after (+1) line `index`, past at most
    _MAX_BLANKS blank lines."""
    for _ in range(_MAX_BLANKS + 1):
        index += step
        if not 0 <= index < len(lines):
            return None
        if lines[index].strip(_BLANKS):
            return index
    return None


# --- a 文库 segment number inside a sentence -------------------------------------------------

_SEGMENT_MARKER = lazy_compile(r"\n[ \t\u3000]*(?P<number>\d{1,3})、")
# What no list item starts with: a mark that closes or continues a clause.
_NO_ITEM_START = frozenset("，,。.、；;：:！!？?）)”’」』")
_CLAUSE_END = lazy_compile(r"[，,。；;：:、！!？?]")
_LONG_SEGMENT = 200  # a 文库 segment is a long paragraph; a list item ending without a mark is short


def _segment_marker(doc, rule):
    text, lines = doc.prose, doc.prose_lines
    markdown = doc.markup == "markdown"
    for m in _SEGMENT_MARKER.finditer(text):
        index = bisect.bisect_right(doc.line_starts, m.start()) - 1
        line = lines[index]
        stripped = line.rstrip(_BLANKS)
        rest = text[m.end():doc.line_end(index + 2)]
        if not rest.strip() or not _CONTINUES_SEGMENT.search(stripped) or not _is_prose(stripped, rule.state.min_length) \
                or _TABLE_LIKE.search(stripped.strip()) or (markdown and re.match(r"^\s*(?:#|[-*+]\s|>|\|)", line)):
            continue
        heading = parse_heading(line, index + 1, markdown)
        if heading is not None and len(stripped.strip(_BLANKS)) <= 40 and not re.search("[。；;！？!?]", stripped):
            continue  # a heading before a list
        clause = _CLAUSE_END.search(rest)
        certain = rest[0] in _NO_ITEM_START or (clause is not None and clause.start() <= 1)
        if not certain and not (len(stripped.strip(_BLANKS)) >= _LONG_SEGMENT and _splits_a_word(stripped, rest)):
            continue
        end = doc.line_starts[index] + len(stripped)
        yield rule.finding(doc, end - 1, m.end(), fix=Edit(end, m.end(), ""),
                           message=rule.message.replace("{tail}", stripped.strip()[-6:])
                           .replace("{head}", rest[:6]).replace("{marker}", m.group("number") + "、"))


# A segment may end on a character, 、 or a comma (…同时 / 2、，工作总结…)
_CONTINUES_SEGMENT = lazy_compile(r"[\u3400-\u9fff、，,]$")


def _splits_a_word(before: str, after: str) -> bool:
    """Does a word of jieba's dictionary run across the break (管理制|度)? Asked only for the
    few candidates, so the dictionary is looked up for a short window."""
    tail = re.search(r"[\u3400-\u9fff]{1,4}$", before)
    head = re.match(r"[\u3400-\u9fff]{1,4}", after)
    if tail is None or head is None:
        return False
    from .repetition.lexicon import lexicon

    boundary = len(tail.group(0))
    position = 0
    for word, _ in lexicon().segment(tail.group(0) + head.group(0)):
        if position < boundary < position + len(word):
            return True
        position += len(word)
    return False


# --- a title broken into fragments ----------------------------------------------------------

_FRAGMENT = lazy_compile(r"^[\u3400-\u9fff0-9０-９〇《》“”（）()—]{1,12}$")
_GENRE_END = lazy_compile(r"(?:总结|报告|方案|意见|汇报|计划|规划|讲话|讲稿|发言|发言稿|致辞|通知|通报|决定|办法|细则|制度"
                        r"|纪要|要点|体会|心得|说明|提纲|简报|请示|公告|倡议书|承诺书|责任书|情况)[》”）)]?$")
_JOINING_END = lazy_compile(r"(?:[的和与及暨之对于在为]|关于)$")
_JOINING_START = lazy_compile(r"^[的和与及暨之]")
_OPENS_TITLE = lazy_compile(r"^(?:关于|(?:19|20)\d{2}(?:—(?:19|20)?\d{2})?年度?|[〇一二三四五六七八九]{4}年度?)")
_TITLE_SCAN_LINES = 60  # a title sits at the top of the document or of one of its pieces
_MAX_TITLE = 40


def _title(doc, rule):
    lines = doc.prose_lines
    tops = {0} | {part.start_line - 1 for part in doc.structure.parts}
    scanned = set()
    for top in sorted(tops):
        for index in range(top, min(len(lines), top + _TITLE_SCAN_LINES)):
            if index in scanned:
                continue
            scanned.add(index)
            run = _fragment_run(lines, index)
            if run is None:
                continue
            scanned.update(range(index, index + len(run)))
            title = _broken_title(run)
            if title is None:
                continue
            first, count = index + title[0], title[1]
            fragments = [lines[i].strip(_BLANKS) for i in range(first, first + count)]
            joined = "".join(fragments)
            start = doc.line_starts[first] + len(lines[first].rstrip(_BLANKS))
            last = first + count - 1
            end = doc.line_starts[last] + len(lines[last]) - len(lines[last].lstrip(_BLANKS))
            yield rule.finding(doc, doc.line_starts[first] + len(lines[first]) - len(lines[first].lstrip(_BLANKS)),
                               end, fix=Edit(start, end, "".join(fragments[1:-1])),
                               message=rule.message.replace("{count}", str(count)).replace("{title}", joined))


def _fragment_run(lines, index: int):
    """The fragments of the run of short unpunctuated lines starting at `index` (the whole
    run: a line before it that is such a fragment too is its start), or None."""
    if index and _FRAGMENT.match(lines[index - 1].strip(_BLANKS)):
        return None
    run = []
    while index + len(run) < len(lines):
        fragment = lines[index + len(run)].strip(_BLANKS)
        if not _FRAGMENT.match(fragment):
            break
        run.append(fragment)
    return run if len(run) >= 2 else None


def _broken_title(run: list):
    """(offset, count) of the fragments of `run` that are one title broken up, or None: from a
    fragment that opens a title (关于, a year) or the run's start, to a fragment that ends in a
    genre word, every break joined by something (关于 / 2023年 opening it, 的 / 和 at a break, a
    word split across it)."""
    for last in range(len(run) - 1, 0, -1):
        if _GENRE_END.search(run[last]):
            break
    else:
        return None
    first = next((i for i in range(last) if _OPENS_TITLE.match(run[i])), None)
    if first is not None:
        if len("".join(run[first:last + 1])) <= _MAX_TITLE:
            return first, last - first + 1
        return None
    if len(run) > 4 or len("".join(run[:last + 1])) > _MAX_TITLE:
        return None
    for left, right in zip(run[:last], run[1:last + 1]):
        if not (_JOINING_END.search(left) or _JOINING_START.match(right) or _splits_a_word(left, right)):
            return None
    return 0, last + 1


_CHECKS = {"midsentence": _midsentence, "page-footer": _page_footer, "segment-marker": _segment_marker,
           "title": _title}
