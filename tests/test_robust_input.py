"""Any input file: decoded right or skipped with one warning, never a crash, the right line."""
from __future__ import annotations

import codecs
import json
import os
import random
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, run_cli
from lint_reports.io.load import load_document
from lint_reports.core.document import DecodeError, decode

PLACEHOLDER = "关于20**年xx区工作的总结\n第二行写得很好。\n"


def _cli(*args, cwd):
    result = run_cli("--format", "json", *args, cwd=cwd)
    assert "Traceback" not in result.stderr
    findings = json.loads(result.stdout)["findings"] if result.stdout.strip() else []
    return result, findings


def _warnings(stderr: str) -> list:
    return [line for line in stderr.splitlines() if line.startswith("lint-reports: warning:")]


# --- the decode layer -------------------------------------------------------------------

def test_empty_and_whitespace_only_documents():
    for data in (b"", b"   \n\t\n", b"\r\n\r\n", b"\xef\xbb\xbf", "\u3000\u3000\n".encode()):
        doc = load_document("x.txt", data)
        assert doc.lines and all(not line.strip() for line in doc.lines)
        assert doc.damaged_lines == []


def test_bom_is_remembered_not_part_of_the_text():
    doc = load_document("x.txt", codecs.BOM_UTF8 + PLACEHOLDER.encode())
    assert doc.text == PLACEHOLDER and doc.bom == codecs.BOM_UTF8 and doc.encoding == "utf-8"
    assert doc.encode() == codecs.BOM_UTF8 + PLACEHOLDER.encode()


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_lone_cr_give_the_same_lines_as_lf(newline):
    data = PLACEHOLDER.replace("\n", newline).encode()
    doc = load_document("x.txt", data)
    assert doc.text == PLACEHOLDER and doc.newline == newline
    assert doc.encode() == data


def test_mixed_line_endings_count_every_break():
    doc = load_document("x.txt", "一\r\n二\r三\n四".encode())
    assert doc.lines == ["一", "二", "三", "四"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(encoding):
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    data = bom + PLACEHOLDER.encode(encoding)
    doc = load_document("x.txt", data)
    assert doc.text == PLACEHOLDER and doc.encoding == encoding and doc.encode() == data


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "gb2312"])
def test_chinese_legacy_encodings(encoding):
    text = (SEEDS / "000_8261cbc6f0c4fd5e.txt").read_text(encoding="utf-8")
    data = text.encode("gb18030") if encoding == "gb18030" else text.encode(encoding, errors="ignore")
    decoded = decode(data)
    assert decoded.encoding == "gb18030" and decoded.damaged_lines == []
    assert decoded.text == data.decode("gb18030")


def test_big5_is_not_misread_as_gb18030():
    decoded = decode("關於本年度工作的總結報告，請審閱。\n".encode("big5"))
    assert decoded.encoding == "big5" and decoded.text.startswith("關於本年度")


def test_invalid_utf8_is_replaced_on_the_right_lines():
    data = "第一行正常内容\n第二行".encode() + b"\xff" + "坏了\n第三行\n".encode() + b"\xe5\x9d" + "第四行\n".encode()
    decoded = decode(data)
    assert decoded.encoding == "utf-8"
    assert decoded.damaged_lines == [2, 4]
    assert decoded.text.splitlines()[1] == "第二行\ufffd坏了"


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_damaged_line_numbers_follow_every_newline_style(newline):
    body = newline.join(["一".encode(), "二".encode(), b"\xff\xfe", "四".encode() + b"\xc0", "五".encode()])
    doc = load_document("x.txt", body)
    assert doc.damaged_lines == [3, 4]
    assert all("\ufffd" in doc.lines[n - 1] for n in doc.damaged_lines)


def test_mostly_ascii_text_with_a_stray_byte_stays_utf8():
    decoded = decode(b"plain text\nwith one \xff stray byte\n" + b"more text\n" * 20)
    assert decoded.encoding == "utf-8" and decoded.damaged_lines == [2]


