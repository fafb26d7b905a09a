"""Kind `dates`: dates that cannot be right.

Checks (the rule's `check` parameter):

  weekday          a weekday that does not fall on its date: 2024年3月5日（星期三） (a Tuesday).
                   星期X / 周X / 礼拜X, in full- or half-width brackets or none; Arabic,
                   full-width or Chinese numerals (二〇二四年三月五日). A date without its
                   year takes the year of a full date earlier on its line (or the next one:
                   a range may cross New Year), else the document's year (lint_reports.core.year;
                   only a year from the text's own dates or from outside, never one from the
                   events it cites); with no year at all it is not judged.
  impossible       a date that does not exist: 2月30日, 4月31日, 3月32日, 13月5日, 2024年13月,
                   2月29日 in a year that is not a leap year (the year known as above). A
                   month alone (13月) or a day alone (32日) is a count as often as a date
                   (连续13月, 历时32日) and is not judged; nor is a lunar date (农历二月三十).
  signed-done      the signing date (落款, a line that is only a date, possibly after the
                   signer, among the last lines of the document or of a piece of a
                   compilation) earlier than something the text above it reports as done:
                   `已于2024年5月完成`, `于2024年5月召开了`, `2024年5月，…召开了`. Only those
                   clear past-tense forms; plans (计划于, 将于, 预计, 拟) are not.
  doc-number       a 文号 whose year is not in 六角括号 (GB/T 9704): 国办发[2024]3号,
                   京政发（2024）3号 -> 〔2024〕 (the fix). Only a year in brackets between an
                   issuer's code and a serial number with 号; （2024年） or a heading
                   【2024】 is no 文号, nor a court's case number （2024）京01民初3号.

Failing example (rule date-weekday):

    定于2024年3月5日（星期三）召开全县安全生产工作会议。

Passing example:

    定于2024年3月5日（星期二）召开全县安全生产工作会议。

Failing example (rule date-doc-number-brackets):

    根据《国务院办公厅关于…的通知》（国办发[2024]3号）要求，

Passing example:

    根据《国务院办公厅关于…的通知》（国办发〔2024〕3号）要求，
"""
from __future__ import annotations

import bisect
import calendar
import datetime
from typing import NamedTuple, Optional

from .era.knowledge import knowledge_from_data, scan_document
from ..core.finding import Edit
from ..core.structure import CN_DIGITS, chinese_number
from ..speed.lazyre import lazy_compile

KIND = "dates"


class DatesState(NamedTuple):
    """What prepare keeps of a dates rule."""
    check: str
    knowledge: object  # kinds.era.knowledge.Knowledge


PARAMS = {"check": str}
REQUIRED = ("check",)
CHECKS = ("weekday", "impossible", "signed-done", "doc-number")

_FULLWIDTH_DIGIT = lazy_compile("[０-９]")
_CN_NUMERAL = "〇○零一二三四五六七八九十"
_CN_COUNT = r"[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"  # 一 … 三十九 (validated after)
# Spaces inside a date, never a line break: a date does not run on into the next line.
_SP = r"[ \t\u3000]"
_YEAR = r"(?P<y>(?:19|20)\d\d|[一二][〇○零一二三四五六七八九]{3})" + _SP + "*年" + _SP + "*"
_MONTH = r"(?P<m>\d{1,2}|" + _CN_COUNT + r")" + _SP + "*月"
_DAY = r"(?P<d>\d{1,2}|" + _CN_COUNT + r")" + _SP + r"*(?P<unit>[日号])"
_DATE = lazy_compile(r"(?:" + _YEAR + r")?" + _MONTH + r"(?:" + _SP + "*" + _DAY + r")?")
# Not inside a longer number (12024年, 第十三月, 1.5月) and not a count run on from one.
# Tested on the character before a match, not by a lookbehind in the pattern: one there is
# tried at every position of the text, and it keeps `re` from skipping to a digit.
_NUMBER_BEFORE = frozenset("0123456789.．" + _CN_NUMERAL + "百千万第")
# 2024-03-05, 2024/3/5, 2024.3.5: a date only when a weekday follows (else a version, a code)
_ISO_DATE = lazy_compile(r"(?P<y>(?:19|20)\d\d)(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d.])")
_WEEKDAY = lazy_compile(_SP + r"*(?P<open>[（(]" + _SP + r"*)?(?P<wd>(?:星期|礼拜|周)(?P<w>[一二三四五六日天]))"
                      r"(?!" + _SP + r"*[至到~～—-]" + _SP + r"*(?:星期|礼拜|周))(?!年)")
