"""Config discovery, schema, per-file settings, user packs, and errors with file and line."""
from __future__ import annotations

import json
import textwrap

import pytest

from conftest import run_cli

REPORT = "xx区2023年工作总结\n\n全年发放资金 万元。\n"


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _rules(result):
    assert result.returncode in (0, 1), result.stderr
    return sorted({f["rule"] for f in json.loads(result.stdout)["findings"]})


def test_yaml_config_found_from_a_subdirectory(tmp_path):
    _write(tmp_path / ".lint-reports.yaml", "ignore: [placeholder-x]\n")
    sub = tmp_path / "docs" / "2023"
    sub.mkdir(parents=True)
    _write(sub / "r.txt", REPORT)
    result = run_cli("--format", "json", "r.txt", cwd=sub)
    assert _rules(result) == ["placeholder-blank-number"]


def test_pyproject_table_is_used_when_there_is_no_yaml(tmp_path):
    _write(tmp_path / "pyproject.toml", """\
        [project]
        name = "docs"

        [tool.lint-reports]
        select = ["placeholder-x"]
        """)
    _write(tmp_path / "r.txt", REPORT)
    assert _rules(run_cli("--format", "json", "r.txt", cwd=tmp_path)) == ["placeholder-x"]


def test_explicit_config_overrides_discovery(tmp_path):
    _write(tmp_path / ".lint-reports.yaml", "ignore: [placeholder]\n")
    other = _write(tmp_path / "strict.yaml", "select: [placeholder-x]\n")
    _write(tmp_path / "r.txt", REPORT)
    assert _rules(run_cli("--format", "json", "--config", str(other), "r.txt", cwd=tmp_path)) == ["placeholder-x"]


def test_severity_override_and_off(tmp_path):
    _write(tmp_path / ".lint-reports.yaml", """\
        severity:
          placeholder-x: info
          placeholder-blank-number: "off"
        fail-level: warning
        """)
    _write(tmp_path / "r.txt", REPORT)
    result = run_cli("--format", "json", "r.txt", cwd=tmp_path)
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["severity"]) for f in findings] == [("placeholder-x", "info")]
    assert result.returncode == 0  # info is below the fail level


def test_per_file_settings(tmp_path):
    _write(tmp_path / ".lint-reports.yaml", """\
        per-file:
          "drafts/*":
            ignore: [placeholder]
        """)
    (tmp_path / "drafts").mkdir()
    _write(tmp_path / "drafts" / "d.txt", REPORT)
    _write(tmp_path / "final.txt", REPORT)
    findings = json.loads(run_cli("--format", "json", ".", cwd=tmp_path).stdout)["findings"]
    assert {f["path"] for f in findings} == {"final.txt"}


def test_files_include_and_exclude(tmp_path):
    _write(tmp_path / ".lint-reports.yaml", """\
        files:
          include: ["*.txt", "*.text"]
          exclude: ["archive/"]
        """)
    (tmp_path / "archive").mkdir()
    _write(tmp_path / "archive" / "old.txt", REPORT)
    _write(tmp_path / "a.text", REPORT)
    _write(tmp_path / "b.md", "# 标题\n\nxx区\n")
    findings = json.loads(run_cli("--format", "json", ".", cwd=tmp_path).stdout)["findings"]
    assert {f["path"] for f in findings} == {"a.text"}


def test_allow_list_keeps_a_product_name(tmp_path):
    _write(tmp_path / ".lint-reports.yaml", "allow: [xx区]\n")
    _write(tmp_path / "r.txt", REPORT)
    assert _rules(run_cli("--format", "json", "r.txt", cwd=tmp_path)) == ["placeholder-blank-number"]


def test_user_pack_adds_a_rule_without_python(tmp_path):
    _write(tmp_path / "mine.yaml", """\
        pack: county
        rules:
          - id: county-old-name
            category: outdated
            severity: warning
            kind: pattern
            words: [县工商局]
            message: “{match}”已撤并为县市场监督管理局，请更新。
            examples:
              bad: [县工商局开展检查]
              good: [县市场监督管理局开展检查]
        """)
    _write(tmp_path / ".lint-reports.yaml", "packs: [mine.yaml]\n")
    _write(tmp_path / "r.txt", "2023年工作总结\n\n县工商局开展检查。\n")
    result = run_cli("--format", "json", "r.txt", cwd=tmp_path)
    # the built-in outdated-institution reports the same words too (县工商局 in 2023)
    (finding,) = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "county-old-name"]
    assert "县市场监督管理局" in finding["message"]
    listed = run_cli("--list-rules", cwd=tmp_path).stdout
    assert "county-old-name" in listed


