"""Which config applies to which file, through the real command line, from several working
directories: the closest config (as ruff and markdownlint-cli2 find theirs), nested configs
in a docs repository, `--config FILE`, `--config KEY=VALUE`, `--no-config`, `--force-exclude`,
`--show-files` and `--show-settings`."""
from __future__ import annotations

import json
import textwrap

import pytest

from conftest import run_cli

# Two placeholders (placeholder-x on line 1, placeholder-stars on line 3), a deleted number
# (placeholder-blank-number) and a 某某 (placeholder-mou, a warning).
REPORT = "xx区2023年工作总结\n\n某某单位发放资金 万元。**县\n"


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _findings(*args, cwd):
    result = run_cli("--format", "json", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["findings"]


def _rules_of(findings, path_end=""):
    return sorted({f["rule"] for f in findings if f["path"].endswith(path_end)})


@pytest.fixture
def docs(tmp_path):
    """A documents repository: a root config, a nested one that extends it, one that does
    not, an excluded folder holding a config of its own, and a folder outside any config."""
    root = tmp_path / "docs"
    _write(root / ".lint-reports.yaml", """\
        ignore: [placeholder-mou]
        files:
          exclude: ["archive/"]
        per-file:
          "drafts/*":
            ignore: [placeholder]
        """)
    _write(root / "history" / ".lint-reports.yaml", """\
        extends: ../.lint-reports.yaml
        year: 2012
        ignore: [placeholder-x]
        """)
    _write(root / "standalone" / ".lint-reports.yaml", "select: [placeholder-stars, placeholder-mou]\n")
    _write(root / "archive" / ".lint-reports.yaml", "select: [placeholder-x]\n")
    for name in ("r.txt", "drafts/d.txt", "history/a.txt", "history/drafts/d.txt", "standalone/s.txt",
                 "archive/old.txt"):
        _write(root / name, REPORT)
    (tmp_path / "elsewhere").mkdir()
    return root


EXPECTED = {
    "r.txt": ["placeholder-blank-number", "placeholder-stars", "placeholder-x"],
    "drafts/d.txt": [],  # per-file ignore: [placeholder]
    "history/a.txt": ["placeholder-blank-number", "placeholder-stars"],  # + ignore placeholder-x
    # the root's per-file "drafts/*" is relative to the root: not history/drafts/
    "history/drafts/d.txt": ["placeholder-blank-number", "placeholder-stars"],
    "standalone/s.txt": ["placeholder-mou", "placeholder-stars"],  # no extends: nothing inherited
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_file_gets_the_same_findings_from_any_working_directory(docs, name):
    absolute = str(docs / name)
    seen = []
    for cwd in (docs, docs / "history", docs / "standalone", docs.parent / "elsewhere", docs.anchor):
        findings = _findings(absolute, cwd=cwd)
        assert _rules_of(findings) == EXPECTED[name], (cwd, findings)
        seen.append([(f["line"], f["column"], f["rule"], f["severity"], f["message"]) for f in findings])
    assert all(run == seen[0] for run in seen)
    # and named relative to where it is
    folder = (docs / name).parent
    assert _rules_of(_findings((docs / name).name, cwd=folder)) == EXPECTED[name]


def test_a_walk_applies_each_folders_config_and_skips_an_excluded_folder(docs):
    for cwd, top in ((docs, "."), (docs.parent, "docs"), (docs / "history", "..")):
        findings = _findings(top, cwd=cwd)
        by_file = {}
        for f in findings:
            by_file.setdefault(f["path"].replace("\\", "/").split("docs/")[-1].lstrip("./"), set()).add(f["rule"])
        for name, rules in EXPECTED.items():
            assert sorted(by_file.get(name, set())) == rules, (cwd, name, by_file)
        # archive/ is excluded by the root config: not entered, its own config never read
        assert not any("archive" in f["path"] for f in findings)


def test_the_year_of_a_nested_config_applies_to_its_files_only(docs):
    (docs / "history" / "a.txt").write_text("2023年工作总结\n\n认真贯彻落实党的十七届五中全会精神。\n", encoding="utf-8")
    (docs / "r.txt").write_text("2023年工作总结\n\n认真贯彻落实党的十七届五中全会精神。\n", encoding="utf-8")
    findings = _findings(str(docs / "history" / "a.txt"), str(docs / "r.txt"), cwd=docs.parent / "elsewhere")
    assert "outdated-plenum" in _rules_of(findings, "r.txt")  # 2023 (its title)
    assert "outdated-plenum" not in _rules_of(findings, "a.txt")  # 2012, from history's config
    shown = run_cli("--show-settings", str(docs / "history" / "a.txt"), cwd=docs.parent / "elsewhere").stdout
    assert "year: 2012 (配置文件 year)" in shown
    verbose = run_cli("-v", "history/a.txt", "r.txt", cwd=docs).stderr.splitlines()
    assert verbose[0].startswith("history/a.txt: 文档年份 2012（据配置文件 year") and "2023" in verbose[1]
    explained = run_cli("--explain-year", "a.txt", cwd=docs / "history").stdout
    assert explained.startswith("a.txt: 文档年份 2012")


def test_a_pyproject_without_a_table_is_passed_over(docs):
    _write(docs / "history" / "pyproject.toml", "[project]\nname = 'history'\n")  # beside history's yaml
    _write(docs / "code" / "pyproject.toml", "[project]\nname = 'code'\n")
    _write(docs / "code" / "c.txt", REPORT)
    assert _rules_of(_findings(str(docs / "code" / "c.txt"), cwd=docs.parent)) == EXPECTED["r.txt"]


def test_config_file_given_applies_to_every_file_and_nested_configs_are_not_read(docs, tmp_path):
    strict = _write(tmp_path / "strict.yaml", "select: [placeholder-x]\n")
    for cwd in (docs, docs / "history"):
        findings = _findings("--config", str(strict), str(docs / "history" / "a.txt"), str(docs / "standalone" / "s.txt"),
                             cwd=cwd)
        assert {(f["path"].rsplit("/", 1)[-1], f["rule"]) for f in findings} == {("a.txt", "placeholder-x"),
                                                                               ("s.txt", "placeholder-x")}


def test_no_config_reads_none_but_still_takes_overrides(docs):
    findings = _findings("--no-config", "drafts/d.txt", cwd=docs)
    assert _rules_of(findings) == ["placeholder-blank-number", "placeholder-mou", "placeholder-stars", "placeholder-x"]
    findings = _findings("--isolated", "-c", "ignore=[placeholder-x, placeholder-mou]", "drafts/d.txt", cwd=docs)
    assert _rules_of(findings) == ["placeholder-blank-number", "placeholder-stars"]
    result = run_cli("--no-config", "--config", str(docs / ".lint-reports.yaml"), "r.txt", cwd=docs)
    assert result.returncode == 2 and "choose one" in result.stderr


def test_overrides_apply_on_top_of_every_config(docs):
    findings = _findings("-c", "ignore=[placeholder-stars]", "-c", "severity.placeholder-blank-number=info",
                         "r.txt", "history/a.txt", "standalone/s.txt", cwd=docs)
    assert {(f["path"], f["rule"], f["severity"]) for f in findings} == {
        ("r.txt", "placeholder-x", "error"), ("r.txt", "placeholder-blank-number", "info"),
        ("history/a.txt", "placeholder-blank-number", "info"),
        ("standalone/s.txt", "placeholder-mou", "warning")}
    # a `select` given on the command line chooses afresh, as a select in a config does
    assert _rules_of(_findings("-c", "select=[placeholder-mou]", "r.txt", cwd=docs)) == ["placeholder-mou"]
    # TOML-style values are values too
    assert _rules_of(_findings("-c", 'ignore = ["placeholder"]', "r.txt", cwd=docs)) == []


@pytest.mark.parametrize("override, words", [
    ("year=twenty", "--config year=twenty: 'year' must be a year"),
    ("ignroe=[placeholder-x]", "unknown key 'ignroe' (did you mean 'ignore'?)"),
    ("ignore=[placeholdr-x]", "ignore: unknown rule or category 'placeholdr-x' (did you mean 'placeholder-x'?)"),
    ("severity.placeholder-x=loud", "severity of 'placeholder-x' must be info, warning, error or off"),
    ("extends=none", "'extends' cannot be given on the command line"),
    ("year=", "no value for 'year'"),
    ("ignore=[unclosed", "VALUE is not a YAML/TOML value"),
])
def test_a_bad_override_is_a_one_line_error_naming_it(docs, override, words):
    result = run_cli("-c", override, "r.txt", cwd=docs)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert words in result.stderr, result.stderr


def test_only_one_config_file(docs, tmp_path):
    one = _write(tmp_path / "one.yaml", "year: 2020\n")
    two = _write(tmp_path / "two.yaml", "year: 2021\n")
    result = run_cli("-c", str(one), "-c", str(two), "r.txt", cwd=docs)
    assert result.returncode == 2 and "one config file at most" in result.stderr


def test_a_named_file_is_checked_even_if_excluded_unless_force_exclude(docs):
    # named on the command line: checked (as ruff does), with its own closest config
    assert _rules_of(_findings("archive/old.txt", cwd=docs)) == ["placeholder-x"]
    for cwd, name in ((docs, "archive/old.txt"), (docs / "archive", "old.txt"), (docs.parent, "docs/archive/old.txt")):
        result = run_cli("--force-exclude", name, cwd=cwd)
        assert result.returncode == 0, result.stderr
        assert "excluded by files.exclude 'archive/'" in result.stderr and "(--force-exclude)" in result.stderr
    # a file the config of its own folder excludes
    _write(docs / "history" / ".lint-reports.yaml", "extends: ../.lint-reports.yaml\nfiles:\n  exclude: ['*.draft.txt']\n")
    _write(docs / "history" / "b.draft.txt", REPORT)
    result = run_cli("--force-exclude", "--format", "json", "history/b.draft.txt", "r.txt", cwd=docs)
    assert {f["path"] for f in json.loads(result.stdout)["findings"]} == {"r.txt"}
    assert "history/b.draft.txt: not checked: excluded by files.exclude '*.draft.txt'" in result.stderr


def test_the_pre_commit_hooks_pass_force_exclude():
    from conftest import ROOT

    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    entries = [line.split(":", 1)[1].strip() for line in hooks.splitlines() if line.strip().startswith("entry:")]
    assert entries and all("--force-exclude" in entry for entry in entries)


def test_show_files_lists_what_would_be_checked(docs):
    expected = {"r.txt", "drafts/d.txt", "history/a.txt", "history/drafts/d.txt", "standalone/s.txt"}
    result = run_cli("--show-files", cwd=docs)
    assert result.returncode == 0 and set(result.stdout.split()) == expected
    from_above = run_cli("--show-files", "docs", cwd=docs.parent)
    assert {p.split("/", 1)[1] for p in from_above.stdout.split()} == expected
    forced = run_cli("--show-files", "--force-exclude", "archive/old.txt", "r.txt", cwd=docs)
    assert forced.stdout.split() == ["r.txt"] and "not checked" in forced.stderr


def test_show_settings_names_the_configs_in_order_and_every_rule(docs):
    outputs = []
    for cwd in (docs, docs.parent / "elsewhere"):
        result = run_cli("--show-settings", str(docs / "history" / "drafts" / "d.txt"), "--ignore", "artifact-url",
                         "-c", "severity.placeholder-stars=warning", cwd=cwd)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
        text = result.stdout
        layers = text.split("layers, in the order applied (a later one wins):\n", 1)[1].split("\npath for globs", 1)[0]
        assert [line.split(". ", 1)[1] for line in layers.splitlines()] == [
            "the built-in defaults", f"{docs / '.lint-reports.yaml'}" if cwd != docs else ".lint-reports.yaml",
            f"{docs / 'history' / '.lint-reports.yaml'}" if cwd != docs else "history/.lint-reports.yaml",
            "--config severity.placeholder-stars=warning", "the command line: --ignore artifact-url"]
        assert "path for globs: drafts/d.txt" in text
        assert "year: 2012 (配置文件 year)" in text
        on = text.split("rules on", 1)[1].split("rules off", 1)[0]
        off = text.split("rules off", 1)[1]
        assert "placeholder-stars" in on and "warning  selected" not in on
        assert any(line.split()[:2] == ["placeholder-stars", "warning"] and "error -> warning" in line
                   for line in on.splitlines())
        assert any(line.split()[:2] == ["placeholder-x", "ignored"] and "history" in line for line in off.splitlines())
        assert any(line.split()[:2] == ["placeholder-mou", "ignored"] for line in off.splitlines())
        assert any(line.split()[:3] == ["artifact-url", "ignored", "(--ignore)"] for line in off.splitlines())
        assert any(line.split()[:3] == ["punctuation-halfwidth-all", "off", "by"] for line in off.splitlines())
    # the same settings from anywhere: only how the config paths are written differs
    rules = [[line.split("(", 1)[0].split() for line in text.split("rules on", 1)[1].splitlines()] for text in outputs]
    assert rules[0] == rules[1]


def test_show_settings_of_a_per_file_entry_and_of_a_file_without_config(docs, tmp_path):
    text = run_cli("--show-settings", "drafts/d.txt", cwd=docs).stdout
    assert "  3. per-file 'drafts/*' (.lint-reports.yaml:5)" in text
    assert "placeholder-x" in text.split("rules off", 1)[1]
    _write(tmp_path / "elsewhere" / "e.txt", "2019年工作总结\n\n全年工作完成。\n")
    text = run_cli("--show-settings", "e.txt", cwd=tmp_path / "elsewhere").stdout
    assert "config: none found (the defaults)" in text
    assert "year: not fixed by the config; read from the file: 文档年份 2019（据标题" in text


def test_show_settings_of_a_directory_is_an_error_not_its_parents_settings(docs):
    """`--show-settings docs` used to show the settings of a file named docs in the parent
    folder: no config (the one inside docs/ is below it), the defaults, a year 'unreadable'."""
    for name in ("history", "history/"):
        result = run_cli("--show-settings", name, cwd=docs)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.splitlines() == [
            f"lint-reports: error: {name}: a directory: --show-settings shows what applies to one file (its "
            "closest config, per-file entries, year); name a file in it (--show-files lists them)"]
    assert "history/.lint-reports.yaml" in run_cli("--show-settings", "history/a.txt", cwd=docs).stdout


def test_fail_level_is_the_one_of_each_files_config(docs):
    _write(docs / "lenient" / ".lint-reports.yaml", "fail-level: error\nselect: [placeholder-mou]\n")
    _write(docs / "lenient" / "l.txt", REPORT)  # only a warning is left
    for cwd in (docs, docs / "lenient", docs.parent):
        assert run_cli(str(docs / "lenient" / "l.txt"), cwd=cwd).returncode == 0
        assert run_cli("--fail-level", "warning", str(docs / "lenient" / "l.txt"), cwd=cwd).returncode == 1


def test_a_broken_nested_config_is_one_error_and_the_other_files_are_checked(docs):
    _write(docs / "history" / ".lint-reports.yaml", "extends: ../.lint-reports.yaml\nignore: [placeholdr-x]\n")
    result = run_cli(".", cwd=docs)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert errors == [f"lint-reports: error: {docs / 'history' / '.lint-reports.yaml'}:2: "
                      "ignore: unknown rule or category 'placeholdr-x' (did you mean 'placeholder-x'?)"]
    assert "r.txt:1:1:" in result.stdout and "history/" not in result.stdout
    _write(docs / "history" / ".lint-reports.yaml", "year: [\n")
    result = run_cli(".", cwd=docs)
    assert result.returncode == 2 and result.stderr.count("history/.lint-reports.yaml:") == 1
    assert "invalid YAML" in result.stderr and "r.txt:1:1:" in result.stdout


def test_workers_use_each_files_config(docs):
    for index in range(12):  # enough files and bytes for the pool
        _write(docs / "history" / f"h{index}.txt", REPORT + "正文。" * 20000)
        _write(docs / f"r{index}.txt", REPORT + "正文。" * 20000)
    serial = _findings("--jobs", "1", "--no-cache", ".", cwd=docs)
    parallel = _findings("--jobs", "2", "--no-cache", ".", cwd=docs)
    assert serial == parallel
    placeholders = [f for f in parallel if f["rule"].startswith("placeholder")]
    assert _rules_of(placeholders, "history/h3.txt") == EXPECTED["history/a.txt"]
    assert _rules_of(placeholders, "r3.txt") == EXPECTED["r.txt"]


def test_cached_results_follow_an_edit_of_a_nested_config(docs):
    first = _findings(str(docs / "history" / "a.txt"), cwd=docs)
    assert _rules_of(first) == EXPECTED["history/a.txt"]
    _write(docs / "history" / ".lint-reports.yaml", "extends: ../.lint-reports.yaml\nignore: [placeholder-stars]\n")
    assert _rules_of(_findings(str(docs / "history" / "a.txt"), cwd=docs)) == ["placeholder-blank-number",
                                                                              "placeholder-x"]


def test_a_baseline_written_at_the_root_matches_from_a_nested_folder(docs):
    assert run_cli("--write-baseline", "base.json", ".", cwd=docs).returncode == 0
    recorded = {entry["path"] for entry in json.loads((docs / "base.json").read_text(encoding="utf-8"))["findings"]}
    assert "history/a.txt" in recorded  # relative to the outermost config, not to history/
    result = run_cli("--baseline", str(docs / "base.json"), "a.txt", "drafts/d.txt", cwd=docs / "history")
    assert result.returncode == 0 and "no problems" in result.stdout, result.stdout


def test_fail_level_never_in_a_config_reports_but_exits_zero(tmp_path):
    _write(tmp_path / ".lint-reports.yaml", "fail-level: never\n")
    _write(tmp_path / "r.txt", "**县2024年工作总结\n")
    result = run_cli("r.txt", cwd=tmp_path)
    assert result.returncode == 0 and "placeholder-stars" in result.stdout
    _write(tmp_path / ".lint-reports.yaml", "fail-level: sometimes\n")
    result = run_cli("r.txt", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and ".lint-reports.yaml:1" in result.stderr
