"""The language server's parts that need no protocol: positions, config edits, suppression,
the set of safe fixes, and the session's config discovery and reloading."""
from __future__ import annotations

import os
import sys
import time

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from lint_reports.core.document import Document
from lint_reports.core.finding import Edit, Finding
from lint_reports.lsp import positions
from lint_reports.lsp.session import (AllowEditError, Session, add_allow_toml, add_allow_yaml, allow_entry,
                                      apply_edits, safe_edits, suppress_edit)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib
import yaml


def test_utf16_counts_astral_characters_twice():
    line = "𠮷𠮷，**县"
    assert positions.to_client(line, 3) == 5
    assert positions.to_client(line, 3, positions.UTF32) == 3
    assert positions.to_client(line, 3, positions.UTF8) == 4 + 4 + 3
    assert positions.from_client(line, 5) == 3
    assert positions.from_client(line, 1) == 0  # inside the surrogate pair: that character
    assert positions.from_client(line, 99) == len(line)
    with pytest.raises(ValueError):
        positions.to_client(line, 1, "PositionEncodingKind.Utf16")


@given(st.text(alphabet=st.sampled_from("a中𠮷😀，\t é"), max_size=20), st.data())
def test_positions_round_trip(line, data):
    column = data.draw(st.integers(0, len(line)))
    for encoding in (positions.UTF8, positions.UTF16, positions.UTF32):
        units = positions.to_client(line, column, encoding)
        assert units == len(line[:column].encode({"utf-8": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}[encoding])) \
            // {"utf-8": 1, "utf-16": 2, "utf-32": 4}[encoding]
        assert positions.from_client(line, units, encoding) == column


def test_allow_yaml_keeps_comments_and_handles_every_layout():
    block = "# 配置\nyear: 2024\nallow:\n  - 张三  # 人名\n  - 李四\nignore: []\n"
    updated = add_allow_yaml(block, "某某")
    assert "# 人名" in updated and "# 配置" in updated
    assert yaml.safe_load(updated)["allow"] == ["张三", "李四", "某某"]
    assert yaml.safe_load(add_allow_yaml("allow: [甲, 乙]\n", "x\"引号"))["allow"] == ["甲", "乙", "x\"引号"]
    assert yaml.safe_load(add_allow_yaml("allow: []\n", "甲"))["allow"] == ["甲"]
    assert yaml.safe_load(add_allow_yaml("allow:\nyear: 2020\n", "甲")) == {"allow": ["甲"], "year": 2020}
    assert yaml.safe_load(add_allow_yaml("year: 2020", "甲")) == {"year": 2020, "allow": ["甲"]}
    assert yaml.safe_load(add_allow_yaml("", "**县")) == {"allow": ["**县"]}
    assert yaml.safe_load(add_allow_yaml("allow:\n- 甲\n", "乙"))["allow"] == ["甲", "乙"]
    with pytest.raises(AllowEditError):
        add_allow_yaml("allow: 甲\n", "乙")  # a scalar, not a list: left to the user


def test_allow_toml_in_every_layout():
    def allow(text):
        return tomllib.loads(text)["tool"]["lint-reports"]["allow"]

    assert allow(add_allow_toml('[project]\nname = "x"\n', "甲")) == ["甲"]
    assert allow(add_allow_toml('[tool.lint-reports]\nyear = 2024\n', "甲")) == ["甲"]
    assert allow(add_allow_toml('[tool.lint-reports]\nallow = ["a", "b"]\n[other]\nk = 1\n', "甲")) == ["a", "b", "甲"]
    assert allow(add_allow_toml('[tool.lint-reports]\nallow = []\n', "甲")) == ["甲"]
    assert allow(add_allow_toml('[tool.lint-reports]\nallow = [\n    "a",\n    "b"\n]\n', "甲")) == ["a", "b", "甲"]


def _finding(doc, start, end, rule="placeholder-x", fix=None, category="placeholder"):
    line, column = doc.position(start)
    return Finding(doc.path, line, column, column + end - start, rule, category, "error", "m", start, end, fix)


