"""Suppression comments, per-file ignores and --report-unused-suppressions, through the CLI."""
from __future__ import annotations

from conftest import cli_json, lint_text, run_cli

DIRTY = "全县共有xx个村。根据**县要求"  # placeholder-x at column 5, placeholder-stars at 11


def _about_placeholders(findings):
    # DIRTY repeated line after line is also a pasted-twice line and a broken sentence to
    # the damage rules; these tests are about what the directives hide.
    return [f for f in findings if f["category"] in ("placeholder", "artifact")]


def _lint(tmp_path, text, *args, name="report.md"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return [(f["line"], f["rule"]) for f in _about_placeholders(cli_json(*args, name, cwd=tmp_path))]


def test_disable_next_line_by_rule_category_and_all(tmp_path):
    text = ("# 总结\n"
            "<!-- lint-reports-disable-next-line placeholder-x -->\n" + DIRTY + "\n"
            "<!-- lint-reports-disable-next-line placeholder -->\n" + DIRTY + "\n"
            "<!-- lint-reports-disable-next-line -->\n" + DIRTY + "\n"
            + DIRTY + "\n")
    assert _lint(tmp_path, text) == [(3, "placeholder-stars"), (8, "placeholder-x"), (8, "placeholder-stars")]


def test_disable_enable_range_with_a_list_of_targets(tmp_path):
    text = ("# 总结\n"
            "<!-- lint-reports-disable placeholder-x, placeholder-stars -->\n"
            + DIRTY + "\n" + DIRTY + "\n"
            "<!-- lint-reports-enable placeholder-x -->\n"
            + DIRTY + "\n"
            "<!-- lint-reports-enable -->\n"
            + DIRTY + "\n")
    assert _lint(tmp_path, text) == [(6, "placeholder-x"), (8, "placeholder-x"), (8, "placeholder-stars")]


def test_disable_without_enable_lasts_to_the_end_and_spaces_separate_targets(tmp_path):
    text = "# 总结\n" + DIRTY + "\n<!-- lint-reports-disable placeholder-x placeholder-stars -->\n" + (DIRTY + "\n") * 3
    assert _lint(tmp_path, text) == [(2, "placeholder-x"), (2, "placeholder-stars")]


def test_directives_inside_code_blocks_are_examples_not_directives(tmp_path):
    text = ("# 用法\n\n```markdown\n<!-- lint-reports-disable -->\n```\n\n" + DIRTY + "\n")
    assert _lint(tmp_path, text) == [(7, "placeholder-x"), (7, "placeholder-stars")]
    text = "# 用法\n\n```text\n全县共有xx个村。 lint-reports: disable-line placeholder-x\n```\n"
    assert _lint(tmp_path, text, "--report-unused-suppressions") == []


def test_comment_forms_are_markdown_only(tmp_path):
    text = "<!-- lint-reports-disable-next-line -->\n" + DIRTY + "\n"
    assert (2, "placeholder-x") in _lint(tmp_path, text, name="report.txt")


def test_disable_line_in_any_file_with_a_reason(tmp_path):
    text = (DIRTY + " lint-reports: disable-line placeholder-x -- 范文中的示例\n"
            + DIRTY + " <!-- lint-reports: disable-line placeholder-stars,placeholder-x -->\n"
            + DIRTY + "\n")
    expected = [(1, "placeholder-stars"), (3, "placeholder-x"), (3, "placeholder-stars")]
    assert _lint(tmp_path, text, name="report.txt") == expected
    assert _lint(tmp_path, "# 总结\n" + text, name="report.md") == [(line + 1, rule) for line, rule in expected]


def test_directive_text_is_never_flagged_itself():
    text = "全县共有xx个村。 lint-reports: disable-line placeholder-x, placeholder-name-letter\n"
    assert lint_text(text) == []


def test_per_file_config_ignores_end_to_end(tmp_path):
    (tmp_path / ".lint-reports.yaml").write_text(
        "per-file:\n  'drafts/*':\n    ignore: [placeholder-x]\n  'archive/':\n    ignore: [placeholder]\n",
        encoding="utf-8")
    for folder in ("drafts", "archive", "final"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text(DIRTY + "\n", encoding="utf-8")
    findings = cli_json(".", cwd=tmp_path)
    assert sorted((f["path"], f["rule"]) for f in findings) == [
        ("drafts/a.txt", "placeholder-stars"), ("final/a.txt", "placeholder-stars"), ("final/a.txt", "placeholder-x")]


def test_report_unused_suppressions(tmp_path):
    text = ("# 总结\n"
            "<!-- lint-reports-disable-next-line placeholder-x -->\n" + DIRTY + "\n"   # used
            "<!-- lint-reports-disable-next-line placeholder -->\n今年完成了任务。\n"  # unused
            "今年完成了任务。 <!-- lint-reports: disable-line placeholdr-x -->\n"       # typo
            "<!-- lint-reports-disable artifact -->\n今年完成了任务。\n<!-- lint-reports-enable -->\n")
    (tmp_path / "report.md").write_text(text, encoding="utf-8")
    # the misspelt id is reported by default (unknown-suppression), with the id it meant
    by_default = _about_placeholders(cli_json("report.md", cwd=tmp_path))
    assert [(f["line"], f["rule"], f["severity"]) for f in by_default] == [
        (3, "placeholder-stars", "error"), (6, "unknown-suppression", "error")]
    assert "“placeholdr-x”不是规则编号或类别，是不是 “placeholder-x”？" in by_default[1]["message"]
    findings = cli_json("--report-unused-suppressions", "report.md", cwd=tmp_path)
    unused = [f for f in findings if f["rule"] == "unused-suppression"]
    assert [(f["line"], f["column"], f["category"], f["severity"]) for f in unused] == [
        (4, 1, "artifact", "warning"), (7, 1, "artifact", "warning")]
    assert "没有屏蔽任何问题（placeholder）" in unused[0]["message"]
    assert "没有屏蔽任何问题（artifact）" in unused[1]["message"]
    assert [f["line"] for f in findings if f["rule"] == "unknown-suppression"] == [6]


def test_unused_report_skips_rules_that_did_not_run(tmp_path):
    text = "全县共有十个村。 lint-reports: disable-line placeholder-x\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    assert [f["rule"] for f in cli_json("--report-unused-suppressions", "a.txt", cwd=tmp_path)] == ["unused-suppression"]
    assert cli_json("--report-unused-suppressions", "--select", "artifact", "a.txt", cwd=tmp_path) == []
    assert cli_json("--report-unused-suppressions", "--ignore", "unused-suppression", "a.txt", cwd=tmp_path) == []


def test_unused_suppression_is_listable_and_explained():
    listing = run_cli("--list-rules").stdout
    assert any(line.split()[:4] == ["unused-suppression", "artifact", "warning", "no"] for line in listing.splitlines())
    explained = run_cli("--explain", "unused-suppression")
    assert explained.returncode == 0 and "屏蔽注释" in explained.stdout


def test_seeds_have_no_suppressions_so_reporting_changes_nothing():
    assert cli_json("--report-unused-suppressions", "seeds") == cli_json("seeds")


def test_markdown_disable_line_comment_and_all_and_multiline_comment(tmp_path):
    text = ("# 总结\n"
            + DIRTY + " <!-- lint-reports-disable-line placeholder-x -->\n"
            + DIRTY + " <!-- lint-reports-disable-line all -->\n"
            "<!--\n  lint-reports-disable-next-line\n  placeholder-stars -- 模板示例\n-->\n"
            + DIRTY + "\n")
    assert _lint(tmp_path, text) == [(2, "placeholder-stars"), (8, "placeholder-x")]


def test_disable_at_the_top_covers_a_finding_about_the_whole_document():
    from lint_reports.core.finding import Finding
    from lint_reports.core.document import Document
    from lint_reports.core import suppress

    doc = Document("a.md", "<!-- lint-reports-disable section -->\n# 工作总结\n")
    about_document = Finding("a.md", 1, 1, 38, "section-missing", "section", "warning", "缺少部分", 0, 37)
    assert suppress.apply(doc, [about_document], [], {"section"}) == []
    assert doc.suppressions[0].used == {"section": 1}


def test_report_unused_suppressions_from_config(tmp_path):
    (tmp_path / "a.txt").write_text("今年完成了任务。 lint-reports: disable-line placeholder\n", encoding="utf-8")
    (tmp_path / ".lint-reports.yaml").write_text(
        "report-unused-suppressions: true\nseverity:\n  unused-suppression: error\n", encoding="utf-8")
    assert [(f["rule"], f["severity"]) for f in cli_json("a.txt", cwd=tmp_path)] == [("unused-suppression", "error")]
    (tmp_path / ".lint-reports.yaml").write_text("report-unused-suppressions: yes please\n", encoding="utf-8")
    result = run_cli("a.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"lint-reports: error: {tmp_path / '.lint-reports.yaml'}:1: "
                                     "'report-unused-suppressions' must be true or false")
