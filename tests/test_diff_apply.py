"""`--diff` is a patch real tools apply: `git apply` and `patch -p1` turn each file into
exactly what `--fix` writes, whatever its encoding, BOM and line endings."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest


# furniture lines --fix deletes, between lines it keeps (the same text as test_fix's BODY)
TEXT = ("创建学习型党组织工作总结\n"
        "\n"
        "2024-11-25下载文档一键复制全文\n"
        "\n"
        "一、强化保障，夯实创建基础。\n"
        "今年我们加强了学习。\n")

CASES = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-bom-crlf": lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
    "gb18030": lambda text: text.encode("gb18030"),
    "gb18030-crlf-no-final-newline": lambda text: text.rstrip("\n").replace("\n", "\r\n").encode("gb18030"),
}


def _lint_reports(*args, cwd):
    return subprocess.run([sys.executable, "-m", "lint_reports", *args], cwd=cwd, capture_output=True, timeout=120)


def _fixed_and_patch(tmp_path, data: bytes) -> tuple:
    """(the bytes --fix writes, the --diff patch), from the same original file."""
    fixed_dir, diff_dir = tmp_path / "fixed", tmp_path / "diffed"
    for folder in (fixed_dir, diff_dir):
        folder.mkdir()
        (folder / "report.txt").write_bytes(data)
    assert _lint_reports("--fix", "--no-cache", "report.txt", cwd=fixed_dir).returncode in (0, 1)
    fixed = (fixed_dir / "report.txt").read_bytes()
    assert fixed != data
    diff = _lint_reports("--diff", "--no-cache", "report.txt", cwd=diff_dir)
    assert diff.returncode == 1, diff.stderr
    assert (diff_dir / "report.txt").read_bytes() == data
    return fixed, diff.stdout, diff_dir


@pytest.mark.parametrize("case", CASES)
def test_git_apply_makes_what_fix_makes(tmp_path, case):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    data = CASES[case](TEXT)
    fixed, patch, folder = _fixed_and_patch(tmp_path, data)
    (tmp_path / "fix.patch").write_bytes(patch)
    subprocess.run([git, "apply", "--check", str(tmp_path / "fix.patch")], cwd=folder, check=True)
    subprocess.run([git, "apply", str(tmp_path / "fix.patch")], cwd=folder, check=True)
    assert (folder / "report.txt").read_bytes() == fixed


@pytest.mark.parametrize("case", CASES)
def test_patch_p1_makes_what_fix_makes(tmp_path, case):
    patch_tool = shutil.which("patch")
    if patch_tool is None:
        pytest.skip("patch is not installed")
    data = CASES[case](TEXT)
    fixed, patch, folder = _fixed_and_patch(tmp_path, data)
    subprocess.run([patch_tool, "-p1", "--batch", "--no-backup-if-mismatch", "--binary"], cwd=folder,
                   input=patch, check=True, capture_output=True)
    assert (folder / "report.txt").read_bytes() == fixed


def test_each_hunk_keeps_the_files_bytes():
    from lint_reports.core.fix import unified_diff

    before = b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode("utf-8")
    after = before.replace("2024-11-25下载文档一键复制全文\r\n\r\n".encode("utf-8"), b"")
    patch = unified_diff("report.txt", before, after)
    assert patch.startswith(b"--- a/report.txt\n+++ b/report.txt\n@@ ")
    assert b"\n \xef\xbb\xbf" + "创建".encode("utf-8") in patch  # the BOM on the first line's context
    assert "-2024-11-25下载文档一键复制全文\r\n".encode("utf-8") in patch
    gbk = unified_diff("r.txt", TEXT.encode("gb18030"), TEXT.replace("今年", "去年").encode("gb18030"))
    assert "+去年我们加强了学习。\n".encode("gb18030") in gbk


def test_a_utf16_file_is_left_out_of_the_patch_so_the_rest_still_applies(tmp_path):
    """A UTF-16 file's hunk (no text patch carries it) used to make `git apply` refuse the
    whole patch: now it is left out, with a warning, and the other files' hunks apply."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    data = {"a.txt": TEXT.encode("utf-8"), "u.txt": TEXT.encode("utf-16")}
    fixed_dir, diff_dir = tmp_path / "fixed", tmp_path / "diffed"
    for folder in (fixed_dir, diff_dir):
        folder.mkdir()
        for name, content in data.items():
            (folder / name).write_bytes(content)
    assert _lint_reports("--fix", "--no-cache", ".", cwd=fixed_dir).returncode in (0, 1)
    assert all((fixed_dir / name).read_bytes() != content for name, content in data.items())
    diff = _lint_reports("--diff", "--no-cache", ".", cwd=diff_dir)
    assert diff.returncode == 1
    assert diff.stderr.decode("utf-8").splitlines() == [
        "lint-reports: warning: u.txt: its fixes are not in the diff: a text patch cannot carry a UTF-16-LE "
        "file; --fix applies them"]
    assert diff.stdout.startswith(b"--- a/a.txt\n") and b"u.txt" not in diff.stdout
    (tmp_path / "fix.patch").write_bytes(diff.stdout)
    subprocess.run([git, "apply", str(tmp_path / "fix.patch")], cwd=diff_dir, check=True)
    assert (diff_dir / "a.txt").read_bytes() == (fixed_dir / "a.txt").read_bytes()
    assert (diff_dir / "u.txt").read_bytes() == data["u.txt"]
    # the UTF-16 file alone: nothing to print, but a file would change (exit 1, as --diff says)
    alone = _lint_reports("--diff", "--no-cache", "u.txt", cwd=diff_dir)
    assert (alone.returncode, alone.stdout) == (1, b"") and b"not in the diff" in alone.stderr
    assert _lint_reports("--diff", "--no-cache", "--exit-zero", "u.txt", cwd=diff_dir).returncode == 0
