"""The year a document (and each piece of a compilation) speaks from, with a reason.

Evidence, strongest first (PRECEDENCE; --explain-year lists what it found of each):
  1. config: a year given from outside: `--year`, then per-file config, then `year:` in the config;
  2. front-matter: Markdown front matter `date:` (or `year:`);
  3. title: the title of the piece: `2022年工作总结`, `二〇二二年…`;
  4. date-line: the dateline of a speech or 政府工作报告 (`——2018年3月5日在…会议上`) under a
     scraped page's furniture; else a line that is only a date, the signing date (落款)
     `2022年3月15日`, `二〇二二年三月十五日`, possibly after the signer (the last such line wins);
  5. body: dates in the body: the latest full date (`2022年3月`, `2022-05-01`, `截至2022年底`,
     `现就2022年…`, `2022年度`); without one, the most frequent plain year (a year in a
     document number or a 《title》, `2023年工作计划`, counts as plain); a historical date
     (`1921年`, ranges `2008-2012年`, targets `到2035年`) counts not at all, nor does a page's
     own stamp (a site label or address on the date's line, `时间：`, the reader's clock), and
     `2008年以来` only says the document is not older than 2008;
     (a piece of a compilation without its own date falls back to the compilation's title,
     then to the file name);
  6. filename: `2022年工作总结.txt`, `report_2022.md`, `2022-03-15-总结.md` (a year in a
     hash or a word, or a range `2021-2025`, is not one). After the text's own dates: a
     template downloaded from a 范文 site keeps the site's file name and its old year;
  7. anniversary: an anniversary the text says is this year (`今年是建党100周年` -> 2021);
  8. events: the latest dated event the text mentions (citing 二十大 means 2022 or later).
An inferred year (2–7) is never earlier than the latest event the text mentions (8); a
year given from outside (1) always stands. A text reviewing a year (a summary titled 2023,
signed 2024年1月; `2015年工作回顾`) may also speak from the next one: `YearDecision.also`.
"""
from __future__ import annotations

import bisect
import datetime
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath
from typing import Optional

from .structure import CN_DIGITS
from ..speed.lazyre import lazy_compile

PRECEDENCE = ("config", "front-matter", "title", "date-line", "body", "filename", "anniversary", "events")
SOURCE_LABELS = {
    "config": "据配置", "front-matter": "据 front matter", "title": "据标题", "date-line": "据日期行",
    "filename": "据文件名", "body": "据正文日期",
    "anniversary": "据正文“今年是…周年”", "events": "据文中提及的事件",
}
_LATEST_PLAUSIBLE = datetime.date.today().year + 1

_CN_YEAR = lazy_compile(r"([一二][〇○零一二三四五六七八九]{3})\s*年")
# Not after a digit or a dot. The lookbehind follows the literal 19/20 (it looks back over
# them at the character before) so that the regex engine can skip ahead to a 1 or a 2:
# a leading lookbehind is tried at every position of the text (4x slower on a long text).
_YEAR = lazy_compile(r"((?:19|20)(?<![\d.]..)\d\d)(?!\d)")
_STRONG_AFTER = lazy_compile(r"^\s*(?:年\s*(?:度|\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月|上半年|下半年|第[一二三四]季度|[一二三四]季度|底|末|初|年初|工作|是|以来至今)|[-/.．]\d{1,2}[-/.．]\d{1,2})")
_STRONG_BEFORE = lazy_compile(r"(?:截至|截止|截止到|现就|今年|本年|是)\s*$")
_TARGET_BEFORE = lazy_compile(r"(?:(?<![截止])到|(?<![截止])至|力争|预计|展望)\s*$")
# "2023年工作打算" in a 2022 summary is next year's plan, not the writing year
_TARGET_AFTER = lazy_compile(r"^\s*年?\s*(?:前|远景|愿景|目标|(?:度?工作)?(?:打算|思路|设想|展望))")
# “2021年工作计划” is the next year's part of a 2020 summary, or the plan's own year: a
# plain year, not a dated one
_PLAN_AFTER = lazy_compile(r"^\s*年\s*度?工作(?:计划|要点|安排)")
_SINCE_AFTER = lazy_compile(r"^\s*年?\s*(?:以来|来|至今)")
_RANGE_AFTER = lazy_compile(r"^\s*年?\s*[-—–~～至到]\s*(?:(?:19|20)\d\d|\d\d\s*年)")
# A page's download or publishing stamp (2024-11-25下载文档…, 2006年02月16日　　来源：新华社)
# is not the report's date.
_STAMP_AFTER = lazy_compile(r"^[\d\-/.:：\s年月日时分秒]*(?:下载|发布|浏览|阅读|更新|来源|作者|编辑|点击)")
_STAMP_BEFORE = lazy_compile(r"(?:发布|更新|浏览|下载|阅读|时间|日期)[：:]?\s*$")
_RANGE_BEFORE = lazy_compile(r"(?:19|20)\d\d\s*年?\s*[-—–~～至到]\s*$")
_DOC_NUMBER = lazy_compile(r"^[〕\]】)）]\s*\d+\s*号")
_FILENAME_YEAR = lazy_compile(r"(?<![0-9A-Za-z])((?:19|20)\d\d)(?![0-9A-Za-z])")
_CN_DAY = "[一二三四五六七八九十]{1,3}"
_DATE_LINE = lazy_compile(
    r"^[^\d，。；：:,;!?！？、（）()]{0,40}?\s*(?:(?P<y>(?:19|20)\d\d)\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"
    r"|(?P<cy>[一二][〇○零一二三四五六七八九]{3})\s*年\s*" + _CN_DAY + r"\s*月(?:\s*" + _CN_DAY + r"\s*日)?"
    r"|(?P<iy>(?:19|20)\d\d)[-/.]\d{1,2}[-/.]\d{1,2})"
    # the dateline of a speech or a government work report: ——2018年3月5日在…会议上（的讲话）
    r"\s*(?:(?<=日)\s*在[^。；]{2,60}?(?:会议|大会|会)上(?:的(?:讲话|报告|发言))?)?\s*$")