def test_markdown_suppression_goes_above_with_the_indent_and_merges():
    doc = Document("r.md", "# 标题\n\n  - 由x任组长\n")
    finding = _finding(doc, doc.text.index("x"), doc.text.index("x") + 1)
    edit = suppress_edit(doc, finding)
    text = apply_edits(doc.text, [edit])
    assert text == "# 标题\n\n  <!-- lint-reports-disable-next-line placeholder-x -->\n  - 由x任组长\n"
    again = Document("r.md", text)
    other = _finding(again, again.text.index("x任"), again.text.index("x任") + 1, rule="placeholder-name-letter")
    merged = apply_edits(again.text, [suppress_edit(again, other)])
    assert "<!-- lint-reports-disable-next-line placeholder-x, placeholder-name-letter -->\n  - 由x" in merged
    same = _finding(again, again.text.index("x任"), again.text.index("x任") + 1)
    assert apply_edits(again.text, [suppress_edit(again, same)]) == again.text


def test_allow_entry_is_exactly_the_flagged_text():
    doc = Document("a.txt", "制定《**县民政局计划》，xx区的的工作\n本文由张三整理，下载文档一键复制全文\n")
    at = doc.text.index

    def entry(text, **extra):
        return allow_entry(doc, _finding(doc, at(text), at(text) + len(text), **extra))

    assert entry("下载文档一键复制全文") == "下载文档一键复制全文"  # not the line it is on
    assert entry("的的", rule="repetition-word") == "的的"
    assert entry("xx") == "xx"
    # too little to allow in every file: a lone mark, stars, a single character, punctuation
    for text in ("**", "x", "县", "，"):
        assert entry(text) is None, text
    section = _finding(doc, 0, 5, rule="section-missing", category="section")
    section.whole_document = True
    assert allow_entry(doc, section) is None


def test_safe_edits_are_what_fix_applies_once_each_and_never_overlapping():
    doc = Document("a.txt", "0123456789")
    artifact = dict(rule="artifact-x", category="artifact")
    findings = [_finding(doc, 0, 3, fix=Edit(0, 3, ""), **artifact), _finding(doc, 1, 2, fix=Edit(0, 3, ""), **artifact),
                _finding(doc, 2, 5, fix=Edit(2, 5, "x"), **artifact), _finding(doc, 6, 7, fix=Edit(6, 7, "六"), **artifact),
                _finding(doc, 8, 9, **artifact),
                _finding(doc, 7, 8, fix=Edit(7, 8, "")),  # a placeholder: only a person knows what goes there
                ]
    edits = safe_edits(doc, findings)
    assert edits == [Edit(0, 3, ""), Edit(6, 7, "六")]
    assert apply_edits(doc.text, edits) == "345六789"
    assert safe_edits(doc, findings[-1:]) == []


def test_session_finds_the_config_like_the_cli_and_reloads_it(tmp_path):
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    report = root / "docs" / "r.txt"
    text = "xx区2023年工作总结\n下载文档一键复制全文\n"
    session = Session([root])
    rules = lambda: sorted(f.rule for f in session.lint(report, text).findings)  # noqa: E731
    assert rules() == ["artifact-download", "placeholder-x"]
    config = root / ".lint-reports.yaml"
    config.write_text("ignore: [artifact]\n", encoding="utf-8")
    assert rules() == ["placeholder-x"]
    config.write_text("ignore: [placeholder]\n", encoding="utf-8")
    stat = config.stat()
    os.utime(config, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert rules() == ["artifact-download"]
    config.write_text("ignore: [nonsense-rule]\n", encoding="utf-8")
    os.utime(config, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000))
    broken = session.lint(report, text)
    assert broken.doc is None and "nonsense-rule" in broken.error and ".lint-reports.yaml:1" in broken.error
    config.write_text("files:\n  exclude: [docs/]\n", encoding="utf-8")
    os.utime(config, ns=(stat.st_atime_ns, stat.st_mtime_ns + 3_000_000))
    assert session.lint(report, text).findings == []


