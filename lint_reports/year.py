"""The year a document (and each piece of a compilation) speaks from, with a reason.

Evidence, strongest first:
  1. a year given from outside: `--year`, `year:` in the config, per-file config;
  2. Markdown front matter `date:`;
  3. the title (of the piece, then of the compilation): `2022年工作总结`, `二〇二二年…`;
  4. dates in the body: the latest full date (`2022年3月`, `2022-05-01`, `截至2022年底`,
     `现就2022年…`, `2022年度`); without one, the most frequent plain year (a year in a
     document number or a 《title》 counts as plain); a historical date (`1921年`, ranges
     `2008-2012年`, targets `到2035年`, a web page's download stamp) counts not at all, and
     `2008年以来` only says the document is not older than 2008;
  5. an anniversary the text says is this year (`今年是建党100周年` -> 2021);
  6. the latest dated event the text mentions (citing 二十大 means 2022 or later).
An inferred year is never earlier than the latest event the text mentions.
"""
from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass
from typing import Optional

from .structure import CN_DIGITS

SOURCE_LABELS = {
    "config": "据配置", "front-matter": "据 front matter", "title": "据标题", "body": "据正文日期",
    "anniversary": "据正文“今年是…周年”", "events": "据文中提及的事件",
}
_LATEST_PLAUSIBLE = datetime.date.today().year + 1

_CN_YEAR = re.compile(r"([一二][〇○零一二三四五六七八九]{3})\s*年")
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?!\d)")
_STRONG_AFTER = re.compile(r"^\s*(?:年\s*(?:度|\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月|上半年|下半年|第[一二三四]季度|[一二三四]季度|底|末|初|年初|工作|是|以来至今)|[-/.．]\d{1,2}[-/.．]\d{1,2})")
_STRONG_BEFORE = re.compile(r"(?:截至|截止|截止到|现就|今年|本年|是)\s*$")
_TARGET_BEFORE = re.compile(r"(?:(?<![截止])到|(?<![截止])至|力争|预计|展望)\s*$")
_TARGET_AFTER = re.compile(r"^\s*年?\s*(?:前|远景|愿景|目标)")
_SINCE_AFTER = re.compile(r"^\s*年?\s*(?:以来|来|至今)")
_RANGE_AFTER = re.compile(r"^\s*年?\s*[-—–~～至到]\s*(?:(?:19|20)\d\d|\d\d\s*年)")
# A page's download or publishing stamp (2024-11-25下载文档…) is not the report's date.
_STAMP_AFTER = re.compile(r"^[\d\-/.: 年月日]*(?:下载|发布|浏览|阅读|更新|来源)")
_STAMP_BEFORE = re.compile(r"(?:发布|更新|浏览|下载|阅读|时间|日期)[：:]?\s*$")
_RANGE_BEFORE = re.compile(r"(?:19|20)\d\d\s*年?\s*[-—–~～至到]\s*$")
_DOC_NUMBER = re.compile(r"^[〕\]】)）]\s*\d+\s*号")
_YEAR_WORD_AFTER = re.compile(r"^\s*(?:年|[-/.．]\d{1,2}[-/.．]\d{1,2})")


@dataclass
class YearDecision:
    year: Optional[int]
    source: Optional[str]  # config | front-matter | title | body | anniversary | events | None
    detail: str  # what the evidence was, for --explain-year
    line: Optional[int] = None

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
    def dated(self) -> bool:
        """A year from the text's own dates or from outside, not only from the events it cites."""
        return self.year is not None and self.source != "events"


def _cn_year(text: str) -> int:
    return int("".join(str(CN_DIGITS[ch]) for ch in text))


def year_in_title(title: Optional[str]) -> Optional[int]:
    if not title:
        return None
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
        if _TARGET_BEFORE.search(before) or _TARGET_AFTER.match(after):
            continue
        if _SINCE_AFTER.match(after):
            floor = max(floor or 0, year)
            first.setdefault(year, m.start())
            continue
        quoted = before.rfind("《") > before.rfind("》") or _DOC_NUMBER.match(after)
        if not quoted and (_STRONG_AFTER.match(after) or _STRONG_BEFORE.search(before)):
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


def _line_of(doc, part, offset_in_part: int) -> int:
    start = doc.line_starts[part.start_line - 1]
    return doc.position(start + offset_in_part)[0]