_DATELINE_HEAD, _DATELINE_TAIL = 4, 8
_SPEECH_DATELINE_LINES = 120
# The dateline of a speech or a 政府工作报告, wherever the page put it (a scraped page has its
# widgets, breadcrumbs and stamps above the title): ——1999年3月5日在第九届全国人民代表大会
# 第二次会议上, （2023年1月12日在…大会上的报告）. Only the line's own words: a date alone in
# the middle of a report is a chronology entry, but this form names the delivery itself.
_SPEECH_DATELINE = lazy_compile(
    r"^[^\d，。；：:,;!?！？、]{0,40}?[（(]?\s*(?:——|—|－－|--|-)?\s*"
    r"(?:(?P<y>(?:19|20)\d\d)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|(?P<cy>[一二][〇○零一二三四五六七八九]{3})\s*年\s*" + _CN_DAY + r"\s*月\s*" + _CN_DAY + r"\s*日)"
    r"\s*在[^。；]{2,60}?(?:会议|大会|会)上?(?:的(?:讲话|报告|工作报告|发言))?\s*[）)]?\s*$")
# A site's own label or address on the line of a date: the page's stamp, not the report's
# (中央政府门户网站　www.gov.cn　2006年02月16日　来源：新华社; 发布时间 2026-02-11).
_PAGE_LABEL = lazy_compile(r"(?:来源|作者|编辑|发布|发布者|浏览|浏览次数|点击|点击数|阅读|阅读次数|索引号)\s*[：:]|"
                         r"(?:更新|发布|录入|上传|发稿)(?:时间|日期)|www\.|https?://|【字[体号]|门户网站")
# A label whose value stands on the next line (时间： / 2026-02-11): its date is the page's.
_LABEL_LINE = lazy_compile(r"^\s*\S{1,8}\s*[：:]\s*$")
_FULL_DATE_AFTER = lazy_compile(r"^\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[-/.]\d{1,2}[-/.]\d{1,2})")
# A line that is only a date and a time, maybe a weekday (2023-11-05 11:00:00 星期日).
_CLOCK_ONLY = lazy_compile(r"^\s*(?:今天是|今天|今日|当前时间|现在时间)?[：:\s]*[\d\s\-/.:：年月日时分秒]*"
                         r"(?:星期|周|礼拜)?[一二三四五六日天]?\s*$")
