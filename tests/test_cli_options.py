"""The command line a ruff or yamllint user expects (issue 20): exit status options, quiet
and statistics, several outputs of one run, fix hints, usage errors, rule listings with the
config applied, colour, the summary sentence, patterns and empty directories, progress.
Each through the real CLI (conftest.run_cli), as a user meets it."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT, run_cli

# A download banner (artifact: --fix deletes it) and a placeholder (never fixed), as copied
# from a 范文 page; a traditional character (charset: --fix replaces it).
FIXABLE_AND_NOT = "工作总结\n\n一、主要做法展开全文。\n二、**县要抓好落实。\n"
FIXABLE_ONLY = "工作总结\n\n一、主要做法。展开全文\n"
TRADITIONAL = "工作总结\n\n一、會议精神传达到位。\n"
CLEAN = "2023年工作总结\n\n全年工作平稳推进。\n"


def _files(tmp_path, **texts):
    for name, text in texts.items():
        (tmp_path / name.replace("__", ".")).write_text(text, encoding="utf-8")
    return tmp_path


# --- exit status ------------------------------------------------------------------------

def test_exit_zero_and_fail_level_never_report_but_exit_0(tmp_path):
    _files(tmp_path, b__txt=FIXABLE_AND_NOT)
    assert run_cli("b.txt", cwd=tmp_path).returncode == 1
    for option in (["--exit-zero"], ["--fail-level", "never"]):
        result = run_cli(*option, "b.txt", cwd=tmp_path)
        assert result.returncode == 0, option
        assert "placeholder-stars" in result.stdout  # still reported
    # an error is still an error
    assert run_cli("--exit-zero", "missing.txt", cwd=tmp_path).returncode == 2


def test_exit_non_zero_on_fix(tmp_path):
    _files(tmp_path, r__txt=FIXABLE_ONLY)
    result = run_cli("--fix", "--exit-non-zero-on-fix", "r.txt", cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # a file changed, though nothing remains
    assert (tmp_path / "r.txt").read_text(encoding="utf-8") == "工作总结\n\n一、主要做法。\n"
    # nothing left to fix: exit 0 even with the option
    assert run_cli("--fix", "--exit-non-zero-on-fix", "r.txt", cwd=tmp_path).returncode == 0
    # --exit-zero silences findings, not the fix
    _files(tmp_path, r__txt=FIXABLE_AND_NOT)
    assert run_cli("--fix", "--exit-zero", "--exit-non-zero-on-fix", "r.txt", cwd=tmp_path).returncode == 1
    assert run_cli("--exit-zero", "r.txt", cwd=tmp_path).returncode == 0


# --- quiet, statistics --------------------------------------------------------------------

def test_quiet_prints_the_findings_only(tmp_path):
    _files(tmp_path, b__txt=FIXABLE_AND_NOT, ok__txt=CLEAN)
    loud = run_cli("b.txt", "ok.txt", cwd=tmp_path)
    quiet = run_cli("-q", "b.txt", "ok.txt", cwd=tmp_path)
    assert quiet.returncode == loud.returncode == 1
    assert quiet.stdout.splitlines() == loud.stdout.splitlines()[:-1]  # no summary
    assert run_cli("--quiet", "ok.txt", cwd=tmp_path).stdout == ""
    fixed = run_cli("-q", "--fix", "b.txt", cwd=tmp_path)
    assert fixed.stderr == "" and fixed.stdout.startswith("b.txt:4:3: error placeholder-stars")


def test_statistics_count_per_rule_most_frequent_first():
    listed = run_cli("--format", "json", "seeds/").stdout
    findings = json.loads(listed)["findings"]
    result = run_cli("--statistics", "seeds/")
    assert result.returncode == 1
    *rows, summary = result.stdout.splitlines()
    parsed = []
    for row in rows:
        match = re.match(r"^\s*(\d+)  (\S+)\s+(\[\*\]|\[ \])  (.+)$", row)
        assert match, row
        parsed.append((int(match[1]), match[2], match[3] == "[*]"))
    counts = {}
    for finding in findings:
        counts[finding["rule"]] = counts.get(finding["rule"], 0) + 1
    assert {rule: count for count, rule, _ in parsed} == counts
    assert [count for count, _, _ in parsed] == sorted((count for count, _, _ in parsed), reverse=True)
    fixable_rules = {f["rule"] for f in findings if f["fixable"]}
    assert {rule for _, rule, mark in parsed if mark} == fixable_rules
    assert summary == f"{len(findings)} problems in 5 files ({sum(f['fixable'] for f in findings)} fixable with --fix)"

    as_json = json.loads(run_cli("--statistics", "--format", "json", "seeds/").stdout)["statistics"]
    assert [(row["count"], row["rule"]) for row in as_json] == [(count, rule) for count, rule, _ in parsed]
    assert sum(row["fixable"] for row in as_json) == sum(f["fixable"] for f in findings)
    assert run_cli("--statistics", "-q", "seeds/").stdout.splitlines() == rows


def test_statistics_need_a_text_or_json_output():
    result = run_cli("--statistics", "--format", "sarif", "seeds/")
    assert result.returncode == 2 and "--statistics" in result.stderr and result.stdout == ""


# --- outputs ------------------------------------------------------------------------------

def test_output_file(tmp_path):
    _files(tmp_path, b__txt=FIXABLE_AND_NOT)
    expected = run_cli("--format", "json", "b.txt", cwd=tmp_path).stdout
    result = run_cli("--format", "json", "-o", "out/findings.json", "b.txt", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert (tmp_path / "out" / "findings.json").read_text(encoding="utf-8") == expected  # its folder made


@pytest.mark.parametrize("command", [["--show-files", "."], ["--show-settings", "b.txt"],
                                     ["--explain-year", "b.txt"], ["--check-packs"], ["--list-rules"]])
def test_output_file_takes_what_the_listing_commands_print(tmp_path, command):
    """-o used to be honoured by --list-rules only: the others printed to the terminal and
    left FILE unwritten, without a word."""
    _files(tmp_path, b__txt=FIXABLE_AND_NOT)
    expected = run_cli(*command, cwd=tmp_path)
    assert expected.returncode == 0 and expected.stdout, expected.stderr
    result = run_cli(*command, "-o", "out/listing.txt", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    assert (tmp_path / "out" / "listing.txt").read_text(encoding="utf-8") == expected.stdout
    if command[-1] == "b.txt":  # never over the file it is about
        refused = run_cli(*command, "-o", "b.txt", cwd=tmp_path)
        assert refused.returncode == 2 and "b.txt: not written" in refused.stderr
        assert (tmp_path / "b.txt").read_text(encoding="utf-8") == FIXABLE_AND_NOT


def test_several_outputs_from_one_run(tmp_path):
    """The README's GitLab job: readable log on stdout, Code Quality and JUnit files, one run."""
    _files(tmp_path, b__txt=FIXABLE_AND_NOT, ok__txt=CLEAN)
    alone = {name: run_cli("--format", name, "b.txt", "ok.txt", cwd=tmp_path).stdout
             for name in ("text", "gitlab", "junit", "sarif")}
    result = run_cli("--format", "text", "--format", "gitlab:gl-code-quality.json", "--format", "junit:j.xml",
                     "-f", "sarif:out/r.sarif", "b.txt", "ok.txt", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout == alone["text"]
    assert (tmp_path / "gl-code-quality.json").read_text(encoding="utf-8") == alone["gitlab"]
    assert (tmp_path / "j.xml").read_text(encoding="utf-8") == alone["junit"]
    assert (tmp_path / "out" / "r.sarif").read_text(encoding="utf-8") == alone["sarif"]
    # -o takes the format given without a file
    both = run_cli("-o", "o.txt", "--format", "text", "--format", "junit:o.xml", "b.txt", "ok.txt", cwd=tmp_path)
    assert both.stdout == "" and (tmp_path / "o.txt").read_text(encoding="utf-8") == alone["text"]
    assert (tmp_path / "o.xml").read_text(encoding="utf-8") == alone["junit"]


@pytest.mark.parametrize("args, words", [
    (["--format", "text", "--format", "json"], "would both write to standard output"),
    (["--format", "json:a.json", "--format", "gitlab:./a.json"], "would both write to ./a.json"),
    (["-o", "x.txt", "--format", "json:a.json"], "-o x.txt is not used: every --format names its own file"),
    (["-o", "x.txt", "--format", "text", "--format", "json"], "would both write to x.txt"),
    (["--format", "json:"], "a file name must follow the colon"),
    (["--format", "yaml:x.yaml"], "invalid choice: 'yaml'"),
])
def test_output_usage_errors(tmp_path, args, words):
    _files(tmp_path, b__txt=FIXABLE_AND_NOT)
    result = run_cli(*args, "b.txt", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    error, hint = result.stderr.splitlines()
    assert words in error and hint.startswith("hint: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.txt"]  # nothing linted, nothing written


def test_an_output_file_never_overwrites_a_report_it_lints(tmp_path):
    _files(tmp_path, b__txt=FIXABLE_AND_NOT)
    result = run_cli("--format", "json:b.txt", "b.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "b.txt: not written, it is one of the files linted" in result.stderr
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == FIXABLE_AND_NOT


def test_an_output_file_that_cannot_be_written_is_an_error_naming_it(tmp_path):
    _files(tmp_path, b__txt=FIXABLE_AND_NOT)
    (tmp_path / "adir").mkdir()
    result = run_cli("--format", "text", "--format", "json:adir", "b.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("lint-reports: error: adir: cannot write")
    assert "placeholder-stars" in result.stdout  # the other output is still written


# --- fix hints ------------------------------------------------------------------------------

def test_fixable_in_json_text_and_summary(tmp_path):
    _files(tmp_path, b__txt=FIXABLE_AND_NOT, c__txt=TRADITIONAL, ok__txt=CLEAN)
    findings = json.loads(run_cli("--format", "json", ".", cwd=tmp_path).stdout)["findings"]
    assert {(f["path"], f["rule"], f["fixable"]) for f in findings} == {
        ("b.txt", "artifact-download", True), ("b.txt", "placeholder-stars", False),
        ("c.txt", "charset-traditional", True)}
    text = run_cli(".", cwd=tmp_path).stdout.splitlines()
    assert text == [
        "b.txt:3:7: error artifact-download [*] 网页下载提示“展开全文”不是报告内容：请删除。",
        "b.txt:4:3: error placeholder-stars 占位符“**”未替换：请填写实际的名称、日期或数字。",
        "c.txt:3:3: warning charset-traditional [*] 繁体字“會”混在简体文本中，应为“会”。",
        "3 problems in 2 of 3 files (2 fixable with --fix)",
    ]


def test_show_fixes_lists_what_fix_would_do_and_then_what_it_did(tmp_path):
    _files(tmp_path, b__txt=FIXABLE_AND_NOT, c__txt=TRADITIONAL)
    shown = run_cli("--show-fixes", ".", cwd=tmp_path).stdout.splitlines()
    assert shown[:2] == ["b.txt:3:7: error artifact-download [*] 网页下载提示“展开全文”不是报告内容：请删除。",
                         "    fix: 删除“展开全文”"]
    assert shown[2].startswith("b.txt:4:3: error placeholder-stars") and shown[3].startswith("c.txt:3:3:")
    assert shown[4] == "    fix: 将“會”改为“会”"
    fixed = run_cli("--fix", "--show-fixes", ".", cwd=tmp_path)
    assert fixed.stderr.splitlines() == ["lint-reports: fixed 2 problems in 2 files",
                                         "- b.txt:", "    1 × artifact-download",
                                         "- c.txt:", "    1 × charset-traditional"]
    assert fixed.stdout.splitlines() == ["b.txt:4:3: error placeholder-stars 占位符“**”未替换：请填写实际的名称、日期或数字。",
                                         "1 problem in 1 of 2 files"]


def test_fix_note_says_problem_for_one_fix(tmp_path):
    _files(tmp_path, b__txt=FIXABLE_ONLY)
    fixed = run_cli("--fix", "b.txt", cwd=tmp_path)
    assert fixed.stderr.splitlines() == ["lint-reports: fixed 1 problem in 1 file"]
    assert fixed.stdout.splitlines() == ["no problems in 1 file"]


def _apply_sarif_fixes(text: str, results: list) -> str:
    """Apply each result's replacements, as a SARIF viewer would: regions in lines and
    columns (code points, 1-based, end exclusive), the last one first."""
    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    edits = []
    for result in results:
        for fix in result.get("fixes", []):
            for change in fix["artifactChanges"]:
                for replacement in change["replacements"]:
                    region = replacement["deletedRegion"]
                    start = starts[region["startLine"] - 1] + region["startColumn"] - 1
                    end = starts[region["endLine"] - 1] + region["endColumn"] - 1
                    edits.append((start, end, replacement.get("insertedContent", {}).get("text", "")))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def test_sarif_fixes_make_the_change_fix_makes(tmp_path):
    """Deleting a web artifact line (with its newline), replacing a character, joining a
    broken line: SARIF's replacements, applied to the file, give what --fix writes."""
    text = ("2023年工作总结\n2024-11-25下载文档一键复制全文\n一、會议精神传达到位。\n"
            "社区组织党员志愿者开展入户走访，共走访居民\n320户，收集意见建议56条，已全部办结。\n二、**县要抓好落实。\n")
    _files(tmp_path, r__txt=text)
    log = json.loads(run_cli("--format", "sarif", "r.txt", cwd=tmp_path).stdout)
    results = log["runs"][0]["results"]
    with_fixes = [r for r in results if "fixes" in r]
    assert {r["ruleId"] for r in with_fixes} == {"artifact-download", "charset-traditional", "linebreak-midsentence"}
    assert all(r["ruleId"] != "placeholder-stars" for r in with_fixes)
    for result in with_fixes:
        (fix,) = result["fixes"]
        (change,) = fix["artifactChanges"]
        assert change["artifactLocation"] == result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert fix["description"]["text"]
    run_cli("--fix", "r.txt", cwd=tmp_path)
    assert _apply_sarif_fixes(text, results) == (tmp_path / "r.txt").read_text(encoding="utf-8")


def test_a_word_file_is_never_called_fixable():
    """--fix does not rewrite .docx files, so nothing in one is marked fixable."""
    from lint_reports.config.settings import Config
    from lint_reports.core.document import Document
    from lint_reports.core.engine import Linter

    linter = Linter(Config())
    as_text = linter.lint(Document("r.txt", TRADITIONAL), "r.txt")
    as_word = linter.lint(Document("r.docx", TRADITIONAL, markup="docx"), "r.docx")
    assert [f.fixable for f in as_text] == [True]
    assert [f.rule for f in as_word] == [f.rule for f in as_text] and not as_word[0].fixable


def test_fixable_survives_the_cache(tmp_path):
    _files(tmp_path, b__txt=FIXABLE_AND_NOT)
    first = run_cli("--format", "sarif", "b.txt", cwd=tmp_path).stdout
    assert '"fixes"' in first
    assert run_cli("--format", "sarif", "b.txt", cwd=tmp_path).stdout == first  # answered from the cache
    assert run_cli("--format", "sarif", "--no-cache", "b.txt", cwd=tmp_path).stdout == first


# --- usage errors, missing files, patterns, empty directories --------------------------------

@pytest.mark.parametrize("args, error, hint", [
    (["--frobnicate"], "unrecognized arguments: --frobnicate", "hint: lint-reports --help lists every option"),
    (["--exit-zeroo"], "unrecognized arguments: --exit-zeroo", "hint: did you mean --exit-zero?"),
    (["--no-colour", "."], "unrecognized arguments: --no-colour", "hint: did you mean --no-color?"),
    (["--fail-level", "fatal"], "invalid choice: 'fatal'", "hint: "),
    (["--select", "no-such-rule", "seeds/"], "unknown rule or category: no-such-rule (see --list-rules)", None),
    # a misspelt id gets the suggestion a config's misspelling gets
    (["--ignore", "placeholder-star,artifact", "seeds/"],
     "unknown rule or category: placeholder-star (did you mean 'placeholder-stars'?) (see --list-rules)", None),
    (["--select", "placeholdr,artefact", "seeds/"], "unknown rule or category: placeholdr (did you mean "
     "'placeholder'?), artefact (did you mean 'artifact'?) (see --list-rules)", None),
    (["--explain", "placeholder-star"],
     "--explain: unknown rule 'placeholder-star' (did you mean 'placeholder-stars'?) (see --list-rules)", None),
])
def test_a_usage_error_is_one_line_and_a_hint(args, error, hint):
    result = run_cli(*args)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("lint-reports: error: ") and error in lines[0]
    if hint is None:
        assert len(lines) == 1
    else:
        assert len(lines) == 2 and lines[1].startswith(hint)
    assert "usage:" not in result.stderr


def test_options_may_follow_the_paths_and_dashdash_ends_them(tmp_path):
    _files(tmp_path, b__txt=FIXABLE_AND_NOT, c__txt=TRADITIONAL)
    (tmp_path / "-q.txt").write_text(TRADITIONAL, encoding="utf-8")
    result = run_cli("b.txt", "--format", "json", "c.txt", cwd=tmp_path)
    assert {f["path"] for f in json.loads(result.stdout)["findings"]} == {"b.txt", "c.txt"}
    result = run_cli("--format", "json", "--", "-q.txt", cwd=tmp_path)
    assert {f["path"] for f in json.loads(result.stdout)["findings"]} == {"-q.txt"}


def test_a_missing_file_prints_no_summary(tmp_path):
    result = run_cli("nope.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""  # not "no problems in 0 files"
    assert result.stderr == "lint-reports: error: nope.txt: no such file or directory\n"


def test_a_directory_or_pattern_with_nothing_to_lint_is_a_warning(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "rst").mkdir()
    (tmp_path / "rst" / "a.rst").write_text(TRADITIONAL, encoding="utf-8")
    (tmp_path / "excluded").mkdir()
    (tmp_path / "excluded" / "a.txt").write_text(TRADITIONAL, encoding="utf-8")
    (tmp_path / ".lint-reports.yaml").write_text("files:\n  exclude: ['excluded/']\n", encoding="utf-8")
    result = run_cli("empty", "rst", "excluded", "docs/*.md", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "lint-reports: warning: empty: no file to lint in this directory (files.include: *.txt, *.md, *.docx)",
        "lint-reports: warning: rst: no file to lint in this directory (files.include: *.txt, *.md, *.docx)",
        "lint-reports: warning: excluded: no file to lint in this directory (1 excluded by files.exclude)",
        "lint-reports: warning: docs/*.md: no file matches this pattern",
    ]
    # a directory whose files an earlier argument already took is no surprise
    assert "warning" not in run_cli("rst/a.rst", "rst", cwd=tmp_path).stderr


def test_a_pattern_the_shell_did_not_expand_is_expanded(tmp_path):
    """A quoted pattern (or one from a shell that found no match, or from Windows' cmd)."""
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / "a.md").write_text(TRADITIONAL, encoding="utf-8")
    (tmp_path / "docs" / "sub" / "b.md").write_text(TRADITIONAL, encoding="utf-8")
    (tmp_path / "docs" / "c.txt").write_text(TRADITIONAL, encoding="utf-8")
    result = run_cli("--format", "json", "docs/**/*.md", cwd=tmp_path)
    assert sorted(f["path"] for f in json.loads(result.stdout)["findings"]) == ["docs/a.md", "docs/sub/b.md"]


# --- rule listings with the config applied ------------------------------------------------

CONFIG = "severity:\n  artifact-url: info\n  numbering: error\nignore: [placeholder-mou]\n"


def test_list_rules_shows_the_configured_severity_and_state(tmp_path):
    (tmp_path / ".lint-reports.yaml").write_text(CONFIG, encoding="utf-8")
    rows = {line.split()[0]: line for line in run_cli("--list-rules", cwd=tmp_path).stdout.splitlines()[1:]}
    assert re.search(r"\binfo \(default: warning\)\s+yes\b", rows["artifact-url"])
    assert re.search(r"\berror \(default: warning\)\s+yes\b", rows["numbering-sequence"])
    assert re.search(r"\bwarning\s+no\b", rows["placeholder-mou"])
    assert re.search(r"\berror\s+yes\b", rows["artifact-download"])
    # the same config named with -c from elsewhere
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    elsewhere.mkdir()
    from_c = run_cli("--list-rules", "-c", str(tmp_path / ".lint-reports.yaml"), cwd=elsewhere)
    assert from_c.stdout == run_cli("--list-rules", cwd=tmp_path).stdout
    # and none: the defaults
    plain = {line.split()[0]: line for line in run_cli("--list-rules", cwd=elsewhere).stdout.splitlines()[1:]}
    assert re.search(r"\bwarning\s+yes\b", plain["artifact-url"])


def test_list_rules_as_json(tmp_path):
    (tmp_path / ".lint-reports.yaml").write_text(CONFIG, encoding="utf-8")
    result = run_cli("--list-rules", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rules = {rule["id"]: rule for rule in json.loads(result.stdout)["rules"]}
    text_ids = [line.split()[0] for line in run_cli("--list-rules", cwd=tmp_path).stdout.splitlines()[1:]]
    assert list(rules) == text_ids
    url = rules["artifact-url"]
    assert (url["category"], url["severity"], url["default_severity"], url["enabled"]) == \
        ("artifact", "info", "warning", True)
    assert rules["placeholder-mou"]["enabled"] is False
    assert rules["artifact-download"]["fixable"] is True and rules["placeholder-stars"]["fixable"] is False
    assert rules["punctuation-halfwidth-all"]["enabled"] is False  # off by default
    assert run_cli("--list-rules", "--format", "sarif").returncode == 2


def test_explain_shows_the_configured_severity(tmp_path):
    (tmp_path / ".lint-reports.yaml").write_text(CONFIG, encoding="utf-8")
    first = run_cli("--explain", "artifact-url", cwd=tmp_path).stdout.splitlines()[0]
    assert first.startswith("artifact-url  (artifact, info (default: warning), on, kind: pattern")
    assert ", warning, off, " in run_cli("--explain", "placeholder-mou", cwd=tmp_path).stdout.splitlines()[0]
    record = json.loads(run_cli("--explain", "artifact-url", "--format", "json", cwd=tmp_path).stdout)
    assert (record["id"], record["severity"], record["enabled"]) == ("artifact-url", "info", True)
    assert record["examples"]["bad"] and record["examples"]["good"]


# --- colour, version ------------------------------------------------------------------------

def test_color_always_never_auto_and_force_color(tmp_path):
    _files(tmp_path, b__txt=FIXABLE_AND_NOT)
    coloured = "\033["
    assert coloured not in run_cli("b.txt", cwd=tmp_path).stdout  # a pipe: auto is off
    assert coloured in run_cli("--color=always", "b.txt", cwd=tmp_path).stdout
    assert coloured in run_cli("b.txt", cwd=tmp_path, env={"FORCE_COLOR": "1"}).stdout  # CI logs
    assert coloured not in run_cli("b.txt", cwd=tmp_path, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert coloured not in run_cli("--color", "never", "b.txt", cwd=tmp_path, env={"FORCE_COLOR": "1"}).stdout
    assert coloured not in run_cli("--no-color", "b.txt", cwd=tmp_path, env={"FORCE_COLOR": "1"}).stdout
    assert coloured in run_cli("--color=always", "b.txt", cwd=tmp_path, env={"NO_COLOR": "1"}).stdout
    # a file is never coloured, nor is anything but text
    run_cli("--color=always", "-o", "out.txt", "b.txt", cwd=tmp_path)
    assert coloured not in (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert coloured not in run_cli("--color=always", "--format", "github", "b.txt", cwd=tmp_path).stdout
    assert run_cli("--color=sometimes", "b.txt", cwd=tmp_path).returncode == 2


def test_color_auto_at_a_terminal(tmp_path):
    _files(tmp_path, b__txt=FIXABLE_AND_NOT)
    assert "\033[" in _stdout_at_a_terminal(["b.txt"], tmp_path)
    assert "\033[" not in _stdout_at_a_terminal(["--color=never", "b.txt"], tmp_path)
    assert "\033[" not in _stdout_at_a_terminal(["b.txt"], tmp_path, {"NO_COLOR": "1"})


def test_short_version_flag():
    from lint_reports import __version__

    for flag in ("-V", "--version"):
        result = run_cli(flag)
        assert result.returncode == 0 and result.stdout == f"lint-reports {__version__}\n"


# --- the summary sentence -------------------------------------------------------------------

def test_the_summary_counts_files_checked_and_files_with_problems(tmp_path):
    _files(tmp_path, b__txt=FIXABLE_AND_NOT, c__txt=TRADITIONAL, ok__txt=CLEAN, ok2__txt=CLEAN)
    last = lambda *paths: run_cli(*paths, cwd=tmp_path).stdout.splitlines()[-1]  # noqa: E731
    assert last("b.txt", "c.txt", "ok.txt", "ok2.txt") == "3 problems in 2 of 4 files (2 fixable with --fix)"
    assert last("b.txt", "c.txt") == "3 problems in 2 files (2 fixable with --fix)"
    assert last("c.txt") == "1 problem in 1 file (1 fixable with --fix)"
    assert last("b.txt", "ok.txt", "--select", "placeholder") == "1 problem in 1 of 2 files"
    assert last("ok.txt", "ok2.txt") == "no problems in 2 files"
    assert last("ok.txt") == "no problems in 1 file"


# --- progress at a terminal -------------------------------------------------------------------

def _at_a_terminal(args, cwd, env=None, *, stream="stderr"):
    """Run the CLI with stdout or stderr on a pseudo-terminal; what it wrote there."""
    import pty

    leader, follower = pty.openpty()
    full_env = {k: v for k, v in os.environ.items() if k not in ("CI", "PRE_COMMIT", "NO_COLOR", "FORCE_COLOR")}
    full_env.update(env or {})
    streams = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: follower}
    process = subprocess.Popen([sys.executable, "-m", "lint_reports", *args], cwd=cwd, env=full_env,
                               stdout=streams["stdout"], stderr=streams["stderr"])
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def _stdout_at_a_terminal(args, cwd, env=None):
    return _at_a_terminal(args, cwd, env, stream="stdout")


@pytest.fixture
def forty(tmp_path):
    for index in range(40):
        (tmp_path / "reports" / f"d{index % 4}").mkdir(parents=True, exist_ok=True)
        (tmp_path / "reports" / f"d{index % 4}" / f"r{index:02}.txt").write_text(FIXABLE_AND_NOT, encoding="utf-8")
    return tmp_path


def test_progress_shows_the_count_before_the_first_file_is_linted(forty):
    shown = _at_a_terminal(["-j2", "reports"], forty)
    draws = [piece.replace("\x1b[K", "") for piece in shown.split("\r") if piece.replace("\x1b[K", "")]
    counts = [draw for draw in draws if not draw.startswith("lint-reports: looking for files")]
    assert counts[0].startswith("lint-reports: 0/40 files")  # at once, before any worker has answered
    assert "lint-reports: 40/40 files" in draws
    assert shown.endswith("\r\x1b[K")  # erased at the end
    assert _at_a_terminal(["-q", "reports"], forty) == ""
    assert _at_a_terminal(["reports"], forty, {"CI": "true"}) == ""
    assert run_cli("reports", cwd=forty).stderr == ""  # a pipe


def test_progress_draws_every_phase_of_a_long_run(forty, monkeypatch):
    """Walk, cache lookups, worker start-up, linting, cache writes: each draws the line (here
    with no delay between redraws, so every call shows)."""
    from lint_reports.cli import progress as progress_module
    from lint_reports.speed.result_cache import Cache
    from lint_reports.config.settings import Config
    from lint_reports.core.engine import Linter
    from lint_reports.core.runner import lint_paths

    class Terminal:
        def __init__(self):
            self.written = ""

        def write(self, text):
            self.written += text

        def flush(self):
            pass

        def isatty(self):
            return True

    monkeypatch.setattr(progress_module, "INTERVAL", 0)
    monkeypatch.setattr(progress_module, "SHOW_AFTER", 0)
    monkeypatch.chdir(forty)
    linter = Linter(Config())
    terminal = Terminal()
    progress = progress_module.Progress(stream=terminal, enabled=True)
    cache = Cache.open(linter, forty / "cache")
    outcome = lint_paths(linter, ["reports"], linter.config, jobs=1, cache=cache, progress=progress)
    assert len(outcome.files) == 40
    draws = [re.sub(r"\d+", "N", piece.replace("\x1b[K", "")) for piece in terminal.written.split("\r")]
    phases = [draw for index, draw in enumerate(draws) if draw and (index == 0 or draws[index - 1] != draw)]
    assert phases == ["lint-reports: looking for files (N found)", "lint-reports: N/N files",
                      "lint-reports: N/N files (reading N/N for the cache)", "lint-reports: N/N files",
                      "lint-reports: N/N files (saving results N/N)"]
    assert terminal.written.endswith("\r\x1b[K")


# --- the README and docs tell the truth about these ---------------------------------------

def _readme_section(title: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def _doc_blocks(name: str) -> list:
    """The contents of the fenced blocks of docs/NAME, fence by fence."""
    return re.findall(r"^```[^\n]*\n(.*?)^```", (ROOT / "docs" / name).read_text(encoding="utf-8"), re.S | re.M)


def test_readme_text_output_sample_is_real_output():
    block = re.findall(r"Text output, one finding a line.*?\n```\n(.*?)```", _readme_section("Use"), re.S)[0]
    real = run_cli("seeds/").stdout.splitlines()
    sample = block.splitlines()
    for line in sample[:-1]:
        assert line == "..." or line in real, line
    summary = re.escape(sample[-1]).replace("N", r"\d+")
    assert re.fullmatch(summary, real[-1]), (sample[-1], real[-1])


def test_readme_json_sample_has_the_real_fields():
    block = re.findall(r"```json\n(.*?)```", _readme_section("Use"), re.S)[0]
    sample = json.loads(block.replace('"…"', '"x"'))["findings"][0]
    real = json.loads(run_cli("--format", "json", "seeds/003_f7c51d839383bd6b.txt").stdout)["findings"][0]
    assert list(sample) == list(real)
    assert {k: v for k, v in sample.items() if k != "message"} == {k: v for k, v in real.items() if k != "message"}


def test_readme_gitlab_job_lints_once_and_writes_both_reports(tmp_path):
    job = re.findall(r"```yaml\n# GitLab CI.*?```", _readme_section("CI"), re.S)[0]
    commands = [line.strip()[2:] for line in job.splitlines() if line.strip().startswith("- lint-reports")]
    assert len(commands) == 1, commands  # one run
    reports = dict(re.findall(r"(codequality|junit): ([\w.-]+)", job))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "b.txt").write_text(FIXABLE_AND_NOT, encoding="utf-8")
    result = subprocess.run(commands[0].replace("lint-reports", f"{sys.executable} -m lint_reports", 1),
                            shell=True, cwd=tmp_path, capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.returncode == 1, result.stderr
    assert "placeholder-stars" in result.stdout  # the readable log
    issues = json.loads((tmp_path / reports["codequality"]).read_text(encoding="utf-8"))
    assert {issue["check_name"] for issue in issues} == {"artifact-download", "placeholder-stars"}
    assert "<testsuites" in (tmp_path / reports["junit"]).read_text(encoding="utf-8")


def test_ci_doc_jobs_lint_once():
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for title in ("## GitHub Actions", "## GitLab CI"):
        job = re.findall(r"```yaml\n(.*?)```", text.split(title, 1)[1], re.S)[0]
        runs = [line for line in job.splitlines() if re.match(r"\s*(- |run: )?.*\blint-reports --", line)
                and "pip install" not in line]
        assert len(runs) == 1, (title, runs)


def test_command_line_doc_samples_are_real_output(tmp_path):
    blocks = _doc_blocks("command-line.md")
    statistics = next(block for block in blocks if "[*]" in block)
    real = run_cli("--statistics", "seeds/").stdout.splitlines()
    for line in statistics.splitlines():
        assert line in real, line
    listing = next(block for block in blocks if block.startswith("id "))
    (tmp_path / ".lint-reports.yaml").write_text("severity: {artifact-url: info}\nignore: [placeholder-mou]\n",
                                                 encoding="utf-8")
    real = run_cli("--list-rules", cwd=tmp_path).stdout.splitlines()
    for line in listing.splitlines():
        assert line in real, line
    show_fixes = next(b for b in _doc_blocks("fixing-and-files.md") if "    fix: " in b)
    real = run_cli("--show-fixes", "seeds/003_f7c51d839383bd6b.txt").stdout.splitlines()
    for line in show_fixes.splitlines():
        assert line in real, line