def test_gbk_file_with_a_damaged_byte_is_read_as_gbk():
    data = "关于本区的工作总结\n第二行".encode("gbk") + b"\xff\n" + "第三行内容很多很多".encode("gbk")
    decoded = decode(data)
    assert decoded.encoding == "gb18030" and decoded.damaged_lines == [2]
    assert decoded.text.startswith("关于本区")


def test_utf8_bom_file_with_damage_is_still_read():
    decoded = decode(codecs.BOM_UTF8 + "第一行\n坏".encode() + b"\xff")
    assert decoded.bom == codecs.BOM_UTF8 and decoded.damaged_lines == [2]


@pytest.mark.parametrize("data", [
    random.Random(1).randbytes(5000),
    bytes(b for b in random.Random(2).randbytes(6000) if b),  # random, without NUL bytes
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100),
    b"PK\x03\x04\x14\x00\x06\x00" + bytes(200),
    "Report 文字\n".encode("utf-16-le"),  # UTF-16 without a BOM: NULs, not guessed
])
def test_binary_data_is_refused(data):
    with pytest.raises(DecodeError):
        decode(data)


# --- whole files through the CLI --------------------------------------------------------

def test_odd_but_valid_files_are_linted_at_the_right_line(tmp_path):
    files = {
        "empty.txt": b"",
        "blank.txt": b"  \n\t\n",
        "bom.txt": codecs.BOM_UTF8 + "标题\r\n20**年工作总结\r\n".encode(),
        "cr.txt": "标题\r20**年工作总结\r".encode(),
        "utf16.txt": codecs.BOM_UTF16_LE + "标题\n20**年工作总结\n".encode("utf-16-le"),
        "gbk.txt": "标题\n20**年工作总结\n".encode("gbk"),
        "damaged.txt": "标题\n20**年".encode() + b"\xff" + "工作总结\n".encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    result, findings = _cli(".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    stars = {f["path"]: (f["line"], f["column"]) for f in findings if f["rule"] == "placeholder-stars"}
    assert stars == {name: (2, 3) for name in ("bom.txt", "cr.txt", "utf16.txt", "gbk.txt", "damaged.txt")}


def test_damaged_bytes_are_reported_at_their_line(tmp_path):
    from lint_reports.config.settings import Config
    from lint_reports.core.engine import Linter

    if not any(rule.category == "charset" for rule in Linter(Config()).rules):
        pytest.skip("no charset rules yet: they report Document.damaged_lines")
    (tmp_path / "r.txt").write_bytes("第一行\n第二行\n第三".encode() + b"\xff\xfe" + "行\n".encode())
    result, findings = _cli("r.txt", cwd=tmp_path)
    charset = [f for f in findings if f["category"] == "charset"]
    assert charset and {f["line"] for f in charset} == {3}, findings


def test_binary_files_are_skipped_with_one_warning_each(tmp_path):
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(3000))
    (tmp_path / "noise.md").write_bytes(bytes(b for b in os.urandom(4000) if b))
    docx = tmp_path / "report.docx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document>关于xx区</w:document>")
    (tmp_path / "clean.txt").write_text("今年工作总结。\n", encoding="utf-8")
    result, findings = _cli(".", "report.docx", cwd=tmp_path)
    warnings = _warnings(result.stderr)
    assert len(warnings) == 3, result.stderr
    for name in ("photo.txt", "noise.md", "report.docx"):
        assert sum(name in line for line in warnings) == 1
    assert result.returncode == 0  # warnings do not change the exit status
    assert findings == []


def test_a_20_mb_file(tmp_path):
    paragraph = (SEEDS / "001_56c7eb5890fe722a.txt").read_text(encoding="utf-8")
    body = "".join(line for line in paragraph.splitlines(keepends=True) if "*" not in line and "x" not in line.lower())
    repeats = 20_000_000 // len(body.encode()) + 1
    path = tmp_path / "big.txt"
    path.write_text(body * repeats + "最后一行：20**年\n", encoding="utf-8")
    assert path.stat().st_size >= 20_000_000
    lines = (body * repeats).count("\n")
    started = time.perf_counter()
    result = run_cli("--format", "json", "--select", "placeholder-stars", "big.txt", cwd=tmp_path)
    elapsed = time.perf_counter() - started
    assert result.returncode == 1, result.stderr
    assert [f["line"] for f in json.loads(result.stdout)["findings"]] == [lines + 1]
    assert elapsed < 60