# …and in the body: 今天是 2025年 05月 22日 星期四 over a 2012 page is the reader's day
_CLOCK_BEFORE = lazy_compile(r"(?:今天是|今天|今日)\s*$")
_CLOCK_AFTER = lazy_compile(r"^\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*[（(]?(?:星期|周|礼拜)[一二三四五六日天]")
_REVIEW_TITLE = lazy_compile(r"总结|回顾|述职|汇报|报告")
_LITERAL_ESCAPE = lazy_compile(r"<U\+[0-9A-Fa-f]{4,6}>")  # a scraper's <U+00A0> for a space
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_YEAR_WORD_AFTER = lazy_compile(r"^\s*(?:年|[-/.．]\d{1,2}[-/.．]\d{1,2})")


@dataclass
class YearDecision:
    year: Optional[int]
    source: Optional[str]  # config | front-matter | title | body | anniversary | events | None
    detail: str  # what the evidence was, for --explain-year
    line: Optional[int] = None
    considered: tuple = ()  # every piece of evidence found, when asked for (--explain-year)
    # Another year the text speaks from: a summary titled 2023年 and signed 2024年1月 reviews
    # 2023 and is delivered in 2024 (its 今年是…周年 may be 2024's). A reference is stale only
    # if it is stale in every one of `years`.
    also: tuple = ()

    @property
    def years(self) -> tuple:
        return (self.year,) + tuple(y for y in self.also if y != self.year) if self.year is not None else ()

    @property
    def short(self) -> str:
        if self.source == "config":
            return f"据{self.detail}"
        return SOURCE_LABELS.get(self.source, "")

    @property
    def explained(self) -> str:
        if self.year is None:
            return "无法判断（只做与年份无关的检查）"
        if self.source == "config":
            return f"{self.year}（{self.short}）"
        where = f"，第{self.line}行" if self.line else ""
        return f"{self.year}（{self.short}：{self.detail}{where}）"

    @property
    def also_explained(self) -> str:
        """Why another year counts too (only “今年是…周年” can differ: a reference stale in
        a year is stale in every later one)."""
        if not self.also:
            return ""
        years = "、".join(str(y) for y in self.also)
        return f"“今年是…周年”也按 {years} 年判断（回顾一年的文字常在次年年初写成或报告）"

    @property
    def dated(self) -> bool:
        """A year from the text's own dates or from outside, not only from the events it cites."""
        return self.year is not None and self.source != "events"


def _cn_year(text: str) -> int:
    return int("".join(str(CN_DIGITS[ch]) for ch in text))


def year_in_title(title: Optional[str]) -> Optional[int]:
    if not title or _PAGE_LABEL.search(title) or _CLOCK_ONLY.match(title):
        return None  # 发布时间：2019-05-06 or a page's clock at its head is no title
    title = _ascii_digits(title)
    for m in _YEAR.finditer(title):
        if _YEAR_WORD_AFTER.match(title[m.end():]) and not _RANGE_AFTER.match(title[m.end():]):
            year = int(m.group(1))
            if 1949 <= year <= _LATEST_PLAUSIBLE:
                return year
    m = _CN_YEAR.search(title)
    if m:
        year = _cn_year(m.group(1))
        if 1949 <= year <= _LATEST_PLAUSIBLE:
            return year
    return None


def body_years(text: str) -> tuple:
    """({year: count} of dated years, {year: count} of plain years, floor or None,
    {year: first offset}) from the body's dates."""
    strong: Counter = Counter()
    scores: Counter = Counter()
    floor = None
    first: dict = {}
    for m in _YEAR.finditer(text):
        year = int(m.group(1))
        after = text[m.end():m.end() + 12]
        before = text[max(0, m.start() - 6):m.start()]
        if not _YEAR_WORD_AFTER.match(after) and not _DOC_NUMBER.match(after):
            continue  # 2022 as a plain number (2022人), not a year
        if year < 1978 or year > _LATEST_PLAUSIBLE:
            continue  # historical dates, birth years; or a far target
        if _RANGE_AFTER.match(after) or _RANGE_BEFORE.search(before):
            continue
        if _STAMP_AFTER.match(text[m.end():m.end() + 16]) or _STAMP_BEFORE.search(before):
            continue
        if _FULL_DATE_AFTER.match(after) and _on_page_line(text, m.start(), m.end()):
            continue
        if _CLOCK_BEFORE.search(before) and _CLOCK_AFTER.match(text[m.end():m.end() + 20]):
            continue
        if _TARGET_BEFORE.search(before) or _TARGET_AFTER.match(after):
            continue
        if _SINCE_AFTER.match(after):
            floor = max(floor or 0, year)
            first.setdefault(year, m.start())
            continue
        quoted = before.rfind("《") > before.rfind("》") or _DOC_NUMBER.match(after)
        if not quoted and (_STRONG_AFTER.match(after) or _STRONG_BEFORE.search(before)) \
                and not _PLAN_AFTER.match(after):
            strong[year] += 1
        else:
            scores[year] += 1
        first.setdefault(year, m.start())
    for m in _CN_YEAR.finditer(text):
        year = _cn_year(m.group(1))
        if 1978 <= year <= _LATEST_PLAUSIBLE and not _TARGET_BEFORE.search(text[max(0, m.start() - 6):m.start()]):
            strong[year] += 1
            first.setdefault(year, m.start())
    return strong, scores, floor, first