def test_session_sees_a_config_appear_change_and_go(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    report = root / "r.txt"
    session = Session([root])
    session.lint(report, "xx区\n")
    assert not session.configs_changed()
    config = root / ".lint-reports.yaml"
    config.write_text("ignore: [artifact]\n", encoding="utf-8")
    assert session.configs_changed()  # appeared
    session.forget_configs()
    session.lint(report, "xx区\n")
    assert not session.configs_changed()
    config.write_text("ignore: [placeholder]\n", encoding="utf-8")
    stat = config.stat()
    os.utime(config, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert session.configs_changed()  # changed
    session.lint(report, "xx区\n")  # a lint reloads it too
    assert not session.configs_changed()
    config.unlink()
    assert session.configs_changed()  # gone


def test_session_reports_a_crashing_rule_once_per_lint_and_keeps_the_others(tmp_path, monkeypatch):
    from lint_reports.lsp.incremental import IncrementalLinter

    original = IncrementalLinter.check_rule

    def crash_on_x(self, doc, rule):
        if rule.id == "placeholder-x":
            raise RuntimeError("boom")
        return original(self, doc, rule)

    monkeypatch.setattr(IncrementalLinter, "check_rule", crash_on_x)
    session = Session([tmp_path])
    report = tmp_path / "r.txt"
    for _ in range(2):  # a server lints for hours: nothing piles up between lints
        result = session.lint(report, "xx区2023年工作总结\n下载文档一键复制全文\n")
        assert [f.rule for f in result.findings] == ["artifact-download"]
        assert len(result.problems) == 1 and "placeholder-x" in result.problems[0] and "boom" in result.problems[0]
        guard = session.loaded_for(report).linter.guard
        assert guard.errors == [] and guard.warnings == [] and guard.traces == []


def test_session_allow_writes_the_workspace_config(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    report = root / "r.txt"
    text = "由xx任组长，x任副组长\n"
    session = Session([root])
    assert len(session.lint(report, text).findings) == 2
    first = session.lint(report, text).findings[0]
    entry = allow_entry(session.lint(report, text).doc, first)
    assert entry == "xx"
    target = session.add_allow(report, entry)
    assert target == root / ".lint-reports.yaml" and entry in target.read_text(encoding="utf-8")
    left = session.lint(report, text).findings
    assert len(left) == 1 and left[0].column != first.column
    time.sleep(0.01)
    (root / ".lint-reports.yaml").write_text("allow: 甲\n", encoding="utf-8")
    with pytest.raises(AllowEditError):
        session.add_allow(report, "乙")
    assert (root / ".lint-reports.yaml").read_text(encoding="utf-8") == "allow: 甲\n"


# --- incremental re-lint ------------------------------------------------------------------------
from hypothesis import settings  # noqa: E402

from conftest import SEEDS  # noqa: E402
from lint_reports.config.settings import Config  # noqa: E402
from lint_reports.core.engine import Linter  # noqa: E402
from lint_reports.lsp.incremental import IncrementalLinter, line_local, searched_per_line_is_local  # noqa: E402
from lint_reports.speed.prefilter import analyse  # noqa: E402

SEED_TEXT = (SEEDS / "000_8261cbc6f0c4fd5e.txt").read_text(encoding="utf-8")
FRESH = Linter(Config())


def _key(findings):
    return [(f.line, f.column, f.end_column, f.rule, f.severity, f.message, f.start, f.end, f.fix) for f in findings]


def test_line_locality_is_read_from_the_expression():
    import re

    # the whole expression, for runs of lines searched at once: the prefilter's analysis
    # (with a start position, \A still matches only at the text's real start)
    def single_line(source, flags=re.M):
        return analyse(re.compile(source, flags))[0]

    assert single_line(r"(?<=[\u3400-\u9fff])[*＊]+|\d+(?=年)")
    assert single_line(r"^推荐阅读[:：]?$")
    assert single_line(r"[^*_\n]{1,40}")
    for crossing in (r"a\sb", r"[^x]+", r"a\nb", r"(?s:a.b)", r"a(?=\s)", r"\W"):
        assert not single_line(crossing), crossing
    assert not single_line(r"abc$", 0)  # without re.M: also before a window's last newline
    # searched line by line, only a lookbehind can see another line: one wider than a
    # character that can match the newline before the line
    assert searched_per_line_is_local(re.compile(r"a\sb|[^x]+|(?s:a.b)|\Aabc|a(?=\s)|\W|abc$", re.M))
    assert searched_per_line_is_local(re.compile(r"(?<!\s)x|(?<=[^x])y|(?<![a-z]{2})z", re.M))
    for crossing in (r"(?<=\s\s)x", r"(?<![^a]b)x", r"(?:(?<=\n.)y)+"):
        assert not searched_per_line_is_local(re.compile(crossing, re.M)), crossing
    assert all(line_local(rule) for rule in FRESH.rules if rule.kind == "pattern")


def test_every_pattern_of_a_rule_scans_the_whole_range():
    from lint_reports.config.packs import parse_pack, prepare_rules
    from lint_reports.core.context import RuleContext
    from lint_reports.kinds import pattern

    pack = parse_pack("""
rules:
  - id: two-patterns
    category: placeholder
    severity: error
    kind: pattern
    message: m
    description: d
    examples: {bad: ["AAA"], good: ["ok"]}
    patterns: ["AAA", "BBB"]
""", "two.yaml")
    rule = prepare_rules([pack])[0]
    doc = Document("t.txt", "AAA\n" + "x\n" * 5 + "BBB\n")
    ctx = RuleContext(doc)
    assert [f.line for f in pattern.check(ctx, rule)] == [1, 7]
    assert [f.line for f in pattern.check_range(ctx, rule, doc.line_starts[1], len(doc.prose))] == [7]


EDITS = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 40),
                           st.sampled_from(["", "x", "**", "\n", "xx区", "20xx年", "下载文档一键复制全文\n", "推荐阅读：\n", "某", "𠮷"])),
                 min_size=1, max_size=6)


