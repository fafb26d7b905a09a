"""`--format html` without a browser: structure, exact text, escaping, highlights and counts.
The browser end of it (filters, navigation, no script runs) is in test_html_browser.py."""
from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

from conftest import SEEDS, cli_json, run_cli

from lint_reports.document import Document
from lint_reports.finding import Edit, Finding
from lint_reports.formats import Report
from lint_reports.formats.html import SCRIPT, STYLE, fix_description, render, render_line


class Page(HTMLParser):
    """The parts of a report page the tests look at: the text of each file's template
    (what the browser shows for it), the highlight elements and the scripts."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.texts: dict = {}
        self.highlights: list = []
        self.scripts: list = []
        self.links: list = []
        self._template = None
        self._script = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self._template = attrs["id"]
            self.texts[self._template] = []
        if "hl" in (attrs.get("class") or "").split():
            self.highlights.append(attrs)
        if tag == "script":
            self._script = attrs
            self.scripts.append([attrs, ""])
        for name in ("src", "href"):
            if name in attrs:
                self.links.append(attrs[name])

    def handle_endtag(self, tag):
        if tag == "template":
            self._template = None
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._template:
            self.texts[self._template].append(data)
        if self._script is not None:
            self.scripts[-1][1] += data

    def text(self, template_id: str) -> str:
        return "".join(self.texts[template_id])


def _finding(doc, start, end, rule="placeholder-x", category="placeholder", severity="error", **extra):
    line, column = doc.position(start)
    line_end = doc.line_span(line)[1]
    return Finding(doc.path, line, column, column + max(1, min(end, line_end) - start), rule, category,
                   severity, f"“{doc.text[start:end]}”有问题", start, end, **extra)


def _report(doc, findings):
    return Report(sorted(findings, key=lambda f: f.sort_key()), [doc.path], {}, documents={doc.path: doc})


def test_text_is_escaped_and_rendered_exactly():
    text = ("xx区工作总结\n<script>window.pwned = 1</script>\n<img src=x onerror=\"window.pwned=2\">\n"
            "</textarea></template></script><!-- & &amp; -->\n  缩进\t制表\n\n末行无换行")
    doc = Document("evil.txt", text)
    html = render(_report(doc, [_finding(doc, 0, 2), _finding(doc, text.index("<img"), text.index("<img") + 4)]))
    page = Page(html)
    assert page.text("t-0") == text
    assert "<script>window" not in html and "<img src=x" not in html
    # only the page's own two scripts: the inert data block and the program
    assert [attrs.get("type") for attrs, _ in page.scripts] == ["application/json", None]
    assert page.scripts[1][1] == SCRIPT


def test_text_ending_with_newline_has_no_extra_line():
    doc = Document("a.txt", "第一行\n第二行\n")
    html = render(_report(doc, [_finding(doc, 0, 1)]))
    assert Page(html).text("t-0") == doc.text
    assert 'data-n="3"' not in html


def test_every_finding_is_one_highlight_with_its_position():
    text = "一二三四五六七八九十\n甲乙丙丁"
    doc = Document("n.txt", text)
    findings = [_finding(doc, 1, 6), _finding(doc, 3, 8, rule="artifact-x", category="artifact"),  # overlap
                _finding(doc, 2, 4, rule="inner"),  # nested in the first
                _finding(doc, 1, 6, rule="same-span"), _finding(doc, 11, 13, severity="info")]
    page = Page(render(_report(doc, findings)))
    assert page.text("t-0") == text
    got = sorted((h["data-rule"], int(h["data-line"]), int(h["data-column"]), h["data-category"]) for h in page.highlights)
    assert got == sorted((f.rule, f.line, f.column, f.category) for f in findings)


def _coverage(markup: str) -> dict:
    """data-i -> the character positions its marks cover, read from render_line's output."""
    covered, stack, pos = {}, [], 0
    for token in re.findall(r"<mark[^>]*>|</mark>|[^<]", markup):
        if token.startswith("<mark"):
            stack.append(int(re.search(r'data-i="(\d+)"', token).group(1)))
        elif token == "</mark>":
            stack.pop()
        else:
            for index in stack:
                covered.setdefault(index, []).append(pos)
            pos += 1
    assert not stack
    return covered