_WEEKDAY_NAMES = "一二三四五六日"
_WEEKDAY_INDEX = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_LUNAR = lazy_compile(r"(?:农历|阴历|夏历|旧历)[^，。；\n]{0,3}$")


def prepare(rule, data) -> None:
    check = rule.params["check"]
    if check not in CHECKS:
        raise ValueError(f"'check' must be one of {', '.join(CHECKS)}")
    rule.state = DatesState(check, knowledge_from_data(data))


def check(ctx, rule):
    return _CHECKS[rule.state.check](ctx.doc, rule)


# ------------------------------------------------------------------ reading dates

def _number(text: str) -> Optional[int]:
    if text.isdigit():
        return int(text)
    if all(ch in CN_DIGITS for ch in text) and len(text) == 4:  # a year: 二〇二四
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    return chinese_number(text)


def _text_of(doc) -> str:
    """The prose with full-width digits read as ASCII: one character for one, so every
    offset is the document's own."""
    cached = doc.__dict__.get("_dates_text")
    if cached is None:
        cached = doc.prose
        if _FULLWIDTH_DIGIT.search(cached):  # str.translate of a long text is slow: only if needed
            cached = _FULLWIDTH_DIGIT.sub(lambda m: chr(ord(m.group()) - 0xFEE0), cached)
        doc.__dict__["_dates_text"] = cached
    return cached


class _Date:
    __slots__ = ("start", "end", "year", "month", "day", "unit")

    def __init__(self, start, end, year, month, day, unit):
        self.start, self.end = start, end
        self.year, self.month, self.day, self.unit = year, month, day, unit

    @classmethod
    def of(cls, m, day=None) -> "_Date":
        """From a match with groups y, m (and d, unit, or those of `day`)."""
        day = day or m
        groups = day.groupdict()
        return cls(m.start(), day.end(), _number(m.group("y")) if m.group("y") else None,
                   _number(m.group("m")), _number(groups["d"]) if groups.get("d") else None,
                   groups.get("unit"))

    def shown(self) -> str:
        year = f"{self.year}年" if self.year else ""
        day = f"{self.day}日" if self.day is not None else ""
        return f"{year}{self.month}月{day}"


# A date read back from its 月 (found with str.find, far faster than trying a pattern that
# starts with a number at every position of a long text): the year and month ending there,
# then the day after it.
_YEAR_MONTH_BEFORE = lazy_compile(r"(?:" + _YEAR + r")?" + _MONTH + r"\Z")
_DAY_AFTER = lazy_compile(_SP + "*" + _DAY)
_BACK = 16  # 2024 年 12 月 with spaces fits


def _is_date_at(text: str, start: int) -> bool:
    """Not inside a longer number (12024年, 第十三月, 1.5月), not a lunar date."""
    if start and text[start - 1] in _NUMBER_BEFORE:
        return False
    return not _LUNAR.search(text, max(0, start - 8), start)


def _dates(doc) -> list:
    """Every 年月日 / 月日 / 年月 date of the text, as _Date, in order (once per document)."""
    cached = doc.__dict__.get("_dates_found")
    if cached is not None:
        return cached
    text = _text_of(doc)
    found = []
    last_end = 0
    month = text.find("月")
    while month >= 0:
        m = _YEAR_MONTH_BEFORE.search(text, max(last_end, month - _BACK), month + 1)
        if m and _is_date_at(text, m.start()):
            date = _Date.of(m, _DAY_AFTER.match(text, month + 1))
            found.append(date)
            last_end = date.end
        month = text.find("月", month + 1)
    doc.__dict__["_dates_found"] = found
    return found