def _edited(path, edits):
    """(the server's linter, the text) after each edit of a seed, the linter having linted
    the text before the first edit."""
    linter = IncrementalLinter(Config())
    text = SEED_TEXT if path.endswith(".txt") else "# 标题\n\n```\n**代码**\n```\n" + SEED_TEXT
    linter.lint(Document(path, text), path)
    for position, length, insert in edits:
        position %= len(text) + 1
        text = text[:position] + insert + text[position + length:]
        yield linter, text


@settings(max_examples=30, deadline=None)
@given(EDITS, st.sampled_from(["r.txt", "r.md"]))
def test_incremental_lint_equals_a_fresh_lint_after_any_edits(edits, path):
    for linter, text in _edited(path, edits):
        incremental = linter.lint(Document(path, text), path)
        assert _key(incremental) == _key(FRESH.lint(Document(path, text), path))


def _is_local(finding) -> bool:
    return line_local(FRESH.by_id[finding.rule])


@settings(max_examples=30, deadline=None)
@given(EDITS, st.sampled_from(["r.txt", "r.md"]))
@example([(0, 0, "下载文档一键复制全文\n"), (0, 1, "推荐阅读：\n")], "r.txt")  # a link list typed above a line-local finding
def test_quick_lints_are_exact_for_line_local_rules_and_the_next_full_lint_is_exact(edits, path):
    for linter, text in _edited(path, edits):
        quick = linter.lint(Document(path, text), path, quick=True)
        fresh = FRESH.lint(Document(path, text), path)
        # One defect, one finding: a line-local finding inside a whole-document finding of its
        # category (a download note inside a “推荐阅读” link list just typed above it) is dropped
        # by the lint that has that finding; a quick lint has not run the whole-document rules
        # at the edit yet. Outside such spans the line-local findings must be exact.
        absorbing = [g for g in fresh + quick if not _is_local(g)]

        def exact(findings, absorbing=absorbing):
            return _key(f for f in findings if _is_local(f) and not any(
                g.category == f.category and g.start <= f.start and f.end <= g.end for g in absorbing))

        assert exact(quick) == exact(fresh)
        lines = len(text.split("\n"))
        assert all(1 <= f.line <= lines for f in quick)
    assert linter.last_was_provisional
    assert _key(linter.lint(Document(path, text), path)) == _key(FRESH.lint(Document(path, text), path))
    assert not linter.last_was_provisional