def _on_page_line(text: str, start: int, end: int) -> bool:
    """A site label or address near `text[start:end]` on its own line: a page's stamp."""
    low, high = max(0, start - 60), min(len(text), end + 60)
    newline = text.rfind("\n", low, start)
    low = newline + 1 if newline >= 0 else low
    newline = text.find("\n", end, high)
    high = newline if newline >= 0 else high
    return _PAGE_LABEL.search(text, low, high) is not None


def _ascii_digits(text: str) -> str:
    """Full-width digits (２００９年３月５日, as a news agency's page has them) as ASCII:
    one character for one, so offsets stay."""
    return text.translate(_FULLWIDTH_DIGITS) if "２" in text or "１" in text else text


def _line_of(doc, first_line: int, offset: int) -> int:
    return doc.position(doc.line_starts[first_line - 1] + offset)[0]


def decide(doc, part, mentions, doc_title_year: Optional[int] = None, *, every: bool = False) -> YearDecision:
    """The year `part` of `doc` speaks from; `mentions` are the era mentions inside it.

    The first piece of evidence in PRECEDENCE wins, then the events the text cites raise it
    (an inferred year is never earlier than them). With `every`, the decision also lists
    all the evidence found (`considered`), for --explain-year."""
    found = []
    chosen = None
    for candidate in _evidence(doc, part, mentions, doc_title_year):
        if chosen is None:
            chosen = candidate
        found.append(candidate)
        if not every:
            break
    event = latest_event(mentions)
    floor = None
    if event is not None:
        detail = f"{_unquoted(event.text)}（{event.fact.start[0]}年）"
        if event.event_year < event.fact.start[0]:
            detail = f"{_unquoted(event.text)}（{event.fact.start[0]}年起，前一年已提出）"
        floor = YearDecision(event.event_year, "events", detail, doc.position(event.start)[0])
        found.append(floor)
    decision = chosen
    if floor is not None and (chosen is None or chosen.source != "config" and chosen.year < floor.year):
        decision = YearDecision(floor.year, "events",
                                floor.detail + (f"，晚于{chosen.short}的 {chosen.year} 年" if chosen else ""),
                                floor.line)
    decision = decision or YearDecision(None, None, "")
    if decision.source == "title":
        # A summary of a year (2023年工作总结, 述职报告) is often written early the next one:
        # its 今年是…周年 may be the next year's. (For everything else a later year changes
        # nothing: a reference stale in the title's year is stale in the next one too.)
        signed = next((e for e in found if e.source == "date-line"), None) if every else _date_line(doc, part)
        if signed is not None and signed.year == decision.year + 1 or _REVIEW_TITLE.search(part.title or ""):
            decision.also = (decision.year + 1,)
    decision.considered = tuple(found) if every else ()
    return decision


def latest_event(mentions):
    """The mention with the latest event_year (the first of them), or None: the same as
    max over those with an event_year by (event_year, -start), but classifying only the
    candidates from the latest down until one is not an anticipated (“ahead”) event."""
    candidates = [m for m in mentions if m.event_year_unless_ahead]
    candidates.sort(key=lambda m: (m.event_year_unless_ahead, -m.start), reverse=True)
    for mention in candidates:
        if mention.use != "ahead":
            return mention
    return None


def _unquoted(text: str) -> str:
    return "".join(ch for ch in text if ch not in "“”\"'‘’「」『』")


