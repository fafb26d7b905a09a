"""Markdown: headings are section headings; code, HTML comments and front matter are not
prose; line numbers stay the file's own."""
from __future__ import annotations

import textwrap

from conftest import cli_json
from lint_reports.core.document import Document, markdown_prose


def _prose_lines(text: str) -> list:
    prose, _, _ = markdown_prose(text)
    assert len(prose) == len(text)
    assert [i for i, ch in enumerate(prose) if ch == "\n"] == [i for i, ch in enumerate(text) if ch == "\n"]
    return [line.strip() for line in prose.split("\n")]


def test_fenced_code_of_every_kind_is_blanked():
    lines = _prose_lines(textwrap.dedent("""\
        正文一。
        ```python
        下载文档 = 1
        ```
        ~~~
        展开全文
        ~~~
        ````
        ```
        still code
        ````
        正文二。
    """))
    assert lines == ["正文一。", "", "", "", "", "", "", "", "", "", "", "正文二。", ""]


def test_an_unclosed_fence_runs_to_the_end():
    assert _prose_lines("正文。\n```\n代码\n代码\n") == ["正文。", "", "", "", ""]


def test_indented_code_after_a_blank_line_is_blanked():
    assert _prose_lines("正文。\n\n    print('下载文档')\n\t  x = 1\n\n正文。\n") == \
        ["正文。", "", "", "", "", "正文。", ""]


def test_an_indented_line_continuing_a_paragraph_is_prose():
    assert _prose_lines("第一句，\n    接着写的第二句。\n") == ["第一句，", "接着写的第二句。", ""]


def test_list_item_continuations_indented_by_four_spaces_are_prose():
    text = textwrap.dedent("""\
        1. 第一项工作。

            continuation paragraph of item one.

        - 第二项：
            - nested item text
                nested continuation
        """)
    lines = _prose_lines(text)
    assert lines[2] == "continuation paragraph of item one."
    assert lines[5] == "- nested item text"
    assert lines[6] == "nested continuation"


def test_code_indented_past_a_list_item_is_still_code():
    lines = _prose_lines("- 列表项。\n\n          code_in_item = 1\n")
    assert lines == ["- 列表项。", "", "", ""]


def test_a_list_ends_at_a_left_margin_paragraph():
    lines = _prose_lines("- 列表项。\n\n正文。\n\n    code = 1\n")
    assert lines == ["- 列表项。", "", "正文。", "", "", ""]


def test_chinese_paragraphs_indented_by_four_spaces_are_prose():
    # Word and 范文 sites indent the first line of every paragraph; this is not code.
    assert _prose_lines("标题\n\n    一年来，我们认真贯彻落实各项部署。\n")[2] == "一年来，我们认真贯彻落实各项部署。"


def test_html_comments_are_blanked_on_one_line_and_across_lines():
    lines = _prose_lines("正文<!-- 下载文档 -->继续。\n<!--\n展开全文\n-->\n尾。\n")
    assert lines == ["正文" + " " * 13 + "继续。", "", "", "", "尾。", ""]


def test_front_matter_is_read_and_blanked():
    prose, front, end = markdown_prose("---\ntitle: 工作总结\ndate: 2023-12-20\n---\n正文。\n")
    assert front == {"title": "工作总结", "date": __import__("datetime").date(2023, 12, 20)}
    assert end == 4
    assert all(not line.strip() for line in prose.split("\n")[:4])
    assert prose.split("\n")[4] == "正文。"


def test_a_thematic_break_before_prose_is_not_front_matter():
    prose, front, end = markdown_prose("---\n一、主要做法。\n---\n二、下步打算。\n")
    assert (front, end) == ({}, None)
    assert "一、主要做法。" in prose


def test_markdown_headings_are_section_headings():
    doc = Document("r.md", "# 工作总结\n\n## 一、主要做法\n\n正文。\n\n### （一）加强领导\n\n```\n# not a heading\n```\n")
    headings = [(h.line, h.level, h.text) for h in doc.structure.headings]
    assert headings == [(1, 1, "工作总结"), (3, 2, "主要做法"), (7, 3, "加强领导")]


def test_findings_keep_the_files_own_line_numbers(tmp_path):
    (tmp_path / "report.md").write_text(textwrap.dedent("""\
        ---
        title: 工作总结
        note: 下载文档
        ---
        # 工作总结

        <!-- 展开全文 -->
        ```
        展开全文
        ```

            code: 下载文档

        1. 第一项。

            延续段落展开全文。

        正文##paidbegin##继续。
        """), encoding="utf-8")
    found = [(f["line"], f["column"], f["rule"]) for f in cli_json("report.md", cwd=tmp_path)]
    assert found == [(16, 9, "artifact-download"), (18, 3, "artifact-paywall")]
