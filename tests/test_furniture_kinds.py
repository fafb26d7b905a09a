"""The kinds behind page furniture (line_run, repeated_copy, block's gap, pattern's separate)
and the line deletions of --fix, on short real excerpts (tests/pages/SOURCES.md names the pages)
and on the edge cases of their geometry."""
from __future__ import annotations

import pytest

from lint_reports.io.load import load_document
from lint_reports.config.settings import Config
from lint_reports.core.document import Document
from lint_reports.core.engine import Linter
from lint_reports.core.fix import fix_document
from lint_reports.config.packs import PackError, parse_pack, prepare_rules
from lint_reports.kinds.pattern import lines_edits

LINTER = Linter(Config())


def _flagged(rule_id: str, text: str, path: str = "page.txt") -> list:
    linter = Linter(Config(), select=[rule_id], packs=LINTER.packs)
    return sorted({f.line for f in linter.lint(Document(path, text), path) if f.rule == rule_id})


def _fixed(text: str, select=None) -> str:
    linter = Linter(Config(), select=select, packs=LINTER.packs) if select else LINTER
    data = text.encode("utf-8")
    doc = load_document("page.txt", data)
    return fix_document(linter, doc, "page.txt", data).fixed.decode("utf-8")


# prov2026_beijing.txt lines 1-14 (a provincial portal page)
TOOLBAR = "下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n"
HEAD = TOOLBAR + ("2026年北京市政府工作报告\n——2026年1月25日在北京市第十六届人民代表大会第四次会议上\n"
                  "来源：北京日报\n时间：2026-02-02\n北京市市长 殷勇\n")


class TestLineRun:
    def test_toolbar_and_labels_are_runs(self):
        assert _flagged("artifact-page-widgets", HEAD) == list(range(1, 10)) + [12, 13]

    def test_a_lone_ambiguous_line_is_the_authors(self):
        assert _flagged("artifact-page-widgets", "加大\n各单位要及时下载学习强国APP开展学习。\n") == []
        assert _flagged("artifact-page-widgets", "一、主要做法\n】\n（一）加强领导\n") == []

    def test_two_maybe_lines_make_a_run(self):
        assert _flagged("artifact-page-widgets", "一、主要做法\n加大\n减小\n（一）加强领导\n") == [2, 3]

    def test_a_sure_line_is_furniture_alone(self):
        assert _flagged("artifact-page-widgets", "奋力谱写新篇章！\n扫一扫在手机打开当前页\n") == [2]

    def test_blank_lines_do_not_break_a_run_other_lines_do(self):
        # ljt_gov_1975.txt lines 137-153: the credit split over two lines, 【E-mail推荐 … 】
        tail = "（责任编辑： 郭桢\n ）\n\n\n\n【E-mail推荐\n\n\n】\n"
        assert _flagged("artifact-page-widgets", tail) == [1, 2, 6, 9]
        broken = "加大\n过去一年，我们坚持稳中求进工作总基调。\n减小\n"
        assert _flagged("artifact-page-widgets", broken) == []

    def test_a_label_takes_its_value_from_the_next_line(self):
        # zb.gov.cn (镇巴县人民政府): the value of 发文机构 sits on the next line
        table = "  • 索引号:\n\n    6107280000/2024-001005\n  • 发文机构:\n\n    县政府网站\n镇巴县人民政府工作规则\n"
        assert _flagged("artifact-page-widgets", table) == [1, 3, 4, 6]

    def test_a_column_name_between_two_arrows_joins_the_breadcrumb(self):
        assert _flagged("artifact-page-widgets", "首页\n>\n政务公开\n>\n正文\n2026年政府工作报告\n") == [1, 2, 3, 4, 5]

    def test_spaced_out_words_are_read_joined(self):
        # dangshi.hangzhou.com.cn: 返 回 / 所在位置:
        assert _flagged("artifact-page-widgets", "返 回\n所在位置: 党史学习教育\n") == [1, 2]

    def test_a_line_of_escapes_is_furniture(self):
        assert _flagged("artifact-page-widgets", "<U+00A0>\n当前位置： 首页>> 中国概况\n") == [1, 2]

    def test_sentences_and_long_lines_never_are(self):
        assert _flagged("artifact-page-widgets", "打印机等设备已更新。\n收藏。\n") == []
        assert _flagged("artifact-page-widgets", "来源：" + "县" * 90 + "\n时间：2026-02-02\n") == []

    @pytest.mark.parametrize("entry, message", [
        ("sure: ['(']", "bad regular expression in 'sure'"),
        ("sure: ['下载']\n    fix: delete", "'fix' must be 'delete-line'"),
        ("sure: ['下载']\n    min_maybe: 0", "'min_maybe' and 'max_length' must be 1 or more"),
        ("max_length: 20", "needs 'sure or maybe'"),
    ])
    def test_bad_entries_name_the_rule(self, entry, message):
        pack = f"rules:\n  - id: my-widgets\n    category: artifact\n    severity: error\n    kind: line_run\n    message: x\n    {entry}\n"
        with pytest.raises(PackError, match=message):
            prepare_rules([parse_pack(pack, "mine.yaml")])