def _iso_dates(doc):
    text = _text_of(doc)
    for m in _ISO_DATE.finditer(text):
        if _is_date_at(text, m.start()):
            yield _Date.of(m)


class _Years:
    """The years a date without its own may be in: from a full date earlier on its line,
    else the document's (per piece of a compilation)."""

    def __init__(self, doc, rule):
        self.doc, self.rule = doc, rule
        self.scan = None
        self.line_year: dict = {}  # line -> (offset of the last full date seen, its year)

    def note(self, date: _Date) -> None:
        if date.year is not None:
            self.line_year[self.doc.position(date.start)[0]] = date.year

    def of(self, date: _Date) -> tuple:
        """((years…), where they come from) or ((), '')."""
        if date.year is not None:
            return (date.year,), ""
        line = self.doc.position(date.start)[0]
        if line in self.line_year:
            year = self.line_year[line]
            return (year, year + 1), f"按本行前文的 {year} 年"
        if self.scan is None:
            self.scan = scan_document(self.doc, self.rule.state.knowledge)
        _, decision = self.scan.decision_at(date.start)
        if not decision.dated:
            return (), ""
        return decision.years, f"按文档年份 {decision.year} 年（{decision.short}）"


# ------------------------------------------------------------------ weekday

def _weekday(doc, rule):
    yield from _weekdays(doc, rule, _dates(doc))
    yield from _weekdays(doc, rule, _iso_dates(doc))


def _weekdays(doc, rule, dates):
    text = _text_of(doc)
    years = _Years(doc, rule)
    for date in dates:
        years.note(date)
        if date.day is None:
            continue
        m = _WEEKDAY.match(text, date.end)
        if not m or not _exists(date.month, date.day, 2000):  # a date that does not exist is `impossible`'s
            continue
        candidates, why = years.of(date)
        candidates = [y for y in candidates if 1 <= y <= 9999 and _exists(date.month, date.day, y)]
        if not candidates:
            continue
        written = _WEEKDAY_INDEX[m.group("w")]
        if any(datetime.date(y, date.month, date.day).weekday() == written for y in candidates):
            continue
        year = candidates[0]
        actual = _WEEKDAY_NAMES[datetime.date(year, date.month, date.day).weekday()]
        prefix = m.group("wd")[:-1]
        where = f"（{why}）" if why else ""
        message = (rule.message.replace("{date}", f"{year}年{date.month}月{date.day}日")
                   .replace("{written}", m.group("wd")).replace("{actual}", prefix + actual)
                   .replace("{where}", where))
        # the weekday's span, not the date's: a date may carry a finding of its own
        # (date-signed-before-done), which one inside this one would hide
        yield rule.finding(doc, m.start("wd"), m.end(), message=message)


# ------------------------------------------------------------------ impossible