def _evidence(doc, part, mentions, doc_title_year):
    """Every piece of year evidence for `part`, strongest first (see PRECEDENCE)."""
    if doc.configured_year:
        yield YearDecision(doc.configured_year, "config", doc.configured_year_reason or "配置")
    front = _front_matter_year(doc)
    if front:
        yield front
    title_year = year_in_title(part.title)
    if title_year:
        yield YearDecision(title_year, "title", f"“{part.title}”", part.title_line)
    dated = _date_line(doc, part)
    if dated:
        yield dated
    body = _from_body(doc, part)
    if body:
        yield body
    named = year_in_filename(doc.path)
    if named and not _is_piece(doc, part):
        yield YearDecision(named, "filename", f"“{PurePath(doc.path).name}”")
    if doc_title_year and _is_piece(doc, part):
        title_line, title = doc.structure.title
        yield YearDecision(doc_title_year, "title", f"汇编标题“{title}”", title_line)
    if named and _is_piece(doc, part):
        yield YearDecision(named, "filename", f"汇编文件名“{PurePath(doc.path).name}”")
    anniversary = _from_anniversary(doc, mentions)
    if anniversary:
        yield anniversary


def _is_piece(doc, part) -> bool:
    return part.start_line != 1 or part.end_line < len(doc.lines)


def _front_matter_year(doc) -> Optional[YearDecision]:
    front = doc.front_matter if isinstance(doc.front_matter, dict) else {}
    for key in ("date", "year"):
        value = front.get(key)
        if value is None:
            continue
        m = _YEAR.search(str(value))
        if m and 1949 <= int(m.group(1)) <= _LATEST_PLAUSIBLE:
            line = next((i + 1 for i, text in enumerate(doc.lines[:doc.front_matter_end or 0])
                         if re.match(rf"\s*{key}\s*:", text)), 1)
            return YearDecision(int(m.group(1)), "front-matter", f"{key}: {value}", line)
    return None


def year_in_filename(path: str) -> Optional[int]:
    """`2022年工作总结.txt`, `report-2022.md`, `2022-03-15-summary.md` -> 2022. A year inside
    a word or a hash (`a2019f`) or a range (`2021-2025规划`) is not one."""
    name = PurePath(path).name
    years = []
    for m in _FILENAME_YEAR.finditer(name):
        if _RANGE_AFTER.match(name[m.end():]):
            return None
        year = int(m.group(1))
        if 1949 <= year <= _LATEST_PLAUSIBLE:
            years.append(year)
    if not years:
        m = _CN_YEAR.search(name)
        return _cn_year(m.group(1)) if m else None
    return years[0] if len(set(years)) == 1 else None


def _date_line(doc, part) -> Optional[YearDecision]:
    """The signing date (落款) or dateline.

    First the dateline of a speech or 政府工作报告 (`——2018年3月5日在…会议上`) anywhere in
    the piece: a scraped page puts its widgets and stamps above the title, and that form
    names the delivery itself. Else a line that is only a date, possibly after the signer's
    name (`中共××县委组织部 2022年3月15日`, `二〇二二年三月十五日`), among the last lines of
    the piece (the signature) or the first ones (a dateline under the title); a date alone
    on a line in the middle is a chronology entry. The last one wins. A page's stamp is
    never one: a line with a site label (`发布时间 2026-02-11`) or the value of a label line
    above it (`时间：` / `2026-02-11`)."""
    speech = _speech_dateline(doc, part)
    if speech:
        return speech
    head = range(min(part.start_line + _DATELINE_HEAD, part.end_line), part.start_line - 1, -1)
    tail = range(part.end_line, max(part.start_line + _DATELINE_HEAD, part.end_line - _DATELINE_TAIL), -1)
    lines = doc.prose_lines
    for number in list(tail) + list(head):
        line = _ascii_digits(lines[number - 1]) if number <= len(lines) else ""
        m = _DATE_LINE.match(line)
        if not m or _PAGE_LABEL.search(line) or _after_label_line(lines, number, part.start_line):
            continue
        digits = m.group("y") or m.group("iy")
        year = int(digits) if digits else _cn_year(m.group("cy"))
        if 1949 <= year <= _LATEST_PLAUSIBLE:
            return YearDecision(year, "date-line", f"“{line.strip()}”", number)
    return None


def _after_label_line(lines, number: int, first: int) -> bool:
    """The previous non-blank line of the piece is a label waiting for its value (时间：)."""
    for previous in range(number - 1, max(first, number - 3) - 1, -1):
        if lines[previous - 1].strip():
            return _LABEL_LINE.match(lines[previous - 1]) is not None
    return False