# ljt_gov_1975.txt lines 105-113, then the same lines again (the page's next copy)
PARAGRAPHS = ("　　我们一定要解放台湾！台湾同胞和全国人民团结起来，为实现解放台湾、统一祖国的崇高目标而共同努力。\n\n"
              "　　各位代表！\n\n"
              "　　在国内外大好形势下，我们首先要把中国自己的事情办好，争取对人类作出较大的贡献。\n\n"
              "　　我们必须牢记毛主席的教导，抓大事，抓路线，坚持“要搞马克思主义，不要搞修正主义；要团结，不要分裂；"
              "要光明正大，不要搞阴谋诡计”的基本原则。\n\n"
              "　　我们必须坚决拥护党的一元化领导。工、农、商、学、兵、政、党这七个方面，党是领导一切的。"
              "我们各方面的工作，都必须置于各级党委的统一领导之下。\n")


class TestRepeatedCopy:
    def test_a_repeated_body_is_one_finding_from_its_second_copy_to_its_end(self):
        text = PARAGRAPHS + "\n" + PARAGRAPHS
        assert _flagged("artifact-repeated-body", text) == [11]
        linter = Linter(Config(), select=["artifact-repeated-body"], packs=LINTER.packs)
        [copy] = linter.lint(Document("page.txt", text), "page.txt")
        assert (copy.line, copy.end_line) == (11, 19)
        assert "第 19 行" in copy.message and "第 1 行" in copy.message
        assert copy.as_json()["end_line"] == 19
        assert copy.fixable

    def test_a_body_repeated_three_times_is_one_finding_over_both_copies(self):
        linter = Linter(Config(), select=["artifact-repeated-body"], packs=LINTER.packs)
        found = linter.lint(Document("page.txt", PARAGRAPHS + "\n" + PARAGRAPHS + "\n" + PARAGRAPHS), "page.txt")
        assert [(f.line, f.end_line) for f in found] == [(11, 29)]
        assert _fixed(PARAGRAPHS + "\n" + PARAGRAPHS + "\n" + PARAGRAPHS, select=["artifact-repeated-body"]) == PARAGRAPHS

    def test_furniture_inside_a_copy_goes_with_it(self):
        # one defect, one finding: a link list repeated inside the copy is the copy's
        page = PARAGRAPHS + "相关链接\n" + "《政府工作报告》修改15处充分吸纳代表委员意见\n"
        linter = Linter(Config(), select=["artifact"], packs=LINTER.packs)
        found = linter.lint(Document("page.txt", page + "\n" + page), "page.txt")
        copies = [f for f in found if f.rule == "artifact-repeated-body"]
        assert [(f.line, f.end_line) for f in copies] == [(13, 23)]
        assert all(f.line < 13 for f in found if f.rule != "artifact-repeated-body")
        assert any(f.rule == "artifact-link-list" for f in found)

    def test_repeated_short_lines_are_not_a_copy(self):
        text = "　　各位代表！\n过去一年，我们坚持稳中求进工作总基调。\n　　各位代表！\n今后五年，我们将继续推动高质量发展。\n"
        assert _flagged("artifact-repeated-body", text) == []

    def test_fix_keeps_the_first_copy(self):
        assert _fixed(PARAGRAPHS + "\n" + PARAGRAPHS, select=["artifact-repeated-body"]) == PARAGRAPHS


