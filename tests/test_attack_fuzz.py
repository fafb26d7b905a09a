"""A Hypothesis campaign over what a config and a rule pack may contain: random YAML and
TOML structures and values, random pack entries, random non-YAML text given where a config
or pack is expected. Whatever they hold, the CLI

- never shows a traceback or an internal error, and exits 0, 1 or 2;
- on 2, prints exactly one line, naming the file at fault;
- never echoes a file that is not a config (SECRET, planted anywhere in one, never shows:
  it holds a `$`, so it never looks like a key either), nor a pack's keys, ids or kinds
  that are not names;
- never prints a control character, bidi override or line separator raw.

Fixed seed (`derandomize`) and bounded examples: the same few seconds in CI every time.
docs/robustness.md lists what the campaign covers."""
from __future__ import annotations

import contextlib
import io
import json
import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lint_reports.cli.main as cli
from lint_reports.config.settings import PER_FILE_KEYS, SCHEMA
from lint_reports.core.finding import CATEGORIES, SEVERITIES

SECRET = "Zq$9sEcReT"
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")
REPORT = "关于20**年xx区工作的总结\n甲方乙方 下载文档一键复制全文\n"
CAMPAIGN = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_chars = st.one_of(st.characters(min_codepoint=0x20, max_codepoint=0x7E, blacklist_characters="/"),
                   st.characters(min_codepoint=0x4E00, max_codepoint=0x4E40),
                   st.sampled_from(["\x00", "\x1b", "\n", "\t", "\x85", "\u202e", "\u2028", "\x7f", "\ufeff"]))
words = st.one_of(
    st.text(_chars, max_size=12),
    st.sampled_from([SECRET, f"root:{SECRET}:0:0", "off", "info", "warning", "error", "nope", "placeholder-x",
                     "placeholder", "all", "*.txt", "drafts/", "[", "x[.md", "**/*.md", "default", "none",
                     "other.yaml", "pack.yaml", "missing.yaml", "r.txt", "工作总结", "yes", "2024"]),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2 ** 40), 2 ** 40), st.sampled_from([2024, 1899, 0, -1]),
                    st.floats(allow_nan=True, allow_infinity=True), words)
config_keys = st.one_of(st.sampled_from(list(SCHEMA) + list(PER_FILE_KEYS) + [
    "include", "exclude", "user-dict", "synonyms", "markers", "工作总结", "placeholder-x", "*.txt", "selct"]), words)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(config_keys, inner, max_size=4)),
                      max_leaves=12)
rule_names = st.sampled_from(["placeholder-x", "placeholder", "artifact", "all", "artifact-download", "my-rule",
                              "no-such-rule", SECRET])
levels = st.sampled_from(["info", "warning", "error", "off", False, True, "nope"])
globs = st.one_of(st.sampled_from(["*.txt", "drafts/", "**/*.md", "[", "x[.md", "[ab].txt", "", "r.txt"]), words)
regexes = st.one_of(st.lists(st.sampled_from(list("()[]{}?*+.|^$\\aZ09sSdw:<>=!Pg-,") + ["甲", "(?s)", "(?i)", "(?x)"]),
                             max_size=14).map("".join),
                    st.sampled_from(["a{4294967296}", "(" * 300 + "a" + ")" * 300, "(?P<flag>甲)方", "甲方.*", "(a+)+$",
                                     "(?s)甲.", "甲方"]))


def either(well_typed, strategy):
    """`strategy` in the well-typed half of the campaign (which gets past the type checks to
    the rest: rule references, packs, the rules themselves); there, sometimes any value."""
    return strategy if well_typed else st.one_of(strategy, values)