def test_a_quick_lint_keeps_whole_document_findings_away_from_the_edit():
    linter = IncrementalLinter(Config())
    text = SEED_TEXT
    before = linter.lint(Document("r.txt", text), "r.txt")
    others = [f for f in before if not _is_local(f) and not f.whole_document]
    assert others, "the seed has findings of whole-document rules"
    target = others[len(others) // 2]
    assert target.line > 2
    line_start = Document("r.txt", text).line_starts[target.line - 2]
    edited = text[:line_start] + "新增一行。\n" + text[line_start:]  # above the line above the finding
    quick = linter.lint(Document("r.txt", edited), "r.txt", quick=True)
    assert linter.last_was_provisional
    moved = [f for f in quick if f.rule == target.rule and f.start == target.start + len("新增一行。\n")]
    assert moved and moved[0].line == target.line + 1
    assert edited[moved[0].start:moved[0].end] == text[target.start:target.end]


def test_the_fast_diagnostic_json_is_what_the_generic_converter_writes():
    pytest.importorskip("pygls")
    from lsprotocol import types
    from pygls.protocol import default_converter

    from lint_reports.lsp.server import fast_converter

    where = types.Range(types.Position(3, 1), types.Position(3, 5))
    diagnostics = [
        types.Diagnostic(range=where, message="由x任组长", severity=types.DiagnosticSeverity.Warning,
                         code="placeholder-x", source="lint-reports"),
        types.Diagnostic(range=where, message="只有消息"),
        types.Diagnostic(range=where, message="m", code=7, tags=[types.DiagnosticTag.Unnecessary],
                         data={"k": 1}),
    ]
    params = types.PublishDiagnosticsParams(uri="file:///r.txt", diagnostics=diagnostics, version=3)
    assert fast_converter().unstructure(params) == default_converter().unstructure(params)


# --- hover ------------------------------------------------------------------------------------
from lint_reports.lsp import hover  # noqa: E402
from lint_reports.config.packs import Rule  # noqa: E402


def _rule(**extra):
    fields = dict(id="team-word", category="artifact", severity="error", kind="pattern", message="m",
                  description="d", examples={}, params={}, pack="team.yaml")
    fields.update(extra)
    return Rule(**fields)


def test_hover_markdown_shows_pack_and_document_text_literally():
    """A pack's texts and the document's are data: nothing in them becomes emphasis, a link,
    HTML, a heading or the end of a code block."""
    rule = _rule(description="禁用 **粗体** 与 <img src=x onerror=alert(1)> 和 [链接](http://e.x)\n# 不是标题",
                 explain="第一行说明\n接着一行，用 `allow:` 配置。\n\n1. 第二段\n- 列表",
                 examples={"bad": ["```\n跳出代码块\n````", "多行\n第二行"], "good": ["正常 * 文字"]})
    doc = Document("a.txt", "甲乙丙\x1b[31m")
    finding = _finding(doc, 0, 3, rule="team-word", category="artifact")
    finding.message = "不用“甲乙丙\x1b[31m”"
    text = hover.markdown(finding, rule, "删除“甲乙丙”")
    assert "\\*\\*粗体\\*\\*" in text and "\\<img src=x onerror=alert(1)\\>" in text
    assert "\\[链接\\](http://e.x) # 不是标题" in text  # joined into one paragraph: no heading
    assert "不用“甲乙丙\\\\x1b\\[31m”" in text  # the control character as an escape, and escaped
    assert "第一行说明接着一行，用 `allow:` 配置。" in text  # one paragraph, its code span kept
    assert "\n\n1\\. 第二段 - 列表\n\n" in text  # not a list: the number escaped, the dash mid-line
    # examples in a fence longer than any backtick run inside them, multi-line ones indented
    assert "`````text\n✗ ```\n  跳出代码块\n  ````\n✗ 多行\n  第二行\n`````" in text
    assert "```text\n✓ 正常 * 文字\n```" in text
    assert "建议：删除“甲乙丙”" in text


def test_hover_without_the_rule_still_shows_the_finding():
    doc = Document("a.txt", "由x任组长")
    finding = _finding(doc, 1, 2)
    assert hover.markdown(finding, None).startswith("**placeholder-x** · 错误 · 占位符未替换（placeholder）\n\nm")
    assert hover.plain(finding, None) == "placeholder-x  （错误，占位符未替换）\n\nm"
    both = hover.hover_text([(finding, None), (finding, None)], as_markdown=True)
    assert both.count("**placeholder-x**") == 2 and "\n\n---\n\n" in both


def test_session_uses_the_config_closest_to_each_document_as_the_cli_does(tmp_path):
    from lint_reports.config.settings import Resolver

    root = tmp_path / "repo"
    (root / "history" / "2010").mkdir(parents=True)
    (root / ".lint-reports.yaml").write_text("ignore: [artifact]\n", encoding="utf-8")
    (root / "history" / ".lint-reports.yaml").write_text("ignore: [placeholder]\n", encoding="utf-8")
    text = "xx区2023年工作总结\n下载文档一键复制全文\n"
    top, deep = root / "r.txt", root / "history" / "2010" / "r.txt"
    session = Session([root])
    assert sorted(f.rule for f in session.lint(top, text).findings) == ["placeholder-x"]
    assert sorted(f.rule for f in session.lint(deep, text).findings) == ["artifact-download"]
    resolver = Resolver(cwd=root)
    for report in (top, deep):
        assert session.config_path_for(report) == resolver.closest_file(report.parent)
    assert session.allow_target(deep) == root / "history" / ".lint-reports.yaml"
    (root / "history" / "2010" / "pyproject.toml").write_text("[tool.lint-reports]\nignore = []\n", encoding="utf-8")
    assert session.configs_changed()  # a closer config appeared
    assert sorted(f.rule for f in session.lint(deep, text).findings) == ["artifact-download", "placeholder-x"]


def test_a_copied_passage_links_to_the_template_line_in_the_editor(tmp_path, monkeypatch):
    """relatedInformation: the template file and line; a place that is no file is left out."""
    from lint_reports.core.finding import Finding, RelatedLocation
    from lint_reports.lsp.server import related_information

    template = tmp_path / "模板" / "总结模板.md"
    template.parent.mkdir()
    template.write_text("一\n二\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    finding = Finding("a.md", 1, 1, 5, "copied-from-template", "copied", "warning", "此段与模板相同", 0, 4)
    finding.related = (RelatedLocation("模板/总结模板.md", 2, 1, "模板中的原文"),
                       RelatedLocation("<rule pack passages>", 1, 1, "x"))
    (place,) = related_information(finding)
    assert place.location.uri == template.resolve().as_uri() and place.location.range.start.line == 1
    assert place.message == "模板中的原文"


def test_a_repeat_between_pieces_links_to_the_file_itself_wherever_the_server_runs(tmp_path, monkeypatch):
    """The document is linted under its path relative to its config; its related place must
    still open this very file when the server runs in another directory."""
    from lint_reports.lsp.server import related_information

    root = tmp_path / "repo"
    (root / "汇编").mkdir(parents=True)
    (root / ".lint-reports.yaml").write_text("ignore: []\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    repeat = "全年完成道路硬化改造工程，新修村组道路二十公里，群众出行难的问题得到根本解决。"
    opening = "本汇编收录我镇近两年的年度工作总结，供各村各部门对照查找差距、改进工作参考使用。"
    text = f"2023年工作总结汇编\n{opening}\n篇一：2022年工作总结\n{repeat}\n篇二：2023年工作总结\n{repeat}\n"
    path = root / "汇编" / "总结汇编.txt"
    path.write_text(text, encoding="utf-8")
    [finding] = [f for f in Session([root]).lint(path, text).findings if f.rule == "copied-from-report"]
    assert finding.line == 6 and finding.related[0].path == str(path)
    [place] = related_information(finding)
    assert place.location.uri == path.resolve().as_uri() and place.location.range.start.line == 3


def test_compare_repository_in_the_editor_reads_a_saved_report_again_only_when_it_changed(tmp_path, monkeypatch):
    from lint_reports.core import runner

    root = tmp_path / "repo"
    (root / "往年").mkdir(parents=True)
    (root / ".lint-reports.yaml").write_text("compare: repository\n", encoding="utf-8")
    sentence = "全年完成道路硬化改造工程，新修村组道路二十公里，群众出行难的问题得到根本解决，村容村貌明显改善。"
    old = root / "往年" / "2024年工作总结.txt"
    old.write_text(f"2024年工作总结\n\n{sentence}\n", encoding="utf-8")
    (root / "往年" / "2023年工作总结.txt").write_text("2023年工作总结\n各项工作有序推进，全年目标任务全面完成，为来年发展打下了坚实基础。\n",
                                                encoding="utf-8")
    reads = []
    real_process = runner.process
    monkeypatch.setattr(runner, "process", lambda linter, job: reads.append(job.target.path.name) or real_process(linter, job))
    session = Session([root])
    path = root / "2025年工作总结.txt"
    text = f"2025年工作总结\n{sentence}\n"

    def copied():
        return [(f.line, f.related[0].path) for f in session.lint(path, text).findings if f.rule == "copied-from-report"]

    assert copied() == [(2, str(old))]
    assert sorted(reads) == ["2023年工作总结.txt", "2024年工作总结.txt"]
    text += "新的一年，我们将继续努力。\n"  # an edit: the saved reports are not read again
    assert copied() == [(2, str(old))] and len(reads) == 2
    old.write_text("2024年工作总结\n\n全年新修村组道路十公里。\n", encoding="utf-8")  # saved elsewhere
    assert copied() == [] and reads[2:] == ["2024年工作总结.txt"]


_COPY = "　　我们必须坚决拥护党的一元化领导。工、农、商、学、兵、政、党这七个方面，党是领导一切的。" * 3
_PAGE = f"一、工作回顾\n{_COPY}\n\n{_COPY[::-1]}\n"


def test_a_finding_over_whole_lines_moves_with_an_edit_above_and_spans_them_in_the_editor():
    pytest.importorskip("pygls")
    from types import SimpleNamespace

    from lint_reports.lsp.server import LintReportsServer

    linter = IncrementalLinter(Config(), select=["artifact-repeated-body"])
    text = _PAGE + _PAGE
    [copy] = linter.lint(Document("r.txt", text), "r.txt")
    assert (copy.line, copy.end_line) == (5, 8)
    edited = "新增一行。\n" + text
    for quick in (True, False):
        [moved] = linter.lint(Document("r.txt", edited), "r.txt", quick=quick)
        assert (moved.line, moved.end_line) == (6, 9)
    client = SimpleNamespace(encoding=positions.UTF16)  # what an initialised server negotiated
    doc = Document("r.txt", edited)
    span = LintReportsServer.finding_range(client, doc, moved)
    assert (span.start.line, span.end.line) == (5, 8)  # 0-based: the copy's first line to its last, whole
    assert span.end.character == positions.to_client(doc.lines[8], len(doc.lines[8]), positions.UTF16)
