"""`--format html` without a browser: structure, exact text, escaping, highlights and counts.
The browser end of it (filters, navigation, no script runs) is in test_html_browser.py."""
from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

from conftest import SEEDS, cli_json, run_cli

from lint_reports.io.load import load_document
from lint_reports.core.document import Document
from lint_reports.core.finding import Edit, Finding
from lint_reports.formats import Report
from lint_reports.formats.html import SCRIPT, STYLE, fix_description, render, render_line


class Page(HTMLParser):
    """The parts of a report page the tests look at: the text of each file's lines (what
    the browser shows for it, notes left out), the notes, the highlight elements, the
    scripts and the links. Python's parser reads a <noscript> as markup, as a browser does
    with scripting off."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.texts: dict = {}
        self.highlights: list = []
        self.notes: list = []  # (data-i, text)
        self.scripts: list = []
        self.links: list = []
        self.ids: set = set()
        self._source = None
        self._line = self._note = 0  # depth inside a `.l` line, a `.note`
        self._script = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "noscript" and (attrs.get("id") or "").startswith("t-"):
            self._source = attrs["id"]
            self.texts[self._source] = []
        if tag == "div" and self._source:
            self._line = self._line + 1 if (self._line or "l" in classes) else 0
        if self._note or "note" in classes:
            self._note += 1
            if self._note == 1:
                self.notes.append([attrs["data-i"], ""])
        if "hl" in classes:
            self.highlights.append(attrs)
        if tag == "script":
            self._script = attrs
            self.scripts.append([attrs, ""])
        for name in ("src", "href"):
            if name in attrs:
                self.links.append(attrs[name])

    def handle_endtag(self, tag):
        if tag == "noscript":
            self._source = None
        if tag == "div" and self._line:
            self._line -= 1
        if self._note:
            self._note -= 1
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._source and self._line:
            self.texts[self._source].append(data)
        if self._note:
            self.notes[-1][1] += data
        if self._script is not None:
            self.scripts[-1][1] += data

    def text(self, source_id: str) -> str:
        return "".join(self.texts[source_id])


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
    assert len(re.findall(r'class="hl[ "]', out)) == 3 and out.count("hl-cont") == 1


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
    # a rule's suggestion is the text that should stand there
    assert fix_description(_finding(doc, 0, 2, suggestion="内容"), doc) == "将“正文”改为“内容”"
    # what --fix does wins over the suggestion; blank characters are named, not shown blank
    spaced = Document("s.txt", "正文\xa0内容，一个　空格")
    nbsp = spaced.text.index("\xa0")
    charset = dict(rule="charset-nbsp", category="charset")
    assert fix_description(_finding(spaced, nbsp, nbsp + 1, fix=Edit(nbsp, nbsp + 1, " "), suggestion=" ", **charset),
                           spaced) == "将U+00A0改为空格（可用 --fix 自动修复）"
    wide = spaced.text.index("　")
    assert fix_description(_finding(spaced, wide, wide + 1, fix=Edit(wide, wide + 1, ""), **charset), spaced) == \
        "删除全角空格（可用 --fix 自动修复）"
    assert fix_description(_finding(spaced, 0, 5, fix=Edit(0, 5, "正文"), **charset), spaced) == \
        "将“正文⟨U+00A0⟩内容”改为“正文”（可用 --fix 自动修复）"
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
        doc = load_document(path, (SEEDS.parent / path).read_bytes())
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
    assert "没有发现问题" in html and '<noscript id="t-' not in html


def test_each_finding_has_a_note_after_its_line():
    """The message is on the page, not only in a tip: after each line with findings, one
    note per finding (rule, message, fix), findings of one rule with one message on a line
    sharing a note."""
    text = "第一行由x任组长\n第二行\n制定《**县**局计划》，，完\n"
    doc = Document("n.txt", text)
    at = text.index
    findings = [_finding(doc, at("x"), at("x") + 1),
                _finding(doc, at("**县"), at("**县") + 2, rule="placeholder-stars"),
                _finding(doc, at("**局"), at("**局") + 2, rule="placeholder-stars"),
                _finding(doc, at("，，"), at("，，") + 2, rule="punctuation-doubled", category="punctuation",
                         severity="warning", fix=Edit(at("，，"), at("，，") + 1, ""))]
    findings[2].message = findings[1].message  # the same message: one note for both
    html = render(_report(doc, findings))
    page = Page(html)
    assert page.text("t-0") == text, "notes are not part of the file's text"
    assert [(i, note) for i, note in page.notes] == [
        ("0", f"placeholder-x{findings[0].message}"),
        ("1", f"placeholder-stars{findings[1].message}（2 处）"),
        ("3", f"punctuation-doubled{findings[3].message} 建议：删除“，”（可用 --fix 自动修复）")]
    # right after the flagged line: line 1's note before line 2, line 3's after line 3
    source = html.split('<noscript id="t-0">', 1)[1]
    assert source.index('class="notes"') < source.index('data-n="2"')
    assert source.index('data-n="3"') < source.rindex('class="notes"')
    assert source.count('class="notes"') == 2


def test_finding_lists_link_to_the_flagged_line():
    text = "甲\n由x任组长\n乙"
    doc = Document("l.txt", text)
    section = Finding("l.txt", 1, 1, 2, "section-missing", "section", "warning", "缺少部分", 0, 1, whole_document=True)
    page = Page(render(_report(doc, [_finding(doc, 3, 4), section])))
    assert {"L0-2", "file-0"} <= page.ids
    assert "#L0-2" in page.links and "#file-0" in page.links  # a whole-document finding: the file
    assert not any(link.startswith("#L") and link[1:] not in page.ids for link in page.links)


def test_the_text_waits_in_a_noscript_it_cannot_close():
    """With scripting on a <noscript>'s content is plain text up to the first `</noscript`:
    a file's text is escaped, so it cannot end it early and become markup."""
    text = "xx区</noscript><script>window.pwned=1</script></NOSCRIPT ><img src=x onerror=alert(1)>\n"
    doc = Document("n.txt", text)
    html = render(_report(doc, [_finding(doc, 0, 2)]))
    source = html.split('<noscript id="t-0">', 1)[1]
    assert source.lower().index("</noscript") == source.index("</noscript></div></section>")
    assert Page(html).text("t-0") == text