def test_a_single_1_mb_line(tmp_path):
    line = ("推荐阅读：学习型党组织建设工作总结" * 60000)[:340_000] + "，20**年"
    (tmp_path / "one.txt").write_text(line, encoding="utf-8")
    assert (tmp_path / "one.txt").stat().st_size > 1_000_000
    started = time.perf_counter()
    result, findings = _cli("one.txt", cwd=tmp_path)
    assert time.perf_counter() - started < 30
    assert result.returncode == 1 and result.stderr == ""
    assert all(f["line"] == 1 for f in findings)
    stars = [f for f in findings if f["rule"] == "placeholder-stars"]
    assert [f["column"] for f in stars] == [len(line) - 2]
    assert all(len(f["message"]) < 300 for f in findings)  # a huge match is quoted, not pasted


def test_very_deep_directories(tmp_path):
    # Deeper than Python's recursion limit (1000): the walk must be iterative.
    depth = 1100
    levels = [str(tmp_path)]
    for _ in range(depth):  # os.makedirs would recurse too deeply
        levels.append(levels[-1] + "/d")
        os.mkdir(levels[-1])
    deep = Path(levels[-1])
    (deep / "r.txt").write_text("20**年工作总结\n", encoding="utf-8")
    (tmp_path / "top.txt").write_text("今年工作总结。\n", encoding="utf-8")
    try:
        result, findings = _cli(".", cwd=tmp_path)
    finally:  # shutil.rmtree (pytest's clean-up) recurses too: take the tree down bottom up
        (deep / "r.txt").unlink()
        for level in reversed(levels[1:]):
            os.rmdir(level)
    assert result.returncode == 1, result.stderr
    assert [f["path"].count("/") for f in findings] == [depth]


def test_symlink_loops_end(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "r.txt").write_text("20**年工作总结\n", encoding="utf-8")
    (tmp_path / "a" / "loop").symlink_to(tmp_path)  # a -> .. -> a -> ...
    (tmp_path / "a" / "self").symlink_to(tmp_path / "a" / "self")  # a directory entry pointing at itself
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")  # a file that is a loop
    (tmp_path / "gone.md").symlink_to(tmp_path / "missing.md")
    result, findings = _cli(".", cwd=tmp_path)
    assert [f["path"] for f in findings] == ["a/r.txt"]
    warnings = _warnings(result.stderr)
    assert len(warnings) == 2 and any("self.txt" in w for w in warnings) and any("gone.md" in w for w in warnings)
    assert result.returncode == 1


def test_explicit_looping_symlink_is_an_error_not_a_hang(tmp_path):
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "ok.txt").write_text("20**年\n", encoding="utf-8")
    result, findings = _cli("loop.txt", "ok.txt", cwd=tmp_path)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and "loop.txt" in errors[0]
    assert [f["path"] for f in findings] == ["ok.txt"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_in_the_tree_is_skipped_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "r.txt").write_text("20**年\n", encoding="utf-8")
    result, findings = _cli(".", cwd=tmp_path)  # would block forever if the FIFO were opened
    assert [f["path"] for f in findings] == ["r.txt"]
    assert len(_warnings(result.stderr)) == 1 and "pipe.txt" in result.stderr


