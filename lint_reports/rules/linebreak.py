"""Kind `linebreak`: a sentence broken across two lines, as PDF and web copying leave it.

A line is reported when it is prose (long, or carrying clause punctuation), ends in the
middle of a sentence (a character, not terminal punctuation) and the next line goes on
with the same sentence (starts with a character, not with a heading, list item, dash
item, date or signature). Headings, titles, table-like lines, Markdown structure and the
one-sentence-per-line enumerations of published reports (`主要措施是` / `一要…`) are left
alone. `--fix` joins the two lines.

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

from ..finding import Edit
from ..structure import parse_heading

KIND = "linebreak"
PARAMS = {"min_length": int}
REQUIRED = ()

_CONTINUES = re.compile(r"[\u3400-\u9fff、]$")
# How the rest of a sentence starts: a Chinese character, 、 or a comma, or a number with its
# unit (…共走访居民 / 320户，…); a list number has its dot or 、 and is not one.
_SENTENCE_PART = r"(?:[\u3400-\u9fff、，,]|\d+(?:\.\d+)?[%％\u3400-\u9fff])"
_STARTS_SENTENCE_PART = re.compile(rf"^{_SENTENCE_PART}")
# A line end after a Chinese character, 、 or a blank, before a line that starts (after
# blanks) with the rest of a sentence. It leads with the newline, so the regex engine
# jumps from one line end to the next instead of trying every Chinese character; the
# lines it lets through with blanks at their end are checked in `check`.
_JOIN_CANDIDATE = re.compile(rf"\n(?<=[\u3400-\u9fff、 \t\u3000]\n)[ \t\u3000]*{_SENTENCE_PART}")
_CLAUSE_PUNCT = re.compile(r"[，,、；;。]")
# The next line opens something of its own: an enumeration, a dash item, a date, a list.
_OWN_START = re.compile(
    r"^(?:[一二三四五六七八九十]+[是要则来]|首先|其次|再次|最后|第[一二三四五六七八九十]+|其[一二三四五六七八九十]"
    r"|[—–\-*•·●○◆■□▪>#|]|\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月(?:份|上旬|中旬|下旬|底|初)?[，,、])")
_TABLE_LIKE = re.compile(r"\t|\S {2,}\S|\u3000{2,}\S.*\S\u3000{2,}|\|")
_LABEL = re.compile(r"^[^，,。]{1,8}[:：]")
_BYLINE = re.compile(r"^[\u3400-\u9fff]{2,12}[ \u3000]+[\u3400-\u9fff]{2,4}$")  # 国务院总理 温家宝
_SIGNATURE = re.compile(r"(?:委员会|人民政府|办公室|党委|党组|支部|总支|局|院|部|处|科|中心|公司|学校|[0-9一二三四五六七八九十〇○]{2,4}年[0-9一二三四五六七八九十〇○]{1,2}月[0-9一二三四五六七八九十〇○]{1,3}日)$")


def prepare(rule, data) -> None:
    rule.state = {"min_length": rule.params.get("min_length", 60)}


def _is_prose(line: str, min_length: int) -> bool:
    stripped = line.strip(" \t\u3000")
    if _LABEL.match(stripped) and len(stripped) < min_length:
        return False  # 关键词：学习型；党组织
    return bool(_CLAUSE_PUNCT.search(stripped)) and len(stripped) >= 8 or len(stripped) >= min_length


def check(doc, rule):
    lines = doc.prose_lines
    markdown = doc.markup == "markdown"
    min_length = rule.state["min_length"]
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
        # The next line is prose too, or the short end of the sentence (…全面提升 / 水平。);
        # a short line without a full stop is a label, a table cell or a title.
        if not _is_prose(stripped, min_length) \
                or not (_is_prose(next_stripped, min_length) or next_stripped.endswith(("。", "！", "？", "；"))) \
                or _TABLE_LIKE.search(stripped.strip()) \
                or _TABLE_LIKE.search(next_stripped):
            continue
        if markdown and re.match(r"^\s*(?:#|[-*+]\s|\d+[.)]\s|>|\|)", line):
            continue
        heading = parse_heading(line, index + 1, markdown)
        if heading is not None and len(stripped.strip(" \t\u3000")) <= 40 and not re.search("[。；;！？!?]", stripped):
            continue  # a heading (with or without a comma inside) standing alone
        if parse_heading(following, index + 2, markdown) is not None or _OWN_START.match(next_stripped) \
                or _BYLINE.match(next_stripped):
            continue
        if _SIGNATURE.search(next_stripped) and len(next_stripped) <= 30 \
                and not _CLAUSE_PUNCT.search(next_stripped):
            continue  # a signature under the text
        if stripped.endswith(("是", "为", "如下", "包括", "有")) and not _CLAUSE_PUNCT.search(stripped.strip()[-12:]):
            continue  # an introducing line: 主要措施是 / 一要…
        end = doc.line_starts[index] + len(stripped)
        next_start = doc.line_starts[index + 1] + (len(following) - len(following.lstrip(" \t\u3000")))
        yield rule.finding(doc, end - 1, end, fix=Edit(end, next_start, ""),
                           message=rule.message.replace("{tail}", stripped.strip()[-6:])
                           .replace("{head}", next_stripped[:6]))