def test_without_javascript_a_pinned_style_hides_the_dead_controls():
    from lint_reports.formats.html import NOSCRIPT_STYLE

    html = run_cli("--format", "html", "seeds/").stdout
    head = html.split("</head>", 1)[0]
    assert f"<noscript><style>{NOSCRIPT_STYLE}</style></noscript>" in head
    assert ".toolbar,#tip{display:none!important}" in NOSCRIPT_STYLE
    digest = base64.b64encode(hashlib.sha256(NOSCRIPT_STYLE.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in re.search(r'Content-Security-Policy" content="([^"]+)"', html).group(1)
    # nothing focusable that would do nothing: the script makes the marks focusable
    assert 'tabindex="0"' not in html


def _page_bytes(text: str, copies: int, files: int = 1):
    """The page for `files` files, each `copies` times `text`, with their real findings."""
    from lint_reports.config.settings import Config
    from lint_reports.core.engine import Linter

    # A text repeated in one file is a repeated body (artifact-repeated-body flags the copies),
    # and its compilation title (artifact-compilation) is a title only at the top: leave those
    # two rules out, and copied-from-report (which tells each copy it repeats the other), so
    # that each copy carries the same findings as the first.
    linter = Linter(Config(), ignore=["artifact-repeated-body", "artifact-compilation", "copied-from-report"])
    documents, findings, names = {}, [], []
    for number in range(files):
        name = f"reports/r{number}.txt"
        documents[name] = Document(name, text * copies)
        names.append(name)
        findings += linter.lint(documents[name], name)
    report = Report(sorted(findings, key=lambda f: f.sort_key()), names, {}, documents=documents)
    return len(render(report).encode("utf-8")), len(findings)


def test_page_size_grows_linearly_and_stays_small():
    text = (SEEDS / "004_f3fae01b39ef9a42.txt").read_text(encoding="utf-8")
    text_bytes, lines = len(text.encode("utf-8")), text.count("\n")
    for sizes in (((1, 1), (2, 1), (4, 1)), ((1, 1), (1, 2), (1, 4))):  # longer files, more files
        (one, n1), (two, n2), (four, n4) = (_page_bytes(text, copies, files) for copies, files in sizes)
        assert n2 == 2 * n1 and n4 == 4 * n1 > 80
        step = two - one
        assert abs((four - two) - 2 * step) <= 0.002 * step, (one, two, four)  # linear
        # each copy costs its text, a <div> per line, and under a kilobyte per finding (its
        # mark, its note, its list entry, its data entry; messages quote Chinese text)
        per_finding = (step - text_bytes - 40 * lines) / n1
        print(f"{sizes}: {one:,} / {two:,} / {four:,} bytes, {per_finding:.0f} bytes per finding")
        assert per_finding < 1000, per_finding


def _copied(doc, line: int, related: tuple, rule="copied-from-report"):
    start, end = doc.line_span(line)
    finding = Finding(doc.path, line, 1, end - start + 1, rule, "copied", "warning", "与《甲》第3行完全相同：是否原样照搬？",
                      start, end)
    finding.related = related
    return finding


def test_a_copied_finding_links_to_the_other_files_line_or_names_it():
    """The note names each related place: a link to the line when that file's text is in
    the page (the line gets its id though it has no finding), the path and line in plain
    text otherwise; file names are shown escaped (a bidi override, markup)."""
    from lint_reports.core.finding import RelatedLocation

    evil = "报告/\u202etxt.2024<b>.txt"
    copy = Document("2025.txt", "2025年总结\n相同的一句话写在这里。\n")
    source = Document(evil, "2024年总结\n其他\n相同的一句话写在这里。\n由x任组长\n")
    findings = [_copied(copy, 2, (RelatedLocation(evil, 3, 1, "相同的句子（2024年）"),
                                  RelatedLocation("不在报告里/\u202e2023.txt", 7, 1, "相同的句子"),
                                  RelatedLocation(evil, 99, 1, "过了末行"))),
                _finding(source, source.text.index("x"), source.text.index("x") + 1)]
    report = Report(sorted(findings, key=lambda f: f.sort_key()), [copy.path, evil], {},
                    documents={copy.path: copy, evil: source})
    html = render(report)
    page = Page(html)
    k = {path: n for n, path in enumerate([copy.path, evil])}  # sections in the order of the files
    assert f'<section class="file" id="file-{k[evil]}"><header><h2>报告/\\u202etxt.2024&lt;b&gt;.txt</h2>' in html
    shown_evil = "报告/\\u202etxt.2024<b>.txt"
    [(_, note)] = [(i, n) for i, n in page.notes if n.startswith("copied-from-report")]
    assert note == ("copied-from-report与《甲》第3行完全相同：是否原样照搬？"
                    f"相同的句子（2024年）：{shown_evil} 第 3 行"
                    "相同的句子：不在报告里/\\u202e2023.txt 第 7 行"
                    f"过了末行：{shown_evil} 第 99 行")
    target = f"L{k[evil]}-3"
    assert f'<a class="rel" href="#{target}">' in html and html.count('class="rel" href=') == 1
    assert target in page.ids  # line 3 of the source has no finding of its own, but its id
    assert not any(link.startswith("#L") and link[1:] not in page.ids for link in page.links)
    assert "\u202e" not in html and "<b>" not in html
    assert page.text(f"t-{k[evil]}") == source.text  # the anchor adds nothing to the text
    # the tip (notes hidden) has the same places, the link only for the file in the page
    import json

    data = json.loads(re.search(r'<script type="application/json" id="lr-data">(.*?)</script>', html).group(1))
    [entry] = [f for f in data["findings"] if f["rule"] == "copied-from-report"]
    assert entry["related"] == [
        {"what": "相同的句子（2024年）", "where": f"{shown_evil} 第 3 行", "href": f"#{target}"},
        {"what": "相同的句子", "where": "不在报告里/\\u202e2023.txt 第 7 行"},
        {"what": "过了末行", "where": f"{shown_evil} 第 99 行"}]


def test_the_clean_report_a_passage_was_copied_from_gets_a_section_to_link_to():
    """Last year's report is the source: it is not told, and may have no finding at all. It
    is still shown, so that the copy's link lands on the original line; a file nobody points
    to stays a name in the list of clean files."""
    from lint_reports.core.finding import RelatedLocation

    copy = Document("2025.txt", "2025年总结\n相同的一句话写在这里。\n")
    source = Document("2024.txt", "2024年总结\n相同的一句话写在这里。\n")
    other = Document("2023.txt", "2023年总结\n")
    findings = [_copied(copy, 2, (RelatedLocation("2024.txt", 2, 1, "相同的句子（2024年）"),))]
    report = Report(findings, ["2023.txt", "2024.txt", "2025.txt"], {},
                    documents={d.path: d for d in (copy, source, other)})
    html = render(report)
    page = Page(html)
    assert 'href="#L0-2"' in html and "L0-2" in page.ids
    assert page.text("t-0") == source.text and page.text("t-1") == copy.text
    assert "t-2" not in page.texts  # (2023.txt: no section)
    assert '没有问题的文件（2）：2023.txt、<a href="#file-0">2024.txt</a>' in html
    assert "此文件没有问题；其他文件的问题指向它的原文。" in html


def test_a_place_that_is_no_file_is_named_by_its_message_alone():
    from lint_reports.core.finding import RelatedLocation

    doc = Document("心得.txt", "心得体会\n一句范文原样照搬在这里。\n")
    finding = _copied(doc, 2, (RelatedLocation("", 1, 1, "规则包范文第1条（copied_template_passages）"),),
                      rule="copied-from-template")
    html = render(_report(doc, [finding]))
    [(_, note)] = Page(html).notes
    assert note.endswith("是否原样照搬？规则包范文第1条（copied_template_passages）")
    assert 'class="rel" href' not in html and " 第 1 行" not in html
