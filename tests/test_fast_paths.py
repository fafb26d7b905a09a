"""The fast paths (literal prefilter, pack cache) must find exactly what the plain paths find."""
from __future__ import annotations

import re

import pytest

from conftest import CORPUS, SEEDS
from lint_reports import prefilter
from lint_reports.config import Config
from lint_reports.document import Document
from lint_reports.engine import Linter
from lint_reports.rules import pattern


def _findings(linter, doc_path, data, *, fast: bool, monkeypatch):
    monkeypatch.setattr(pattern, "USE_PREFILTER", fast)
    doc = Document.from_bytes(str(doc_path), data)
    return [(f.line, f.column, f.end_column, f.rule, f.message, f.fix) for f in linter.lint(doc, str(doc_path))]


EDGE_CASES = (
    "正文第一行。\n\n   \n文章来源：某某网\n",  # blank lines before a line-start pattern
    "2024-11-25\n下载文档一键复制全文\n",  # a date on the line before the artifact
    "（来源：\n某某网）\n",  # a parenthesis left open at the line end
    "**县20**年工作总结\r\n\r\n一、x x 镇\r\n",  # CRLF, stars, spaced letters
    "",
    "没有换行的最后一行**",
)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.glob("*.txt"))[:4],
                         ids=lambda p: p.name)
def test_prefilter_finds_what_line_by_line_search_finds(path, monkeypatch):
    linter = Linter(Config())
    data = path.read_bytes()
    fast = _findings(linter, path, data, fast=True, monkeypatch=monkeypatch)
    plain = _findings(linter, path, data, fast=False, monkeypatch=monkeypatch)
    assert fast == plain
    if path.parent == SEEDS:
        assert fast, "every seed has defects"


@pytest.mark.parametrize("text", EDGE_CASES)
def test_prefilter_on_edge_cases(text, monkeypatch):
    linter = Linter(Config())
    data = text.encode("utf-8")
    assert _findings(linter, "edge.md", data, fast=True, monkeypatch=monkeypatch) == \
        _findings(linter, "edge.md", data, fast=False, monkeypatch=monkeypatch)


def test_matches_stay_on_their_line():
    from conftest import lint_text

    findings = [f for f in lint_text("正文第一行。\n\n   \n文章来源：某某网\n") if f.rule == "artifact-source"]
    assert [(f.line, f.column) for f in findings] == [(4, 1)]
    assert "\n" not in findings[0].message


@pytest.mark.parametrize("source, single_line, factors", [
    (r"[*＊]{2,}", True, {"*", "＊"}),
    (r"下载文档|一键复制", True, {"下载文档", "一键复制"}),
    (r"^\s*文章来源", False, {"文章来源"}),  # \s may match a newline
    (r"[^。]{2}报告", False, {"报告"}),  # so may a negated class
    (r"x(?=年)", True, {"x"}),
    (r"(?i)abc", True, None),  # case-insensitive: no literal factors
    (r"\d+", True, None),
    (r"a\Z", False, {"a"}),
    (r"(a)\1", False, None),  # back-references are not modelled
])
def test_analyse(source, single_line, factors):
    got_single, got_factors = prefilter.analyse(re.compile(source, re.MULTILINE))
    assert got_single == single_line
    assert (set(got_factors) if got_factors else None) == factors


def test_scan_finds_every_line_holding_a_factor():
    text = "甲乙下载文档\n无关\n一键复制\n下载\n文档下载文档"
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    scan = prefilter.Scan(text, {"下载文档", "一键复制"}, starts)
    assert scan.candidate_lines({"下载文档"}) == [0, 4]
    assert scan.candidate_lines({"下载文档", "一键复制"}) == [0, 2, 4]
    assert scan.windows([0, 2, 4]) == [(0, 7), (10, 15), (18, len(text))]
