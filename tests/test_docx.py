""".docx reports through the optional `docx` extra: paragraphs are lines, Word heading
styles are headings, and without the extra one clear message says how to enable it."""
from __future__ import annotations

import pytest

from conftest import cli_json, run_cli

docx = pytest.importorskip("docx")


def _report(path, with_table=True):
    word = docx.Document()
    word.add_heading("工作总结", level=1)  # paragraph 1
    word.add_paragraph("今年以来，我们认真落实各项部署。")  # 2
    word.add_heading("一、主要做法", level=2)  # 3
    word.add_paragraph("加强领导，2024-11-25下载文档一键复制全文")  # 4
    if with_table:
        table = word.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "项目"  # 5
        table.cell(0, 1).text = "展开全文"  # 6
    styled = word.add_paragraph("二、下步打算")  # 7
    styled.style = word.styles["Heading 2"]
    word.add_paragraph("继续抓好落实。")  # 8
    word.save(str(path))


def test_paragraphs_are_lines_and_table_cells_count(tmp_path):
    _report(tmp_path / "report.docx")
    found = [(f["path"], f["line"], f["column"], f["rule"]) for f in cli_json("report.docx", cwd=tmp_path)]
    assert found == [("report.docx", 4, 6, "artifact-download"), ("report.docx", 6, 1, "artifact-download")]


def test_headings_come_from_word_styles(tmp_path):
    from lint_reports.io.docx import read

    _report(tmp_path / "report.docx")
    doc = read("report.docx", (tmp_path / "report.docx").read_bytes())
    assert doc.lines[:4] == ["工作总结", "今年以来，我们认真落实各项部署。", "一、主要做法",
                             "加强领导，2024-11-25下载文档一键复制全文"]
    headings = [(h.line, h.level, h.text) for h in doc.structure.headings]
    assert (1, 1, "工作总结") in headings
    assert (3, 2, "主要做法") in headings
    assert (7, 2, "下步打算") in headings


def test_a_directory_walk_picks_up_docx_once_the_extra_is_installed(tmp_path):
    _report(tmp_path / "report.docx", with_table=False)
    (tmp_path / "notes.txt").write_text("说明。\n", encoding="utf-8")
    assert {f["path"] for f in cli_json(".", cwd=tmp_path)} == {"report.docx"}


def test_fix_never_writes_a_docx(tmp_path):
    report = tmp_path / "report.docx"
    _report(report)
    before = report.read_bytes()
    result = run_cli("--fix", "report.docx", cwd=tmp_path)
    assert report.read_bytes() == before
    assert "report.docx: not fixed, --fix does not rewrite .docx files (fix it in Word)" in result.stderr
    assert "report.docx:4:6: error artifact-download" in result.stdout
    assert result.returncode == 1


def test_a_damaged_docx_is_one_warning(tmp_path):
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 this zip was cut short")
    (tmp_path / "fine.txt").write_text("说明。\n", encoding="utf-8")
    result = run_cli("broken.docx", "fine.txt", cwd=tmp_path)
    assert result.stderr.startswith("lint-reports: warning: broken.docx: skipped, not a readable .docx file")
    assert "Traceback" not in result.stderr
    assert result.returncode == 0


def _without_python_docx(tmp_path):
    stub = tmp_path / "stub" / "docx"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text("raise ImportError(\"No module named 'docx'\")\n", encoding="utf-8")
    return {"PYTHONPATH": str(tmp_path / "stub")}


def test_without_the_extra_a_docx_gives_one_clear_message(tmp_path):
    _report(tmp_path / "report.docx")
    env = _without_python_docx(tmp_path)
    result = run_cli("report.docx", cwd=tmp_path, env=env)
    assert result.stderr.splitlines() == [
        "lint-reports: warning: report.docx: skipped, reading .docx needs the optional extra: "
        "pip install 'lint-reports[docx]'"]
    assert result.returncode == 2  # nothing at all could be read
    (tmp_path / "fine.txt").write_text("说明。\n", encoding="utf-8")
    assert run_cli("report.docx", "fine.txt", cwd=tmp_path, env=env).returncode == 0


def test_without_the_extra_a_walk_leaves_docx_alone(monkeypatch):
    from lint_reports.config import settings as config
    from lint_reports.io import docx as wordfile

    monkeypatch.setattr(wordfile, "available", lambda: False)
    assert config.Config().include == ["*.txt", "*.md"]
    monkeypatch.setattr(wordfile, "available", lambda: True)
    assert config.Config().include == ["*.txt", "*.md", "*.docx"]