def config_strategy(well_typed: bool):
    per_file_settings = st.fixed_dictionaries({}, optional={
        "select": st.lists(rule_names, max_size=3), "ignore": st.lists(rule_names, max_size=3),
        "severity": st.dictionaries(rule_names, levels, max_size=2), "year": st.integers(1800, 2300),
        "allow": st.lists(words, max_size=3)})
    shapes = {
        "extends": st.one_of(st.sampled_from(["default", "none", "missing.yaml", "pack.yaml"]), st.lists(words, max_size=2)),
        "packs": st.lists(st.sampled_from(["pack.yaml", "missing.yaml", "r.txt"]), max_size=2),
        "select": st.lists(rule_names, max_size=3), "ignore": st.lists(rule_names, max_size=3),
        "severity": st.dictionaries(rule_names, levels, max_size=3),
        "year": st.integers(1800, 2300),
        "files": st.fixed_dictionaries({}, optional={"include": st.lists(globs, max_size=3),
                                                     "exclude": st.lists(globs, max_size=3)}),
        "per-file": st.dictionaries(globs, per_file_settings, max_size=3),
        "sections": st.dictionaries(st.sampled_from(["工作总结", "synonyms", "markers", "实施方案", SECRET]), values,
                                    max_size=2),
        "allow": st.lists(words, max_size=3),
        "fail-level": st.sampled_from(list(SEVERITIES)),
        "repetition": st.fixed_dictionaries({}, optional={"allow": st.lists(words, max_size=2),
                                                          "user-dict": st.sampled_from(["pack.yaml", "r.txt", "missing"])}),
        "report-unused-suppressions": st.booleans(),
    }
    return st.fixed_dictionaries({}, optional={key: either(well_typed, shape) for key, shape in shapes.items()})


configs = st.one_of(config_strategy(True), config_strategy(False), st.dictionaries(config_keys, values, max_size=5))
# text that is YAML only by accident: what `extends: some/other/file` may point at
raw_texts = st.lists(st.one_of(words, st.sampled_from([": ", ":\n", "\n", "- ", "[", "]", "{", "}", "!", "!!python/",
                                                       "&a ", "*a", "'", '"', "#", "---\n", "\t",
                                                       # values YAML reads but Python cannot build
                                                       "2024-02-30", "2024-13-01 25:00:00", "9" * 4400])),
                     max_size=25).map("".join)


def rule_strategy(well_typed: bool):
    options = {"patterns": st.lists(regexes, max_size=3), "words": st.lists(words, max_size=3),
               "unless": st.lists(regexes, max_size=2), "scope": st.sampled_from(["match", "line", SECRET]),
               "fix": st.one_of(st.sampled_from(["delete", "delete-line", SECRET]),
                                st.fixed_dictionaries({"replace": st.one_of(words, regexes)})),
               "examples": st.fixed_dictionaries({}, optional={"bad": st.lists(words, max_size=2),
                                                               "good": st.lists(words, max_size=2)}),
               "files": st.lists(globs, max_size=2), "enabled": st.booleans(), "ignore_case": st.booleans(),
               "description": words, "explain": words}
    pattern_rules = st.fixed_dictionaries(
        {"id": st.sampled_from(["my-rule", "my-other", "third-rule"]), "category": st.sampled_from(CATEGORIES),
         "severity": st.sampled_from(SEVERITIES), "kind": st.just("pattern"),
         "message": st.one_of(words, st.just("残留“{match}”\x1b[2J")), "pattern": regexes},
        optional={key: either(well_typed, option) for key, option in options.items()})
    block_rules = st.fixed_dictionaries(
        {"id": st.just("my-block"), "category": st.sampled_from(CATEGORIES), "severity": st.just("warning"),
         "kind": st.just("block"), "message": words, "start": regexes, "item": regexes},
        optional={"stop": either(well_typed, regexes), "max_lines": either(well_typed, st.integers(-2, 50))})
    if well_typed:
        return st.one_of(pattern_rules, pattern_rules, block_rules)
    random_rules = st.fixed_dictionaries(
        {"id": st.one_of(st.sampled_from(["my-rule", "placeholder-x", "Bad_Id", f"{SECRET}-x"]), words),
         "category": st.sampled_from(list(CATEGORIES) + ["style", SECRET]),
         "severity": st.sampled_from(list(SEVERITIES) + ["off", SECRET]),
         "kind": st.sampled_from(["pattern", "block", "charset", "linebreak", "repetition", "punctuation", "numbering",
                                  "sections", "era", "os", "..cli", SECRET]),
         "message": words},
        optional={**options, "pattern": regexes, "start": regexes, "item": regexes, "max_lines": scalars,
                  "check": words, "min_length": scalars, "window": scalars, "passage_ratio": scalars, "facts": values,
                  SECRET: scalars})
    return st.one_of(pattern_rules, block_rules, random_rules)