def test_extends_another_config_and_none(tmp_path):
    _write(tmp_path / "base.yaml", "ignore: [placeholder-x]\n")
    _write(tmp_path / ".lint-reports.yaml", "extends: base.yaml\nyear: 2023\n")
    _write(tmp_path / "r.txt", REPORT)
    assert _rules(run_cli("--format", "json", "r.txt", cwd=tmp_path)) == ["placeholder-blank-number"]
    _write(tmp_path / ".lint-reports.yaml", "extends: none\n")
    assert _rules(run_cli("--format", "json", "r.txt", cwd=tmp_path)) == []


@pytest.mark.parametrize("config, line, words", [
    ("select: [placeholder]\nignroe: [artifact]\n", 2, "unknown key 'ignroe'"),
    ("year: twenty\n", 1, "'year' must be"),
    ("select:\n  - placeholder\n  - no-such-rule\n", 1, "unknown rule or category 'no-such-rule'"),
    ("severity:\n  placeholder-x: loud\n", 2, "must be info, warning, error or off"),
    ("per-file:\n  '*.md':\n    colour: red\n", 3, "unknown key 'colour'"),
    ("select: [placeholder\n", 2, "invalid YAML"),
    ("files:\n  include: '*.txt'\n", 2, "files.include"),
])
def test_config_errors_name_file_and_line(tmp_path, config, line, words):
    (tmp_path / ".lint-reports.yaml").write_text(config, encoding="utf-8")
    _write(tmp_path / "r.txt", REPORT)
    result = run_cli("r.txt", cwd=tmp_path)
    assert result.returncode == 2
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert f".lint-reports.yaml:{line}:" in message, message
    assert words in message, message


def test_invalid_toml_names_the_line(tmp_path):
    _write(tmp_path / "pyproject.toml", "[tool.lint-reports]\nselect = [\"placeholder\"\nyear = 2023\n")
    _write(tmp_path / "r.txt", REPORT)
    result = run_cli("r.txt", cwd=tmp_path)
    assert result.returncode == 2 and "pyproject.toml:" in result.stderr and "Traceback" not in result.stderr


def test_unknown_key_in_pyproject_names_its_line(tmp_path):
    _write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n\n[tool.lint-reports]\nselect = ['placeholder']\ncolour = 'red'\n")
    _write(tmp_path / "r.txt", REPORT)
    result = run_cli("r.txt", cwd=tmp_path)
    assert result.returncode == 2 and "pyproject.toml:6: unknown key 'colour'" in result.stderr