def decide(doc, part, mentions, doc_title_year: Optional[int] = None) -> YearDecision:
    """The year `part` of `doc` speaks from; `mentions` are the era mentions inside it."""
    if doc.configured_year:
        return YearDecision(doc.configured_year, "config", doc.configured_year_reason or "配置")
    front = doc.front_matter.get("date") if isinstance(doc.front_matter, dict) else None
    if front is not None:
        m = _YEAR.search(str(front))
        if m:
            return YearDecision(int(m.group(1)), "front-matter", f"date: {front}", 1)
    events = [(m.event_year, m) for m in mentions if m.event_year]
    event_year, event = max(events, key=lambda e: (e[0], -e[1].start)) if events else (None, None)
    title_year = year_in_title(part.title)
    if title_year:
        return YearDecision(title_year, "title", f"“{part.title}”", part.title_line)
    decision = _from_body(doc, part, mentions)
    if decision is None and doc_title_year:
        title_line, title = doc.structure.title
        decision = YearDecision(doc_title_year, "title", f"汇编标题“{title}”", title_line)
    if event_year and (decision is None or decision.year < event_year):
        line = doc.position(event.start)[0]
        detail = f"{event.text}（{event.fact.start[0]}年）"
        if decision is not None:
            detail += f"，晚于{decision.short}的 {decision.year} 年"
        return YearDecision(event_year, "events", detail, line)
    return decision or YearDecision(None, None, "")


def _from_body(doc, part, mentions) -> Optional[YearDecision]:
    start = doc.line_starts[part.start_line - 1]
    end_line = part.end_line
    end = doc.line_starts[end_line - 1] + len(doc.lines[end_line - 1])
    text = doc.prose[start:end]
    strong, scores, floor, first = body_years(text)
    if strong or scores:
        # A report reviews earlier years by month and day too: the latest full date is when it
        # speaks; plain years (in titles of other documents, numbers) only when nothing else.
        best = max(strong) if strong else max(scores.items(), key=lambda item: (item[1], item[0]))[0]
        if floor and floor > best:
            best = floor
        line = _line_of(doc, part, first[best])
        return YearDecision(best, "body", f"“{best}年”", line)
    if floor:
        return YearDecision(floor, "body", f"“{floor}年以来”", _line_of(doc, part, first[floor]))
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


def decide_parts(doc, knowledge, mentions) -> list:
    """[(Part, YearDecision)] for every piece of the document."""
    parts = parts_of(doc)
    _, title = doc.structure.title
    doc_title_year = year_in_title(title)
    decisions = []
    for part in parts:
        first = doc.line_starts[part.start_line - 1]
        last = doc.line_starts[part.end_line - 1] + len(doc.lines[part.end_line - 1])
        inside = [m for m in mentions if first <= m.start < last]
        decisions.append((part, decide(doc, part, inside, doc_title_year)))
    return decisions


def explain(doc, knowledge) -> str:
    """The text of --explain-year: the year of each part and why."""
    from .eraknowledge import scan_document

    scan = scan_document(doc, knowledge)
    lines = []
    if len(scan.decisions) == 1:
        lines.append(f"{doc.path}: 文档年份 {scan.decisions[0][1].explained}")
    else:
        lines.append(f"{doc.path}: 汇编，共 {len(scan.decisions)} 篇")
        for part, decision in scan.decisions:
            title = f"“{part.title}”" if part.title else "（无标题）"
            lines.append(f"  第{part.start_line}–{part.end_line}行 {title}: {decision.explained}")
    return "\n".join(lines) + "\n"


def summary(doc, knowledge) -> str:
    """One line for --verbose."""
    from .eraknowledge import scan_document

    scan = scan_document(doc, knowledge)
    if len(scan.decisions) == 1:
        return f"{doc.path}: 文档年份 {scan.decisions[0][1].explained}"
    years = ", ".join(f"第{p.start_line}行起 {d.year or '未知'}" for p, d in scan.decisions)
    return f"{doc.path}: 汇编 {len(scan.decisions)} 篇，年份 {years}"


def explain_file(linter, path: str) -> tuple:
    """(text, None) for --explain-year, or (None, one-line error)."""
    from pathlib import Path

    from .document import DecodeError, Document
    from .eraknowledge import knowledge_from_data

    try:
        data = Path(path).read_bytes()
        doc = Document.from_bytes(path, data)
    except OSError as exc:
        return None, f"{path}: cannot read: {exc.strerror or exc}"
    except DecodeError as exc:
        return None, f"{path}: {exc}"
    settings = linter.settings_for(path)
    if settings.year:
        doc.configured_year, doc.configured_year_reason = settings.year, settings.year_reason
    return explain(doc, knowledge_from_data(linter.data)), None


def summaries(linter, documents) -> list:
    """One --verbose line per linted document (the engine already set its configured year)."""
    from .eraknowledge import knowledge_from_data

    knowledge = knowledge_from_data(linter.data)
    return [summary(doc, knowledge) for doc in documents]
