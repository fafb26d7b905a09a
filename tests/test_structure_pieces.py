"""structure.py additions used by the sections check: bold Markdown headings, the ordinal
style of Markdown headings, and how a compilation is split into pieces."""
from __future__ import annotations

from conftest import SEEDS
from lint_reports.core.document import Document
from lint_reports.core.structure import parse_heading


def seed(prefix):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return Document(path.name, path.read_text(encoding="utf-8"))


def starts(doc):
    return [(p.start_line, p.title) for p in doc.structure.parts]


def test_markdown_heading_keeps_the_style_of_its_ordinal():
    heading = parse_heading("## 二、存在的问题", 3, markdown=True)
    assert (heading.style, heading.level, heading.ordinal, heading.ordinal_style, heading.text) == \
        ("markdown", 2, 2, "cn", "存在的问题")
    assert parse_heading("（一）完善方案", 1).ordinal_style == "cn-paren"
    assert parse_heading("## 存在的问题", 1, markdown=True).ordinal_style == ""


def test_markdown_heading_text_without_emphasis():
    assert parse_heading("## **三、下一步打算**", 1, markdown=True).text == "下一步打算"


def test_bold_line_is_a_heading_in_markdown_only():
    text = "# 2023年工作总结\n\n**二、存在的问题**\n\n部分乡镇经办人员兼职过多，动态管理不够精准。\n\n**存在不足**\n\n阵地偏小，队伍不稳。\n"
    headings = Document("a.md", text).structure.headings
    numbered = next(h for h in headings if h.line == 3)
    assert (numbered.style, numbered.ordinal, numbered.text, numbered.column) == ("cn", 2, "存在的问题", 3)
    plain = next(h for h in headings if h.line == 7)
    assert (plain.style, plain.text) == ("plain", "存在不足")
    in_text = Document("a.txt", text.replace("# ", "")).structure.headings
    assert not any(h.line == 3 and h.style == "cn" for h in in_text)


def test_bold_inside_a_line_is_not_a_heading():
    doc = Document("a.md", "# 标题\n\n**一是**加强学习，**二是**改进作风，各项工作扎实推进。\n")
    assert [h.line for h in doc.structure.headings if h.line == 3] == []


def test_markdown_compilation_splits_where_numbering_restarts():
    text = ("# 工作总结汇编（2篇）\n\n## 一、主要工作\n\n完成了年度任务。\n\n## 二、存在问题\n\n队伍不稳。\n\n"
            "## 社区工作总结\n\n## 一、主要做法\n\n开展志愿服务。\n")
    parts = Document("a.md", text).structure.parts
    assert [(p.start_line, p.title) for p in parts] == [(1, "工作总结汇编（2篇）"), (11, "社区工作总结")]


def test_table_of_contents_names_the_pieces_of_seed_002():
    assert starts(seed("002")) == [
        (1, "2023年主题教育工作总结汇编"),
        (7, "第二批主题教育走深走实见行见效 抓衔接联动 强分类指导"),
        (14, "高标准 严要求  扎实推进主题教育走深走实"),
    ]


def test_seed_004_pieces_letter_and_keyword_article():
    pieces = dict(starts(seed("004")))
    assert pieces[140] == "关键词:学习型;党组织;建设"  # opening paragraph walked back to its 关键词 line
    assert 172 in pieces  # “区委组织部:” opens a letter
    assert pieces[182] == "注重创新添活力"
    assert 141 not in pieces and 142 not in pieces


def test_piece_marker_is_not_part_of_the_title():
    text = "范文（精选2篇）\n篇一：社区工作总结\n一、主要工作\n开展服务。\n篇二：安全生产工作总结\n一、强化责任\n落实制度。\n"
    assert starts(Document("a.txt", text)) == [(1, "范文（精选2篇）"), (2, "社区工作总结"), (5, "安全生产工作总结")]


def test_salutation_and_contents_split_only_compilations():
    text = ("关于2023年工作情况的报告\n区委组织部：\n现将有关情况报告如下。\n目 录\n主要工作\n存在问题\n\n"
            "主要工作\n完成了年度各项任务。\n存在问题\n队伍还不够稳定。\n")
    assert len(Document("a.txt", text).structure.parts) == 1


def test_salutation_opens_a_piece_of_a_compilation():
    text = ("学习型党组织建设材料汇编（2篇）\n一、主要工作\n完成了年度各项任务。\n二、存在问题\n队伍还不够稳定。\n"
            "区委组织部：\n现将我场学习型党组织建设情况报告如下。\n")
    assert [p.start_line for p in Document("a.txt", text).structure.parts] == [1, 6]