def _exists(month: int, day: int, year: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _impossible(doc, rule):
    years = _Years(doc, rule)
    for date in _dates(doc):
        years.note(date)
        why = ""
        if not 1 <= date.month <= 12:
            if date.day is None and date.year is None:
                continue  # 连续13月: a count, not a date
            problem = f"没有{date.month}月"
        elif date.day is None or date.unit != "日":
            continue  # 3月35号 may be a number (楼, 文件); 日 is a date's own
        elif not 1 <= date.day <= calendar.monthrange(2000, date.month)[1]:
            problem = f"{date.month}月没有{date.day}日" if date.day else "没有0日"
        elif date.month == 2 and date.day == 29:
            candidates, why = years.of(date)
            if not candidates or any(calendar.isleap(y) for y in candidates):
                continue
            problem = f"{candidates[0]}年不是闰年，2月没有29日"
        else:
            continue
        where = f"（{why}）" if why else ""
        message = rule.message.replace("{problem}", problem).replace("{where}", where)
        yield rule.finding(doc, date.start, date.end, message=message)


# ------------------------------------------------------------------ signed-done

_SIGN_TAIL = 8  # the signing date stands among the last lines of a piece
_MAX_DATE_LINES = 2  # a dateline under the title and the signing date
_SIGN_LINE = lazy_compile(
    r"^[^\d，。；：:,;!?！？、]{0,40}?[（(]?\s*" + _YEAR + _MONTH + r"(?:\s*" + _DAY + r")?\s*[）)]?\s*$")
# A site's label or stamp on the line: the page's date, not the document's.
_PAGE_LABEL = lazy_compile(r"来源|作者|编辑|发布|浏览|点击|阅读|更新|下载|时间|日期|www\.|https?://|[：:]")
_DONE_VERB = (r"(?:顺利|圆满|正式|全面|成功|如期|提前|基本|全部|胜利|隆重|已经|已){0,2}"
              r"(?P<verb>完成|召开|举办|举行|通过|印发|出台|建成|竣工|开通|投产|结束|落成|揭牌|挂牌|"
              r"验收|签订|签署|发布|颁布|闭幕)")
_DONE_AFTER = lazy_compile(_SP + r"*(?:[（(]?(?:星期|礼拜|周)[一二三四五六日天][）)]?" + _SP + r"*)?(?:[，,]" + _SP + r"*[^，。；！？\n]{0,12}?)?" + _DONE_VERB + r"(?P<le>了)?")
_ALREADY_BEFORE = lazy_compile(r"已(?:经)?" + _SP + "*于" + _SP + "*$")
_AT_BEFORE = lazy_compile(r"(?:[。；！？\n，,：:])\s*(?:[^，。；！？\n]{0,12}?于)?\s*$")
# a plan, a deadline or a condition anywhere in the clause: not a report of a thing done
_NOT_DONE = lazy_compile(r"将|计划|拟|预计|预定|力争|争取|确保|定于|准备|打算|如果|若|要求|应当|应于|须|必须|"
                       r"截至|截止|之前|以前|前|底|末|以来|期间|起|开始|以后|之后|后|目标|希望|可望|有望|争创|力求|要|未|没有")


def _date_only_line(doc, text, number: int):
    """The match of _SIGN_LINE on line `number` if it is only a date (maybe after a signer),
    and no page's stamp, else None."""
    start, end = doc.line_starts[number - 1], doc.line_end(number)
    line = text[start:end]
    m = _SIGN_LINE.match(line)
    return m if m and not _PAGE_LABEL.search(line) else None


def _sign_date(doc, text, part, dates, starts):
    """(_Date, line) of the signing date of `part`, or None. Not in a piece with more than
    _MAX_DATE_LINES lines that are only a date: a chronology (大事记), a list of dated
    entries, where the last such line is one entry (perhaps the oldest)."""
    seen = 0
    for number in range(part.end_line, part.start_line, -1):
        start, end = doc.line_starts[number - 1], doc.line_end(number)
        if not text[start:end].strip():
            continue
        seen += 1
        if seen > _SIGN_TAIL:
            return None
        m = _date_only_line(doc, text, number)
        if m:
            break
    else:
        return None
    low, high = doc.line_starts[part.start_line - 1], doc.line_end(part.end_line)
    lines = {doc.position(date.start)[0]
             for date in dates[bisect.bisect_left(starts, low):bisect.bisect_left(starts, high)]}
    if sum(1 for line in lines if _date_only_line(doc, text, line)) > _MAX_DATE_LINES:
        return None
    found = _DATE.search(text, start + m.start("y"), end)
    return (_Date.of(found), number) if found else None


def _later(done: _Date, signed: _Date) -> bool:
    """`done` lies after `signed` at the precision both give."""
    if (done.year, done.month) != (signed.year, signed.month):
        return (done.year, done.month) > (signed.year, signed.month)
    return done.day is not None and signed.day is not None and done.day > signed.day


def _signed_done(doc, rule):
    from ..core.year import parts_of

    text = _text_of(doc)
    dates = _dates(doc)
    starts = [date.start for date in dates]
    for part in parts_of(doc):
        sign = _sign_date(doc, text, part, dates, starts)
        if sign is None:
            continue
        signed, sign_line = sign
        if signed.year is None or not 1 <= signed.month <= 12:
            continue
        low, high = doc.line_starts[part.start_line - 1], doc.line_starts[sign_line - 1]
        for done in dates[bisect.bisect_left(starts, low):bisect.bisect_left(starts, high)]:
            if done.year is None or not 1 <= done.month <= 12 or not _later(done, signed):
                continue
            verb = _done_verb(text, done, low)
            if verb is None:
                continue
            message = (rule.message.replace("{done}", done.shown()).replace("{verb}", verb)
                       .replace("{signed}", signed.shown()).replace("{line}", str(sign_line)))
            yield rule.finding(doc, done.start, done.end, message=message)


def _done_verb(text: str, date: _Date, low: int) -> Optional[str]:
    """The verb if the clause around `date` reports it as done, else None."""
    first = max(low, date.start - 24)
    # the clause's start: a mark, or the start of the piece (read as a line break)
    before = ("\n" if first == low else "") + text[first:date.start]
    clause_start = max(before.rfind(mark) for mark in "。；！？\n，,") + 1
    clause_before = before[clause_start:]
    after = _DONE_AFTER.match(text, date.end)
    if after is None:
        return None
    gap = text[date.end:after.start("verb")]
    if _NOT_DONE.search(clause_before) or _NOT_DONE.search(gap):
        return None
    already = _ALREADY_BEFORE.search(before) is not None
    if not already and not (after.group("le") and _AT_BEFORE.search(before)):
        return None
    return after.group("verb")


# ------------------------------------------------------------------ doc-number

# the year in brackets and the serial number; the issuer's code before it is tested on the
# characters themselves (a pattern starting with any Chinese character is tried everywhere)
_DOC_NUMBER = lazy_compile(
    r"(?P<open>[\[(（【［〔])[ \u3000]*(?P<y>(?:19|20)\d\d)[ \u3000]*(?P<close>[\])）】］〕])"
    r"[ \u3000]*第?[ \u3000]*\d{1,5}[ \u3000]*号(?![楼院线口门库井台机车位室])")
# an issuer's code ends in a character of a name, not in a word that runs on into a date
_NOT_ISSUER = frozenset("年月日时的了在于和与及或为是第至到从自起")


def _issuer_before(text: str, offset: int) -> bool:
    """A Chinese character (an issuer's code: 国办发, 京政字) ends just before `offset`,
    maybe with one space between."""
    if offset and text[offset - 1] in " \u3000":
        offset -= 1
    if not offset:
        return False
    before = text[offset - 1]
    return "\u4e00" <= before <= "\u9fff" and before not in _NOT_ISSUER


def _doc_number(doc, rule):
    text = _text_of(doc)
    for m in _DOC_NUMBER.finditer(text):
        opening, closing = m.group("open"), m.group("close")
        if (opening, closing) == ("〔", "〕") or not _issuer_before(text, m.start()):
            continue
        start, end = m.start("open"), m.end("close")
        inner = doc.text[m.end("open"):m.start("close")]
        replacement = f"〔{inner}〕"
        message = rule.message.replace("{brackets}", opening + closing)
        yield rule.finding(doc, start, end, message=message, fix=Edit(start, end, replacement),
                           suggestion=replacement)


_CHECKS = {"weekday": _weekday, "impossible": _impossible, "signed-done": _signed_done,
           "doc-number": _doc_number}
