"""`--fix` and `--diff` end to end: what is fixed, what never is, and that nothing is lost."""
from __future__ import annotations

import json
import os
import shutil
import stat
import textwrap

import pytest

from conftest import ROOT, SEEDS, run_cli

BODY = ("创建学习型党组织工作总结\n"
        "\n"
        "2024-11-25下载文档一键复制全文\n"
        "一、强化保障##paidbegin##，夯实创建基础。\n"
        "展开全文\n"
        "二、**县要抓好学习。\n")
FIXED = ("创建学习型党组织工作总结\n"
         "\n"
         "一、强化保障，夯实创建基础。\n"
         "二、**县要抓好学习。\n")


def _snapshot(path):
    info = path.stat()
    return path.read_bytes(), info.st_mtime_ns, stat.S_IMODE(info.st_mode)


def _write_pack(tmp_path, rules: str):
    (tmp_path / "pack.yaml").write_text("pack: local\nrules:\n" + textwrap.indent(textwrap.dedent(rules), "  "),
                                        encoding="utf-8")
    (tmp_path / ".lint-reports.yaml").write_text("packs: [pack.yaml]\n", encoding="utf-8")


def test_fix_removes_artifacts_and_reports_what_remains(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(BODY, encoding="utf-8")
    result = run_cli("--fix", "--no-cache", "report.txt", cwd=tmp_path)
    assert report.read_text(encoding="utf-8") == FIXED
    # the placeholder is left for a human, reported at its line in the fixed file
    assert result.stdout.splitlines()[0].startswith("report.txt:4:3: error placeholder-stars")
    assert "1 problem in 1 file" in result.stdout
    assert "fixed 3 problems in 1 file" in result.stderr
    assert result.returncode == 1


def test_fix_all_clean_exits_zero(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("工作总结\n\n一、主要做法。展开全文\n", encoding="utf-8")
    result = run_cli("--fix", "report.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert report.read_text(encoding="utf-8") == "工作总结\n\n一、主要做法。\n"


def test_second_run_changes_nothing(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(BODY, encoding="utf-8")
    first = run_cli("--fix", "report.txt", cwd=tmp_path)
    before = _snapshot(report)
    second = run_cli("--fix", "report.txt", cwd=tmp_path)
    assert _snapshot(report) == before
    assert second.stdout == first.stdout
    assert "fixed" not in second.stderr
    assert run_cli("--diff", "report.txt", cwd=tmp_path).stdout == ""


ENCODINGS = [
    ("utf-8", b""),
    ("utf-8", b"\xef\xbb\xbf"),
    ("utf-16-le", b"\xff\xfe"),
    ("utf-16-be", b"\xfe\xff"),
    ("gb18030", b""),
    ("gbk", b""),
]


def test_fix_round_trips_each_encoding_bom_and_newline_byte_for_byte(tmp_path):
    expected = {}
    for encoding, bom in ENCODINGS:
        for name, newline in (("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")):
            path = tmp_path / f"{encoding}{'-bom' if bom else ''}-{name}.txt"
            path.write_bytes(bom + BODY.replace("\n", newline).encode(encoding))
            expected[path] = bom + FIXED.replace("\n", newline).encode(encoding)
    result = run_cli("--fix", "--no-cache", ".", cwd=tmp_path)
    assert result.stdout.count("placeholder-stars") == len(expected), result.stderr
    for path, data in expected.items():
        assert path.read_bytes() == data, path.name


def test_mixed_line_endings_and_missing_final_newline_are_kept(tmp_path):
    report = tmp_path / "report.txt"
    original = "标题\r\n第一行。\n展开全文\r\n第二行。\r第三行，没有换行符结尾。"
    report.write_bytes(original.encode("utf-8"))
    run_cli("--fix", "report.txt", cwd=tmp_path)
    assert report.read_bytes() == "标题\r\n第一行。\n第二行。\r第三行，没有换行符结尾。".encode("utf-8")


def test_fix_changes_only_lines_with_findings_on_the_seeds(tmp_path):
    """Every line without a finding keeps its text, in order; only its newline may go
    when a flagged neighbour is joined to it or deleted."""
    shutil.copytree(SEEDS, tmp_path / "seeds", copy_function=shutil.copyfile)  # writable copies
    before = {p.name: p.read_text(encoding="utf-8").split("\n") for p in (tmp_path / "seeds").iterdir()}
    findings = json.loads(run_cli("--format", "json", "seeds", cwd=tmp_path).stdout)["findings"]
    flagged = {(f["path"].rsplit("/", 1)[-1], f["line"]) for f in findings}
    result = run_cli("--fix", "seeds", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    changed_files = 0
    for path in (tmp_path / "seeds").iterdir():
        after = path.read_text(encoding="utf-8")
        old = before[path.name]
        changed_files += after != "\n".join(old)
        position = 0
        for number, line in enumerate(old, 1):
            if (path.name, number) in flagged or not line:
                continue
            found = after.find(line, position)
            assert found != -1, f"{path.name}:{number} changed without a finding: {line[:40]}"
            position = found + len(line)
    assert changed_files >= 1
    # fixing is idempotent on real reports too
    snapshot = {p.name: p.read_bytes() for p in (tmp_path / "seeds").iterdir()}
    run_cli("--fix", "seeds", cwd=tmp_path)
    assert {p.name: p.read_bytes() for p in (tmp_path / "seeds").iterdir()} == snapshot
    remaining = json.loads(run_cli("--format", "json", "seeds", cwd=tmp_path).stdout)["findings"]
    assert not [f for f in remaining if f["rule"] in {"artifact-download", "artifact-paywall"}]


def test_placeholder_and_outdated_edits_are_never_applied(tmp_path):
    _write_pack(tmp_path, """
        - id: local-slot
          category: placeholder
          severity: error
          kind: pattern
          message: 占位符“{match}”
          pattern: 'XX县'
          fix: {replace: 某县}
        - id: local-old-congress
          category: outdated
          severity: error
          kind: pattern
          message: 过时提法“{match}”
          pattern: '十七届五中全会'
          fix: delete
        - id: local-fullwidth-comma
          category: punctuation
          severity: warning
          kind: pattern
          message: 半角逗号“{match}”
          pattern: '(?<=[\\u4e00-\\u9fff]),(?=[\\u4e00-\\u9fff])'
          fix: {replace: '，'}
    """)
    report = tmp_path / "report.txt"
    report.write_text("XX县贯彻十七届五中全会精神,推进工作。\n", encoding="utf-8")
    result = run_cli("--fix", "--select", "local-slot,local-old-congress,local-fullwidth-comma",
                     "report.txt", cwd=tmp_path)
    assert report.read_text(encoding="utf-8") == "XX县贯彻十七届五中全会精神，推进工作。\n"
    rules = [line.split()[2] for line in result.stdout.splitlines()[:-1]]
    assert rules == ["local-slot", "local-old-congress"]
    assert result.returncode == 1


def test_overlapping_edits_first_wins_and_the_loop_finishes_the_rest(tmp_path):
    _write_pack(tmp_path, """
        - id: local-doubled
          category: repetition
          severity: warning
          kind: pattern
          message: 重复“{match}”
          pattern: '(学习){2}'
          fix: {replace: '\\1'}
        - id: local-doubled-study-plan
          category: repetition
          severity: warning
          kind: pattern
          message: 重复“{match}”
          pattern: '学习学习计划'
          fix: {replace: 学习计划}
    """)
    report = tmp_path / "report.txt"
    report.write_text("制定学习学习学习学习计划。\n", encoding="utf-8")
    result = run_cli("--fix", "report.txt", cwd=tmp_path)
    assert report.read_text(encoding="utf-8") == "制定学习计划。\n"
    assert result.returncode == 0, result.stdout
    before = _snapshot(report)
    run_cli("--fix", "report.txt", cwd=tmp_path)
    assert _snapshot(report) == before


def test_diff_shows_the_change_and_writes_nothing(tmp_path):
    report = tmp_path / "report.txt"
    report.write_bytes(BODY.encode("gbk"))
    before = _snapshot(report)
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "lint_reports", "--diff", "report.txt"], cwd=tmp_path,
                            capture_output=True, timeout=120)
    assert _snapshot(report) == before
    assert result.returncode == 1
    shown = result.stdout.decode("gbk")  # the hunks are in the file's own encoding
    assert shown.startswith("--- a/report.txt\n+++ b/report.txt\n@@ -1,6 +1,4 @@\n")
    assert "-2024-11-25下载文档一键复制全文\n" in shown
    assert "+一、强化保障，夯实创建基础。\n" in shown
    clean = tmp_path / "clean.txt"
    clean.write_text("工作总结\n\n一、主要做法。\n", encoding="utf-8")
    assert run_cli("--diff", "clean.txt", cwd=tmp_path).returncode == 0


def test_diff_output_applies_with_git_apply(tmp_path):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git not installed")
    report = tmp_path / "report.txt"
    report.write_text(BODY, encoding="utf-8")
    diff = run_cli("--diff", "report.txt", cwd=tmp_path).stdout
    (tmp_path / "fix.patch").write_text(diff, encoding="utf-8")
    import subprocess

    subprocess.run([git, "apply", "fix.patch"], cwd=tmp_path, check=True)
    assert report.read_text(encoding="utf-8") == FIXED


def test_read_only_file_is_an_error_and_is_left_untouched(tmp_path):
    locked, open_ = tmp_path / "locked.txt", tmp_path / "open.txt"
    locked.write_text(BODY, encoding="utf-8")
    open_.write_text(BODY, encoding="utf-8")
    locked.chmod(0o444)
    before = _snapshot(locked)
    result = run_cli("--fix", "locked.txt", "open.txt", cwd=tmp_path)
    assert _snapshot(locked) == before
    assert open_.read_text(encoding="utf-8") == FIXED
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert errors == ["lint-reports: error: locked.txt: cannot fix: the file is read-only (left untouched)"]
    assert "Traceback" not in result.stderr
    assert result.returncode == 2
    assert "locked.txt:3:1: error artifact-download" in result.stdout  # still reported


def test_mode_is_kept_and_no_temporary_file_is_left(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(BODY, encoding="utf-8")
    report.chmod(0o640)
    run_cli("--fix", "report.txt", cwd=tmp_path)
    assert stat.S_IMODE(report.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".lint-reports-cache")) == ["report.txt"]


def test_fix_through_a_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text(BODY, encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    run_cli("--fix", "link.txt", cwd=tmp_path)
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == FIXED


def test_without_fix_no_file_changes(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "seeds", copy_function=shutil.copyfile)
    (tmp_path / "seeds" / "gbk.txt").write_bytes(BODY.encode("gbk"))
    (tmp_path / "seeds" / "crlf.md").write_bytes(BODY.replace("\n", "\r\n").encode("utf-8-sig"))
    before = {p.name: _snapshot(p) for p in (tmp_path / "seeds").iterdir()}
    for args in ([], ["--format", "json"], ["--jobs", "2"], ["--no-cache"]):
        run_cli(*args, "seeds", cwd=tmp_path)
    assert {p.name: _snapshot(p) for p in (tmp_path / "seeds").iterdir()} == before


def test_damaged_utf8_is_not_rewritten(tmp_path):
    report = tmp_path / "report.txt"
    data = ("一、主要做法。" * 20 + "\n展开全文\n").encode("utf-8") + b"\xff\xfe\xfd\n"
    report.write_bytes(data)
    result = run_cli("--fix", "report.txt", cwd=tmp_path)
    assert report.read_bytes() == data
    assert "report.txt: not fixed: undecodable bytes on line 3; repair the encoding first" in result.stderr
    assert result.returncode == 2


def test_markdown_code_is_never_fixed(tmp_path):
    report = tmp_path / "report.md"
    text = "# 工作总结\n\n展开全文\n\n```\n展开全文\n```\n\n    # code: 展开全文 = 1\n"
    report.write_text(text, encoding="utf-8")
    run_cli("--fix", "report.md", cwd=tmp_path)
    # the banner goes with one of the blank lines around it: one blank line stays, not two
    assert report.read_text(encoding="utf-8") == text.replace("展开全文\n\n```", "```", 1)


def test_pre_commit_manifest_has_a_check_hook_and_a_fix_hook():
    from pre_commit.clientlib import load_manifest

    hooks = {hook["id"]: hook for hook in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    assert hooks["lint-reports"]["entry"] == "lint-reports --force-exclude"  # staged names obey excludes
    assert hooks["lint-reports-fix"]["entry"] == "lint-reports --fix --force-exclude"
    assert hooks["lint-reports-fix"]["files"] == hooks["lint-reports"]["files"]


# --- the pieces fix.py guarantees on its own ------------------------------------------

def test_an_edit_outside_its_findings_lines_is_ignored():
    from lint_reports.core.document import Document
    from lint_reports.core.finding import Edit, Finding
    from lint_reports.core.fix import fixable_edits

    doc = Document("r.txt", "第一行。\n第二行展开全文。\n第三行。\n")
    start = doc.text.index("展开全文")

    def finding(edit, category="artifact"):
        return Finding("r.txt", 2, 4, 8, "x", category, "error", "m", start, start + 4, edit)

    local = Edit(start, start + 4, "")
    newline = doc.line_starts[1] - 1
    join = Edit(newline, newline + 1, "")  # the newline before line 2: joining is allowed
    far = Edit(0, 3, "")  # line 1 had no finding
    assert fixable_edits(doc, [finding(local)]) == [local]
    assert fixable_edits(doc, [finding(join)]) == [join]
    assert fixable_edits(doc, [finding(far)]) == []
    assert fixable_edits(doc, [finding(local, "placeholder")]) == []
    assert fixable_edits(doc, [finding(local, "section")]) == []


def test_a_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    from lint_reports.core import fix

    report = tmp_path / "report.txt"
    report.write_bytes(b"old")

    def crash(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fix.os, "replace", crash)
    with pytest.raises(fix.FixError, match="No space left on device"):
        fix.write_atomic(report, b"new content")
    assert report.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_an_interrupted_write_leaves_the_old_file(tmp_path, monkeypatch):
    from lint_reports.core import fix

    report = tmp_path / "report.txt"
    report.write_bytes(b"old")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(fix.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fix.write_atomic(report, b"new content")
    assert report.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


@pytest.mark.slow
def test_a_killed_run_leaves_each_file_old_or_new(tmp_path):
    """SIGKILL a --fix run over many files at random moments: no file is ever half-written."""
    import signal
    import subprocess
    import sys
    import time

    directory = tmp_path / "reports"
    directory.mkdir()
    body = BODY.encode("utf-8") * 200
    for index in range(60):
        (directory / f"r{index:02}.txt").write_bytes(body)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for delay in (0.3, 0.6, 0.9):
        process = subprocess.Popen([sys.executable, "-m", "lint_reports", "--fix", "--jobs", "1", "--no-cache",
                                    str(directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
    states = set()
    for path in directory.iterdir():
        if path.name.startswith(".") and path.name.endswith(".lint-reports-tmp"):
            continue  # a kill between write and rename leaves a hidden temporary file, never a broken report
        data = path.read_bytes()
        states.add("old" if data == body else "new")
        if data != body:  # a complete fixed file: nothing left to fix, lines intact
            assert data.endswith(b"\n") and "下载文档".encode() not in data and "展开全文".encode() not in data
    assert states <= {"old", "new"}


# --- property: fixing is stable on any text -------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from([
    "一、主要做法。", "展开全文", "##paidbegin##", "2024-11-25下载文档一键复制全文", "(来源:好范文 http:///)",
    "推荐阅读:", "学习计划07-16", "**县", "\n", "\r\n", "\r", " ", "　", "學习", "二十大、二十大", "，", ",",
    "The template file 'copy.htm' not found or have no access!", "```", "    ", "<!--", "-->", "\ufeff",
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=30),
       encoding=st.sampled_from(["utf-8", "gb18030", "utf-16-le"]), markdown=st.booleans())
def test_fixing_any_text_is_stable_and_keeps_the_encoding(linter, pieces, encoding, markdown):
    from lint_reports.core.document import DecodeError
    from lint_reports.io.load import load_document
    from lint_reports.core.fix import FixError, Source, fix_document

    text = "".join(pieces)
    bom = b"\xff\xfe" if encoding == "utf-16-le" else b""
    try:
        data = bom + text.encode(encoding)
    except UnicodeEncodeError:
        return  # lone surrogates: no file can hold them
    path = "r.md" if markdown else "r.txt"
    try:
        doc = load_document(path, data)
    except DecodeError:
        return
    try:
        first = fix_document(linter, doc, path, data)
    except FixError:
        return  # not byte-for-byte round-trippable: refused, as it must be
    again = fix_document(linter, load_document(path, first.fixed), path, first.fixed)
    assert again.fixed == first.fixed
    original = Source.from_bytes(data)
    assert first.fixed.startswith(original.bom)
    fixed_text = first.fixed[len(original.bom):].decode(original.encoding)  # still the file's encoding
    assert _line_ends(fixed_text) <= _line_ends(text) | {"\n"}  # no line ending the file did not have


def _line_ends(text: str) -> set:
    import re

    return set(re.findall(r"\r\n|\r|\n", text))


def test_standard_input_is_never_rewritten(linter):
    from types import SimpleNamespace

    from lint_reports.core.runner import DIFF, FIX, Job, process

    target = SimpleNamespace(path="-", display="<stdin>", rel="<stdin>", stdin=True)
    data = BODY.encode("utf-8")
    fixed = process(linter, Job(target, FIX, data))
    assert fixed.errors == ["<stdin>: --fix cannot rewrite standard input; use --diff"]
    assert fixed.findings and not fixed.changed
    shown = process(linter, Job(target, DIFF, data))
    assert shown.diff.startswith(b"--- a/<stdin>\n") and not shown.errors


def test_a_fix_that_would_leave_only_control_bytes_is_refused(tmp_path):
    report = tmp_path / "r.txt"
    report.write_bytes("\x1a2024-11-25下载文档一键复制全文\n".encode("utf-8"))
    before = report.read_bytes()
    # (charset-invisible would delete the control byte itself, leaving a clean file)
    result = run_cli("--fix", "--ignore", "charset-invisible", "r.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "r.txt: not fixed: what would remain does not read as text" in result.stderr
    assert report.read_bytes() == before


# --- deleting furniture lines leaves the blank lines as a person would ----------------------

def _fixed_text(text: str) -> str:
    from lint_reports.config.settings import Config
    from lint_reports.io.load import load_document
    from lint_reports.core.engine import Linter
    from lint_reports.core.fix import fix_document

    data = text.encode("utf-8")
    doc = load_document("r.txt", data)
    return fix_document(Linter(Config()), doc, "r.txt", data).fixed.decode("utf-8")


NOTICE_TITLE = "关于做好2024年村和社区组织换届选举工作的实施意见"
NOTICE_BODY = "各行政村（社区）：\n\n今年3月份开始，全镇村和社区党组织将进行换届选举，这是基层党员群众政治生活中的一件大事。\n"


def test_furniture_deleted_at_the_head_leaves_no_blank_first_line():
    fixed = _fixed_text("您当前的位置：首页 > 信息公开 > 正文\n打印本页\n\n" + NOTICE_TITLE + "\n\n" + NOTICE_BODY)
    assert fixed == NOTICE_TITLE + "\n\n" + NOTICE_BODY


def test_furniture_deleted_at_the_foot_leaves_no_blank_lines_at_the_end():
    fixed = _fixed_text(NOTICE_TITLE + "\n\n" + NOTICE_BODY + "\n\n上一篇：2023年工作总结\n下一篇：2025年工作计划\n关闭窗口\n")
    assert fixed == NOTICE_TITLE + "\n\n" + NOTICE_BODY
    # a file without a final newline keeps none
    fixed = _fixed_text(NOTICE_TITLE + "\n\n" + NOTICE_BODY + "\n打印本页\n关闭窗口")
    assert fixed == NOTICE_TITLE + "\n\n" + NOTICE_BODY.rstrip("\n")


def test_lines_deleted_by_different_rules_around_a_blank_line_leave_one_blank_line():
    text = NOTICE_TITLE + "\n\n发布日期：2017-03-28 信息来源：县政府办 浏览次数：\n分享：\n\n" + NOTICE_BODY
    assert _fixed_text(text) == NOTICE_TITLE + "\n\n" + NOTICE_BODY


@pytest.mark.parametrize("old", [
    "甲" * 300 + "\n",  # one long line and its newline
    "甲" * 200 + "\n" + "乙" * 200 + "\n",  # two lines
    "甲\n" * 400,  # many short lines
    "甲" * 1000,  # no newline at all
    "甲" * 100 + "\n" + "乙" * 300,
])
def test_a_long_replaced_text_is_kept_short_and_described_the_same(old):
    from types import SimpleNamespace

    from lint_reports.core import fixhints

    text = "前言。\n" + old + "结尾。\n"
    start = len("前言。\n")
    kept = fixhints.kept_text(text, start, start + len(old))
    assert len(kept) <= fixhints.KEPT_CHARS + 4
    as_is = SimpleNamespace(fix_region=(1, 1, 1, 1, old), fix=SimpleNamespace(replacement=""))
    shortened = SimpleNamespace(fix_region=(1, 1, 1, 1, kept), fix=SimpleNamespace(replacement=""))
    assert fixhints.describe(shortened) == fixhints.describe(as_is)