packs = st.one_of(
    st.fixed_dictionaries({"rules": st.lists(rule_strategy(True), min_size=1, max_size=2)},
                          optional={"pack": words, "description": words}),
    st.fixed_dictionaries({"rules": either(False, st.lists(rule_strategy(False), max_size=3))},
                          optional={"pack": words, "data": values, SECRET: scalars, "version": scalars}),
)


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)  # inf, nan and 1e+20 are TOML too
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value if v is not None) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)} = {_toml_value(v)}"
                               for k, v in value.items() if v is not None) + "}"
    return json.dumps(str(value), ensure_ascii=False)


def _run(args, cwd: Path):
    """The CLI in this process (a subprocess per example would cost seconds)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(["--no-cache", "--no-color", *args, str(cwd / "r.txt")])
    return status, out.getvalue(), err.getvalue()


def _check(status, out, err, names) -> None:
    assert status in (0, 1, 2), (status, err)
    assert "Traceback" not in err and "internal error" not in err, err
    assert not UNSAFE.search(out.replace("\n", "")) and not UNSAFE.search(err.replace("\n", "")), (out, err)
    if status == 2:
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("lint-reports: error: "), err
        assert any(name in lines[0] for name in names), (names, err)


def _config_shaped(document) -> bool:
    return isinstance(document, dict) and all(key in SCHEMA for key in document)


@CAMPAIGN
@given(document=configs, through_extends=st.booleans())
def test_any_yaml_config(document, through_extends):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "r.txt").write_text(REPORT, encoding="utf-8")
        (root / "other.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        (root / "cfg.yaml").write_text("extends: other.yaml\n", encoding="utf-8")
        status, out, err = _run(["--config", str(root / ("cfg.yaml" if through_extends else "other.yaml"))], root)
    _check(status, out, err, ["other.yaml", "cfg.yaml", "r.txt", "pack.yaml", "missing.yaml"])
    if not _config_shaped(document):
        assert SECRET not in out + err, err


@CAMPAIGN
@given(text=raw_texts, as_pack=st.booleans())
def test_any_text_where_a_config_or_pack_is_expected(text, as_pack):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "r.txt").write_text(REPORT, encoding="utf-8")
        (root / "other.yaml").write_text(text, encoding="utf-8")
        (root / "cfg.yaml").write_text(f"{'packs: [other.yaml]' if as_pack else 'extends: other.yaml'}\n",
                                       encoding="utf-8")
        status, out, err = _run(["--config", str(root / "cfg.yaml")], root)
    _check(status, out, err, ["other.yaml", "cfg.yaml"])
    try:
        document = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError):  # (a date or a number Python cannot build)
        document = None
    if not (_config_shaped(document) or as_pack and isinstance(document, dict) and "rules" in document):
        assert SECRET not in out + err, err


@CAMPAIGN
@given(document=configs)
def test_any_toml_table(document):
    body = "".join(f"{json.dumps(str(k), ensure_ascii=False)} = {_toml_value(v)}\n"
                   for k, v in document.items() if v is not None)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "r.txt").write_text(REPORT, encoding="utf-8")
        (root / "pyproject.toml").write_text(f"[project]\nname = 'x'\n\n[tool.lint-reports]\n{body}", encoding="utf-8")
        status, out, err = _run(["--config", str(root / "pyproject.toml")], root)
    _check(status, out, err, ["pyproject.toml", "r.txt", "pack.yaml", "missing.yaml", "other.yaml"])
    if not _config_shaped(document):
        assert SECRET not in out + err, err


@CAMPAIGN
@given(pack=packs, fix=st.booleans())
def test_any_rule_pack(pack, fix):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "r.txt").write_text(REPORT, encoding="utf-8")
        (root / "pack.yaml").write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
        (root / "cfg.yaml").write_text("packs: [pack.yaml]\n", encoding="utf-8")
        status, out, err = _run(["--config", str(root / "cfg.yaml"), *(["--diff"] if fix else [])], root)
    _check(status, out, err, ["pack.yaml", "cfg.yaml"])
    assert SECRET not in err, err  # planted only where a name goes: ids, kinds, keys, levels