def _speech_dateline(doc, part) -> Optional[YearDecision]:
    """The first line of the piece that is a speech's dateline (see _date_line). Found from
    the literal 日在 of every such line (…3月5日在…), not by trying every line; a dateline
    the page broke in two (`——2021年2月27日在沙沟镇第十六届人民代表大会` / `第六次会议上`)
    is read joined."""
    prose = doc.prose
    start = doc.line_starts[part.start_line - 1]
    # under the title, below a page's furniture: not a dateline quoted deep in a long text
    end = doc.line_end(min(part.end_line, part.start_line + _SPEECH_DATELINE_LINES))
    hit = prose.find("日在", start, end)
    while hit >= 0:
        number = doc.position(hit)[0]
        line = prose[doc.line_starts[number - 1]:doc.line_end(number)]
        candidates = [line]
        if number < part.end_line:
            candidates.append(line.rstrip() + prose[doc.line_starts[number]:doc.line_end(number + 1)].strip())
        for candidate in candidates:
            m = _SPEECH_DATELINE.match(_ascii_digits(_LITERAL_ESCAPE.sub(" ", candidate)))
            if m:
                year = int(m.group("y")) if m.group("y") else _cn_year(m.group("cy"))
                if 1949 <= year <= _LATEST_PLAUSIBLE:
                    shown = " ".join(_LITERAL_ESCAPE.sub(" ", candidate).split())
                    return YearDecision(year, "date-line", f"“{shown}”", number)
        hit = prose.find("日在", doc.line_end(number), end)
    return None


def _from_body(doc, part) -> Optional[YearDecision]:
    first_line = part.start_line
    if part.title_line == first_line and first_line < part.end_line:
        first_line += 1  # the title is evidence of its own
    start = doc.line_starts[first_line - 1]
    end_line = part.end_line
    end = doc.line_end(end_line)
    text = _ascii_digits(doc.prose[start:end])
    strong, scores, floor, first = body_years(text)
    if strong or scores:
        # A report reviews earlier years by month and day too: the latest full date is when it
        # speaks; plain years (in titles of other documents, numbers) only when nothing else.
        best = max(strong) if strong else max(scores.items(), key=lambda item: (item[1], item[0]))[0]
        if floor and floor > best:
            best = floor
        line = _line_of(doc, first_line, first[best])
        # “一、2015年工作回顾”: a report that reviews a year is often delivered the next one
        also = (best + 1,) if best + 1 <= _LATEST_PLAUSIBLE and re.search(
            rf"{best}\s*年(?:度)?(?:工作)?(?:回顾|总结)|回顾\s*{best}\s*年", text) else ()
        return YearDecision(best, "body", f"“{best}年”", line, also=also)
    if floor:
        return YearDecision(floor, "body", f"“{floor}年以来”", _line_of(doc, first_line, first[floor]))
    return None


def _from_anniversary(doc, mentions) -> Optional[YearDecision]:
    now = [m for m in mentions if m.fact.kind == "anniversary_base" and m.use == "current"
           and re.search(r"今年(?:是|为|正值|恰逢|适逢)", doc.prose[max(0, m.start - 12):m.start])]
    if now:
        mention = now[0]
        return YearDecision(mention.implied_year, "anniversary", f"“{mention.text}”",
                            doc.position(mention.start)[0])
    return None


def parts_of(doc) -> list:
    """The pieces judged one by one: a compilation's parts, else the whole document."""
    structure = doc.structure
    if structure.is_compilation and len(structure.parts) > 1:
        return list(structure.parts)
    from .structure import Part

    title_line, title = structure.title
    return [Part(1, max(1, len(doc.lines)), title, title_line)]


def decide_parts(doc, knowledge, mentions, *, every: bool = False) -> list:
    """[(Part, YearDecision)] for every piece of the document."""
    parts = parts_of(doc)
    _, title = doc.structure.title
    doc_title_year = year_in_title(title)
    decisions = []
    starts = [m.start for m in mentions]
    in_order = all(a <= b for a, b in zip(starts, starts[1:]))
    for part in parts:
        first = doc.line_starts[part.start_line - 1]
        last = doc.line_end(part.end_line)
        if in_order:  # a slice by bisection: a filter per part was quadratic in a compilation
            inside = mentions[bisect.bisect_left(starts, first):bisect.bisect_left(starts, last)]
        else:
            inside = [m for m in mentions if first <= m.start < last]
        decisions.append((part, decide(doc, part, inside, doc_title_year, every=every)))
    return decisions