def _unprivileged(command: list) -> list:
    """The command run without the power to read any file: as root, drop the capabilities
    that bypass permission bits (setpriv), so chmod 000 is honoured for real."""
    if os.geteuid() != 0:
        return command
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: cannot make a file unreadable")
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", *command]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_unreadable_file_and_directory(tmp_path):
    (tmp_path / "a.txt").write_text("20**年工作总结\n", encoding="utf-8")
    secret = tmp_path / "b.txt"
    secret.write_text("xx区工作总结\n", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "c.txt").write_text("xx区\n", encoding="utf-8")
    (tmp_path / "z.txt").write_text("××镇工作总结\n", encoding="utf-8")
    secret.chmod(0)
    locked.chmod(0)
    try:
        command = _unprivileged([sys.executable, "-m", "lint_reports", "--format", "json", "."])
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=60)
    finally:
        secret.chmod(0o644)
        locked.chmod(0o755)
    assert result.returncode == 2, result.stderr
    errors = result.stderr.splitlines()
    assert len(errors) == 2 and "Traceback" not in result.stderr
    assert any("b.txt" in e and "Permission denied" in e for e in errors)
    assert any("locked" in e and "Permission denied" in e for e in errors)
    linted = {f["path"] for f in json.loads(result.stdout)["findings"]}
    assert linted == {"a.txt", "z.txt"}  # the others are still linted


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses non-UTF-8 file names")
def test_non_utf8_file_names(tmp_path):
    name = os.fsdecode(b"\xb1\xa8\xb8\xe6.txt")  # "报告.txt" in GBK
    (tmp_path / name).write_text("20**年工作总结\n", encoding="utf-8")
    for fmt in ("text", "json"):
        result = run_cli("--format", fmt, ".", cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        shown = json.loads(result.stdout)["findings"][0]["path"] if fmt == "json" else result.stdout
        assert "\\xb1\\xa8\\xb8\\xe6.txt" in shown


def test_a_path_given_twice_is_linted_once(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "r.txt").write_text("20**年工作总结\n", encoding="utf-8")
    result, findings = _cli("sub/r.txt", "./sub/r.txt", "sub", "sub/../sub/r.txt", cwd=tmp_path)
    assert len(findings) == 1 and result.returncode == 1


def test_symlinks_out_of_the_tree_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "private.txt").write_text("xx区 private notes\n", encoding="utf-8")
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "templates").mkdir()
    (project / "templates" / "common.txt").write_text("××镇工作总结\n", encoding="utf-8")
    (project / "docs" / "r.txt").write_text("20**年工作总结\n", encoding="utf-8")
    (project / "docs" / "escape").symlink_to(outside)  # a link out of the project
    (project / "docs" / "leak.txt").symlink_to(outside / "private.txt")
    (project / "docs" / "common").symlink_to(project / "templates")  # a link within the project
    (project / ".lint-reports.yaml").write_text("year: 2024\n", encoding="utf-8")
    result, findings = _cli("docs", cwd=project)
    assert sorted(f["path"] for f in findings) == ["docs/common/common.txt", "docs/r.txt"]
    warnings = _warnings(result.stderr)
    assert len(warnings) == 2 and all("out of the directory tree" in w for w in warnings)
    assert "private" not in result.stdout
    # Named explicitly, a file is linted wherever it lives: the user asked for it.
    result, findings = _cli("docs/leak.txt", cwd=project)
    assert [f["path"] for f in findings] == ["docs/leak.txt"]


def test_a_directory_is_resolved_from_its_parent_unless_it_is_a_link(tmp_path):
    # the walk's real paths (io/realpaths.py): a deep tree costs one lstat per directory, and a
    # directory that is a symbolic link is still resolved to where it points
    from lint_reports.io.realpaths import RealPaths

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "a" / "link").symlink_to(tmp_path / "elsewhere")
    real = RealPaths()
    top = real(tmp_path / "a")
    assert top == (tmp_path / "a").resolve()
    assert real(tmp_path / "a" / "b") == (tmp_path / "a" / "b").resolve()
    assert real(tmp_path / "a" / "link") == (tmp_path / "elsewhere").resolve()
    assert real(tmp_path / "a" / "link" / "..") == (tmp_path / "a" / "link" / "..").resolve()
    assert real(tmp_path / "a" / "missing") == (tmp_path / "a" / "missing").resolve()
