"""Config discovery, schema, per-file settings, user packs, and errors with file and line."""
from __future__ import annotations

import json
import textwrap

import pytest

from conftest import run_cli

REPORT = "xx区2023年工作总结\n\n全年发放资金 万元。\n"


def _write(path, text):
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