@pytest.mark.parametrize("pack, words", [
    ("rules:\n  - id: my-rule\n    category: artifact\n    severity: warning\n    kind: pattern\n    pattern: '(unclosed'\n    message: m\n",
     "rule 'my-rule': bad regular expression"),
    ("rules:\n  - id: my-rule\n    category: artifact\n    severity: warning\n    kind: pattern\n    patern: 'x'\n    message: m\n",
     "rule 'my-rule': unknown key 'patern'"),
    ("rules:\n  - id: my-rule\n    category: style\n    severity: warning\n    kind: pattern\n    pattern: 'x'\n    message: m\n",
     "rule 'my-rule': category must be one of"),
    ("rules:\n  - id: my-rule\n    category: artifact\n    severity: warning\n    kind: magic\n    message: m\n",
     "rule 'my-rule': unknown kind 'magic'"),
    ("rules:\n  - id: My_Rule\n", "must be kebab-case"),
    ("rules: [\n", "invalid YAML"),
    ("rules:\n  - id: placeholder-x\n    category: artifact\n    severity: warning\n    kind: pattern\n    pattern: 'x'\n    message: m\n",
     "duplicate rule id"),
])
def test_bad_user_pack_is_a_clear_error(tmp_path, pack, words):
    (tmp_path / "mine.yaml").write_text(pack, encoding="utf-8")
    _write(tmp_path / ".lint-reports.yaml", "packs: [mine.yaml]\n")
    _write(tmp_path / "r.txt", REPORT)
    result = run_cli("r.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "mine.yaml" in result.stderr and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_missing_pack_file(tmp_path):
    _write(tmp_path / ".lint-reports.yaml", "packs: [nowhere.yaml]\n")
    _write(tmp_path / "r.txt", REPORT)
    result = run_cli("r.txt", cwd=tmp_path)
    assert result.returncode == 2 and "nowhere.yaml" in result.stderr


def test_extends_cycle_is_an_error(tmp_path):
    _write(tmp_path / "a.yaml", "extends: b.yaml\n")
    _write(tmp_path / "b.yaml", "extends: a.yaml\n")
    _write(tmp_path / "r.txt", REPORT)
    result = run_cli("--config", "a.yaml", "r.txt", cwd=tmp_path)
    assert result.returncode == 2 and "cycle" in result.stderr


# --- TOML configs -------------------------------------------------------------------------

def test_a_toml_config_given_with_config_is_read_as_toml(tmp_path):
    _write(tmp_path / "strict.toml", """\
        # a config of its own: the keys at the top, as in a ruff.toml
        select = ["placeholder"]
        ignore = ["placeholder-blank-number"]

        [severity]
        placeholder-x = "info"
        """)
    _write(tmp_path / "r.txt", REPORT)
    findings = json.loads(run_cli("--format", "json", "-c", "strict.toml", "r.txt", cwd=tmp_path).stdout)["findings"]
    assert [(f["rule"], f["severity"]) for f in findings] == [("placeholder-x", "info")]
    # or a [tool.lint-reports] table, as in a pyproject.toml
    _write(tmp_path / "other.toml", "[tool.black]\nline-length = 100\n\n[tool.lint-reports]\nselect = ['placeholder-x']\n")
    assert _rules(run_cli("--format", "json", "--config", "other.toml", "r.txt", cwd=tmp_path)) == ["placeholder-x"]


@pytest.mark.parametrize("toml, line, words", [
    ("select = ['placeholder']\n\n[severity]\nplaceholder-x = 'loud'\n", 4, "severity of 'placeholder-x' must be"),
    ("select = ['placeholder']\ncolour = 'red'\n", 2, "unknown key 'colour'"),
    ("year = 2023\n[files]\ninclude = '*.txt'\n", 3, "files.include"),
    ("year = 2023\n[per-file.'drafts/*']\ncolour = 'red'\n", 3, "per-file 'drafts/*': unknown key 'colour'"),
    ("ignore = ['placeholder-x', 'no-such-rule']\n", 1, "unknown rule or category 'no-such-rule'"),
    ("year = 2023\nselect = ['placeholder'\n", 2, "invalid TOML: Unclosed array"),  # at the end: its last line
    ("year = 2023\nyear = 2024\n", 2, "invalid TOML: a key or table is defined twice"),
    ("severity.placeholder-x = 'loud'\n", 1, "severity of 'placeholder-x' must be"),
])
def test_toml_config_errors_name_file_and_line(tmp_path, toml, line, words):
    _write(tmp_path / "c.toml", toml)
    _write(tmp_path / "r.txt", REPORT)
    result = run_cli("-c", "c.toml", "r.txt", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"c.toml:{line}:" in result.stderr and words in result.stderr, result.stderr


def test_extends_may_name_a_toml_file(tmp_path):
    _write(tmp_path / "base.toml", "ignore = ['placeholder-x']\n")
    _write(tmp_path / ".lint-reports.yaml", "extends: base.toml\nignore: [placeholder-mou]\n")
    _write(tmp_path / "r.txt", REPORT)
    assert _rules(run_cli("--format", "json", "r.txt", cwd=tmp_path)) == ["placeholder-blank-number"]


# --- how `extends` merges each key --------------------------------------------------------
#
# What a config turns off adds up (ignore, files.exclude, allow); what it adds adds up
# (packs, per-file entries, repetition.allow); a `select` chooses afresh (the inherited
# select and ignore no longer apply); files.include replaces; mappings merge per entry.

MERGE_REPORT = "xx区2023年工作总结\n\n某某单位发放资金 万元。**县，□□镇\n"


def _merge(tmp_path, base: str, child: str, *args, name="r.txt"):
    _write(tmp_path / "base.yaml", base)
    _write(tmp_path / ".lint-reports.yaml", "extends: base.yaml\n" + textwrap.dedent(child))
    if not (tmp_path / name).exists():
        _write(tmp_path / name, MERGE_REPORT)
    result = run_cli("--format", "json", *args, name, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["findings"]


def test_extends_a_childs_ignore_adds_to_the_parents(tmp_path):
    found = _merge(tmp_path, "ignore: [placeholder-x]\n", "ignore: [placeholder-mou]\n")
    assert {f["rule"] for f in found} == {"placeholder-blank-number", "placeholder-stars", "placeholder-circles"}


def test_extends_a_childs_select_chooses_afresh_and_drops_the_inherited_ignore(tmp_path):
    found = _merge(tmp_path, "select: [placeholder-x, placeholder-stars]\nignore: [placeholder-mou]\n",
                   "select: [placeholder-mou, placeholder-circles]\n")
    assert {f["rule"] for f in found} == {"placeholder-mou", "placeholder-circles"}
    # and an ignore beside it applies
    found = _merge(tmp_path, "ignore: [placeholder-mou]\n", "select: [placeholder]\nignore: [placeholder-x]\n")
    assert {f["rule"] for f in found} == {"placeholder-mou", "placeholder-blank-number", "placeholder-stars",
                                          "placeholder-circles"}


def test_extends_allow_adds_up(tmp_path):
    found = _merge(tmp_path, "allow: [xx区]\n", "allow: [□□镇]\n")
    assert {f["rule"] for f in found} == {"placeholder-mou", "placeholder-blank-number", "placeholder-stars"}


def test_extends_packs_add_up_and_a_pack_listed_twice_is_loaded_once(tmp_path):
    pack = "rules:\n  - id: {id}\n    category: artifact\n    severity: warning\n    kind: pattern\n" \
           "    words: [{word}]\n    message: m\n    examples: {{bad: ['{word}'], good: ['正文']}}\n"
    _write(tmp_path / "one.yaml", pack.format(id="word-one", word="发放资金"))
    _write(tmp_path / "two.yaml", pack.format(id="word-two", word="单位"))
    found = _merge(tmp_path, "packs: [one.yaml]\nselect: [word-one, word-two]\n", "packs: [two.yaml, one.yaml]\n")
    assert sorted(f["rule"] for f in found) == ["word-one", "word-two"]


def test_extends_per_file_entries_add_up_each_relative_to_its_own_config(tmp_path):
    (tmp_path / "drafts").mkdir()
    _write(tmp_path / "drafts" / "d.txt", MERGE_REPORT)
    found = _merge(tmp_path, "per-file:\n  'drafts/*':\n    ignore: [placeholder-x]\n",
                   "per-file:\n  'drafts/*':\n    ignore: [placeholder-mou]\n  '*.txt':\n    ignore: [placeholder-circles]\n",
                   name="drafts/d.txt")
    assert {f["rule"] for f in found} == {"placeholder-blank-number", "placeholder-stars"}
    # a base elsewhere: its globs stay relative to its own folder
    _write(tmp_path / "shared" / "base.yaml", "per-file:\n  'drafts/*':\n    ignore: [placeholder]\n")
    _write(tmp_path / ".lint-reports.yaml", "extends: shared/base.yaml\n")
    assert "placeholder-x" in {f["rule"] for f in json.loads(run_cli(
        "--format", "json", "drafts/d.txt", cwd=tmp_path).stdout)["findings"]}
    (tmp_path / "shared" / "drafts").mkdir()
    _write(tmp_path / "shared" / "drafts" / "s.txt", MERGE_REPORT)
    assert not [f for f in json.loads(run_cli("--format", "json", "shared/drafts/s.txt", cwd=tmp_path).stdout)["findings"]
                if f["rule"].startswith("placeholder")]


def test_extends_files_exclude_adds_up_and_include_replaces(tmp_path):
    for name in ("a.txt", "b.md", "old/o.txt", "tmp/t.txt", "c.text"):
        _write(tmp_path / name, MERGE_REPORT)
    _write(tmp_path / "base.yaml", "files:\n  include: ['*.txt', '*.md']\n  exclude: ['old/']\n")
    _write(tmp_path / ".lint-reports.yaml", "extends: base.yaml\nfiles:\n  exclude: ['tmp/']\n")
    assert set(run_cli("--show-files", cwd=tmp_path).stdout.split()) == {"a.txt", "b.md"}
    _write(tmp_path / ".lint-reports.yaml", "extends: base.yaml\nfiles:\n  include: ['*.text', '*.txt']\n")
    assert set(run_cli("--show-files", cwd=tmp_path).stdout.split()) == {"a.txt", "c.text", "tmp/t.txt"}


def test_extends_severity_merges_per_rule_and_year_replaces(tmp_path):
    found = _merge(tmp_path, "severity:\n  placeholder-x: info\n  placeholder-stars: info\nyear: 2010\n",
                   "severity:\n  placeholder-stars: warning\nyear: 2023\n")
    levels = {f["rule"]: f["severity"] for f in found}
    assert levels["placeholder-x"] == "info" and levels["placeholder-stars"] == "warning"
    shown = run_cli("--show-settings", "r.txt", cwd=tmp_path).stdout
    assert "year: 2023 (配置文件 year)" in shown


def test_extends_repetition_allow_adds_up(tmp_path):
    _write(tmp_path / "r.txt", "2023年工作总结\n\n我们要研究研究，村村通工程全面完成。\n推进推进工作。\n")
    plain = {f["rule"] for f in _merge(tmp_path, "", "", "--select", "repetition-word")}
    found = _merge(tmp_path, "repetition:\n  allow: [推进推进]\n", "repetition:\n  allow: [村村通]\n",
                   "--select", "repetition-word")
    assert "repetition-word" in plain and not found


# --- a user pack's examples are its tests -------------------------------------------------

PACK = """\
    pack: county
    rules:
      - id: county-old-name
        category: outdated
        severity: warning
        kind: pattern
        words: [县工商局]
        message: “{match}”已撤并为县市场监督管理局，请更新。
        examples:
          bad:
            - 县工商局开展检查
            - 县质监局开展检查
          good:
            - 县市场监督管理局开展检查
            - '县工商局旧址'
    """


def test_a_bad_example_the_rule_does_not_flag_is_an_error_naming_pack_and_line(tmp_path):
    _write(tmp_path / "mine.yaml", PACK)
    _write(tmp_path / ".lint-reports.yaml", "packs: [mine.yaml]\n")
    _write(tmp_path / "r.txt", REPORT)
    result = run_cli("r.txt", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert f"{tmp_path / 'mine.yaml'}:12: rule 'county-old-name': bad example is not flagged by the rule: " \
           "“县质监局开展检查”" in result.stderr
    assert "1 more: lint-reports --check-packs" in result.stderr
    # the same for --list-rules: the pack does not load
    assert run_cli("--list-rules", cwd=tmp_path).returncode == 2


def test_check_packs_reports_every_failing_example_as_a_finding_line(tmp_path):
    _write(tmp_path / "mine.yaml", PACK)
    result = run_cli("--check-packs", "mine.yaml", cwd=tmp_path)
    assert result.returncode == 1
    pack = tmp_path / "mine.yaml"
    assert result.stdout.splitlines() == [
        f"{pack}:12:1: error county-old-name bad example is not flagged by the rule: “县质监局开展检查”",
        f"{pack}:15:1: error county-old-name good example is flagged by the rule: “县工商局旧址” — "
        "“县工商局”已撤并为县市场监督管理局，请更新。",
        "2 of 4 examples failed in 1 pack"]
    # without a path: the shipped packs and the config's own
    _write(tmp_path / ".lint-reports.yaml", "packs: [mine.yaml]\n")
    listed = run_cli("--check-packs", cwd=tmp_path)
    assert listed.returncode == 1 and listed.stdout.count("county-old-name") == 2
    assert run_cli("--check-packs", "--no-config", cwd=tmp_path).stdout.startswith("all ")


def test_check_packs_of_the_shipped_packs_passes():
    result = run_cli("--check-packs", "--no-config")
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("all ") and "examples pass in" in result.stdout


def test_a_pack_that_cannot_load_is_an_error_for_check_packs(tmp_path):
    _write(tmp_path / "broken.yaml", "rules: [\n")
    result = run_cli("--check-packs", "broken.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "broken.yaml:" in result.stderr and "invalid YAML" in result.stderr


def test_examples_that_pass_are_not_run_again_on_every_start(tmp_path):
    import os

    cache = tmp_path / "xdg"
    env = {"XDG_CACHE_HOME": str(cache)}
    _write(tmp_path / "mine.yaml", PACK.replace("县质监局开展检查", "县工商局开展专项检查").replace("'县工商局旧址'", "县市场监管局旧址"))
    _write(tmp_path / ".lint-reports.yaml", "packs: [mine.yaml]\n")
    _write(tmp_path / "r.txt", "2023年工作总结\n\n县工商局开展检查。\n")
    assert run_cli("r.txt", cwd=tmp_path, env=env).returncode == 1
    markers = sorted(p.name for p in (cache / "lint-reports").glob("pack-examples-ok-*"))
    assert len(markers) == 1
    assert run_cli("r.txt", cwd=tmp_path, env=env).returncode == 1
    assert sorted(p.name for p in (cache / "lint-reports").glob("pack-examples-ok-*")) == markers
    # an edited pack is checked again (and a failing one leaves no marker)
    _write(tmp_path / "mine.yaml", PACK)
    assert run_cli("r.txt", cwd=tmp_path, env=env).returncode == 2
    assert sorted(p.name for p in (cache / "lint-reports").glob("pack-examples-ok-*")) == markers
    # with the pack cache off the examples run every time, and nothing is written
    off = dict(env, LINT_REPORTS_PACK_CACHE="0", XDG_CACHE_HOME=str(tmp_path / "other"))
    assert run_cli("r.txt", cwd=tmp_path, env=off).returncode == 2
    assert not os.path.exists(tmp_path / "other" / "lint-reports") or \
        not list((tmp_path / "other" / "lint-reports").glob("pack-examples-ok-*"))


def test_each_key_a_kind_owns_is_declared_and_validated_by_that_kind():
    """The config hands a kind-owned key to the kind named in SCHEMA; that kind's OPTIONS
    must declare it, and no kind declares a key the config would not hand it."""
    from lint_reports.config.settings import SCHEMA, OptionKey, OwnedBy
    from lint_reports.kinds import kind_module, known_kinds

    owned = {key: entry.kind for key, entry in SCHEMA.items() if isinstance(entry, OwnedBy)}
    assert set(owned) >= {"sections", "repetition", "copied", "templates", "compare"}
    for key, kind in owned.items():
        assert isinstance(kind_module(kind).OPTIONS.get(key), OptionKey), (key, kind)
    declared = {key: kind for kind in known_kinds() for key in getattr(kind_module(kind), "OPTIONS", {})}
    assert declared == owned


def test_a_kind_owned_key_merges_over_the_config_it_extends(tmp_path):
    """repetition.allow adds to the inherited words, templates add, compare and copied
    replace: each merged by the kind that owns the key."""
    from lint_reports.config.settings import load

    (tmp_path / "模板").mkdir()
    (tmp_path / "base.yaml").write_text(
        "repetition:\n  allow: [研究研究]\ncopied:\n  min-chars: 40\ncompare: run\ntemplates: [模板/]\n", encoding="utf-8")
    (tmp_path / ".lint-reports.yaml").write_text(
        "extends: base.yaml\nrepetition:\n  allow: [看一看, 研究研究]\ncopied:\n  max-reports: 4\ncompare: repository\n",
        encoding="utf-8")
    config = load(tmp_path / ".lint-reports.yaml")
    assert config.options_of("repetition") == {"allow": ["研究研究", "看一看"]}
    assert config.options_of("copied") == {"min-chars": 40, "max-reports": 4, "compare": "repository",
                                           "templates": [str((tmp_path / "模板").resolve())]}
    assert config.options_of("sections") == {}