def test_overlapping_spans_cover_exactly_their_characters():
    doc = Document("t", "abcdefgh")
    spans = [(1, 5, 0, _finding(doc, 1, 5)), (3, 7, 1, _finding(doc, 3, 7)), (3, 4, 2, _finding(doc, 3, 4))]
    out = render_line("abcdefgh", spans)
    assert re.sub(r"<[^>]+>", "", out) == "abcdefgh"
    assert _coverage(out) == {0: [1, 2, 3, 4], 1: [3, 4, 5, 6], 2: [3]}
    assert out.count('class="hl ') == 3 and out.count("hl-cont") == 1


def test_zero_width_and_past_the_end_findings_still_get_an_element():
    doc = Document("z.txt", "甲\n\n乙")
    empty_line = Finding("z.txt", 2, 1, 2, "blank", "linebreak", "info", "空行", 2, 2)
    page = Page(render(_report(doc, [empty_line])))
    assert len(page.highlights) == 1 and page.text("t-0") == doc.text


def test_whole_document_finding_is_a_banner():
    doc = Document("s.txt", "工作总结\n正文。")
    missing = Finding("s.txt", 1, 1, 5, "section-missing", "section", "warning", "缺少“下一步打算”部分", 0, 4,
                      whole_document=True)
    html = render(_report(doc, [missing]))
    page = Page(html)
    (banner,) = page.highlights
    assert "banner" in banner["class"] and banner["data-rule"] == "section-missing"
    assert "<mark" not in page.text("t-0") and page.text("t-0") == doc.text


def test_fix_description_says_what_the_edit_does():
    doc = Document("f.txt", "正文\n下载文档一键复制全文\n尾")
    line = doc.line_span(2)
    artifact = dict(rule="artifact-download", category="artifact")
    delete_line = _finding(doc, *line, fix=Edit(line[0], line[1] + 1, ""), **artifact)
    assert fix_description(delete_line, doc).startswith("删除整行")
    replace = _finding(doc, 0, 2, fix=Edit(0, 2, "内容"), **artifact)
    assert "将“正文”改为“内容”" in fix_description(replace, doc)
    assert fix_description(_finding(doc, 0, 2, suggestion="填写县名"), doc) == "填写县名"
    assert fix_description(_finding(doc, 0, 2), doc) == ""
    # --fix never fills a placeholder, whatever edit a pack attaches: the page does not promise it
    assert fix_description(_finding(doc, 0, 2, fix=Edit(0, 2, "内容")), doc) == ""


def test_page_is_self_contained_and_pins_its_own_code():
    result = run_cli("--format", "html", "seeds/")
    assert result.returncode == 1, result.stderr
    html = result.stdout
    assert html.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in html
    page = Page(html)
    assert all(link.startswith("#") for link in page.links), "no external resource or link"
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", html)
    assert "@import" not in html and "url(" not in STYLE
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp
    for source in (SCRIPT, STYLE):
        digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_seed_report_has_one_highlight_per_json_finding_and_exact_texts():
    html = run_cli("--format", "html", "seeds/").stdout
    findings = cli_json("seeds/")
    page = Page(html)
    assert len(page.highlights) == len(findings) > 0
    assert sorted((h["data-rule"], int(h["data-line"]), int(h["data-column"])) for h in page.highlights) == \
        sorted((f["rule"], f["line"], f["column"]) for f in findings)
    paths = list(dict.fromkeys(f["path"] for f in findings))
    for k, path in enumerate(paths):
        doc = Document.from_bytes(path, (SEEDS.parent / path).read_bytes())
        assert page.text(f"t-{k}") == doc.text, path


def test_legacy_encodings_render_as_their_decoded_text(tmp_path):
    text = "20xx年工作总结\n一、主要工作：学習貫徹，推进“三会一课”。\n"
    (tmp_path / "gbk.txt").write_bytes(text.encode("gb18030"))
    (tmp_path / "u16.txt").write_bytes(b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le"))
    # (學習貫徹 are also traditional characters in simplified text: placeholders only here)
    html = run_cli("--format", "html", "--select", "placeholder", str(tmp_path)).stdout
    page = Page(html)
    assert page.text("t-0") == text and page.text("t-1") == text
    assert len(page.highlights) == 2


def test_clean_run_says_so():
    html = run_cli("--format", "html", "tests/data/corpus/tmx_gov_2017.txt").stdout
    assert "没有发现问题" in html and "<template" not in html
