"""--explain-year and --verbose: the year each document (and each piece of a compilation)
speaks from, and why, as core.year decides it from the era mentions the era kind finds."""
from __future__ import annotations

from ..core.document import DecodeError
from ..core.year import PRECEDENCE, YearDecision, decide_parts
from ..io.docx import TooLarge, WordUnavailable
from ..io.load import load_document
from ..kinds.era.knowledge import knowledge_from_data, scan_document


EVIDENCE_LABELS = {
    "config": "--year / 配置", "front-matter": "front matter date", "title": "标题",
    "date-line": "日期行（落款或题注）", "filename": "文件名", "body": "正文日期",
    "anniversary": "“今年是…周年”", "events": "文中提及的事件（年份下限）",
}


def _evidence_text(evidence: YearDecision) -> str:
    year = f"≥{evidence.year}" if evidence.source == "events" else str(evidence.year)
    where = f"，第{evidence.line}行" if evidence.line else ""
    return f"{year}（{evidence.detail}{where}）"


def _evidence_lines(decision: YearDecision, indent: str, full: bool) -> list:
    """The evidence in order of precedence; with `full`, also the kinds not found."""
    by_source: dict = {}
    for evidence in decision.considered:
        by_source.setdefault(evidence.source, []).append(evidence)
    lines = []
    for rank, source in enumerate(PRECEDENCE, 1):
        found = by_source.get(source, [])
        if not found and not full:
            continue
        text = "；".join(_evidence_text(e) for e in found) if found else "无"
        lines.append(f"{indent}{rank}. {EVIDENCE_LABELS[source]}: {text}")
    return lines


def explain(doc, knowledge) -> str:
    """The text of --explain-year: the year of each part, why, and all the evidence found."""
    scan = scan_document(doc, knowledge)
    decisions = decide_parts(doc, knowledge, scan.mentions, every=True)
    lines = []
    if len(decisions) == 1:
        decision = decisions[0][1]
        lines.append(f"{doc.path}: 文档年份 {decision.explained}")
        if decision.also:
            lines.append(f"  {decision.also_explained}")
        lines.append("  依据（按优先级，先找到的为准；推断的年份不早于文中提及的事件）：")
        lines += _evidence_lines(decision, "    ", full=True)
    else:
        lines.append(f"{doc.path}: 汇编，共 {len(decisions)} 篇，各篇分别判断")
        for part, decision in decisions:
            title = f"“{part.title}”" if part.title else "（无标题）"
            lines.append(f"  第{part.start_line}–{part.end_line}行 {title}: {decision.explained}")
            if decision.also:
                lines.append(f"      {decision.also_explained}")
            lines += _evidence_lines(decision, "      ", full=False)
    if not any(d.dated for _, d in decisions):
        lines.append("  未能判断年份：只检查与年份无关的过时提法（outdated-mixed-era）；可用 --year 或配置 year: 指定")
    return "\n".join(lines) + "\n"


def summary(doc, knowledge) -> str:
    """One line for --verbose."""
    scan = scan_document(doc, knowledge)
    if len(scan.decisions) == 1:
        return f"{doc.path}: 文档年份 {scan.decisions[0][1].explained}"
    years = ", ".join(f"第{p.start_line}行起 {d.year or '未知'}" for p, d in scan.decisions)
    return f"{doc.path}: 汇编 {len(scan.decisions)} 篇，年份 {years}"


def explain_file(linter, path: str) -> tuple:
    """(text, None) for --explain-year, or (None, one-line error)."""
    try:
        doc = load_document(path)  # refuses a FIFO or a device: never a blocking read
    except OSError as exc:
        return None, f"{path}: cannot read: {exc.strerror or exc}"
    except (DecodeError, WordUnavailable, TooLarge) as exc:
        return None, f"{path}: {exc}"
    settings = linter.settings_for(linter.rel_for(path))  # per-file globs: relative to the config
    settings.fix_year(doc)
    return explain(doc, knowledge_from_data(linter.data)), None


def summaries(linter, documents) -> list:
    """One --verbose line per linted document."""
    knowledge = knowledge_from_data(linter.data)
    lines = []
    for doc in documents:
        if doc.configured_year is None:
            linter.settings_for(linter.rel_for(doc.path) if hasattr(linter, "rel_for") else doc.path).fix_year(doc)
        lines.append(summary(doc, knowledge))
    return lines