class TestBlockGap:
    def test_a_link_list_with_blank_lines_between_its_titles(self):
        # ljt_gov_2010.txt lines 282-296
        links = ("　相关链接\n\n\n·\n《政府工作报告》修改15处充分吸纳代表委员意见\n\n\n\n·\n"
                 "十一届全国人大三次会议关于政府工作报告的决议\n")
        assert _flagged("artifact-link-list", links) == [1, 4, 5, 9, 10]

    def test_the_list_stops_at_a_sentence(self):
        assert _flagged("artifact-link-list", "相关报道：\n\n各地认真贯彻落实会议精神。\n") == [1]


class TestSeparatePatterns:
    def test_separate_search_finds_what_the_alternation_finds(self):
        rule = LINTER.by_id["artifact-page-meta"]
        assert rule.params.get("separate")
        text = ("中央政府门户网站　www.gov.cn　　 2006年02月23日　　 来源：人民网\n"
                "发布日期:2017-03-28-00:00:00 信息来源:嵊州市 浏览次数: 字号:[ ]\n"
                "网站全年访问量：56万人次，同比增长12%。\n")
        entries = "\n".join("      - '" + p.replace("'", "''") + "'" for p in rule.params["patterns"])
        combined = ("rules:\n  - id: meta-combined\n    category: artifact\n    severity: error\n"
                    "    kind: pattern\n    scope: line\n    message: x\n    patterns:\n" + entries + "\n")
        linter = Linter(Config(), packs=[parse_pack(combined, "combined.yaml")])
        lines = sorted(f.line for f in linter.lint(Document("page.txt", text), "page.txt"))
        assert lines == _flagged("artifact-page-meta", text) == [1, 2]


class TestLineDeletions:
    @pytest.mark.parametrize("text, lines, left", [
        ("甲\n\n下载\n\n乙\n", [3], "甲\n\n乙\n"),            # one blank line stays one
        ("甲\n\n下载\n打印\n\n乙\n", [3, 4], "甲\n\n乙\n"),     # a group of lines between blanks
        ("甲\n\n下载\n\n\n打印\n\n乙\n", [3, 6], "甲\n\n乙\n"),  # the gap inside a block goes with it
        ("甲\n\n\n下载\n\n乙\n", [4], "甲\n\n\n乙\n"),          # the larger gap around stays
        ("甲\n下载\n乙\n", [2], "甲\n乙\n"),
        ("下载\n\n乙\n", [1], "\n乙\n"),
        ("甲\n\n下载", [3], "甲\n"),
        ("甲\n\n下载\n", [3], "甲\n"),
    ])
    def test_deleting_lines_keeps_the_gaps(self, text, lines, left):
        doc = Document("page.txt", text)
        edits = sorted(lines_edits(doc, lines), key=lambda e: e.start, reverse=True)
        for edit in edits:
            text = text[:edit.start] + edit.replacement + text[edit.end:]
        assert text == left

    def test_a_line_emptied_by_several_rules_goes_whole(self):
        # ljt_gov_2007.txt line 135: the pagination widget wrapped in escapes and |<<
        page = ("我们必须以对国家和人民高度负责的精神，采取更加有力的措施，切实解决这些问题。\n\n"
                "|<<<U+00A0><U+00A0>上一页<U+00A0><U+00A0> 6<U+00A0><U+00A0> 下一页<U+00A0><U+00A0>\n\n"
                "一、2007年工作总体部署\n")
        assert _fixed(page) == ("我们必须以对国家和人民高度负责的精神，采取更加有力的措施，切实解决这些问题。\n\n"
                                "一、2007年工作总体部署\n")

    def test_one_finding_for_a_line_two_rules_know(self):
        # 当前位置 is known to artifact-page-chrome and to the run rule: one finding, with a fix
        findings = [f for f in LINTER.lint(Document("page.txt", "当前位置：首页>>中国概况\n"), "page.txt")
                    if f.category == "artifact"]
        assert len(findings) == 1 and findings[0].fix is not None
