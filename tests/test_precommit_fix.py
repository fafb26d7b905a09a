"""The `lint-reports-fix` hook through real pre-commit: fixes what is safe, fails the commit
(pre-commit fails a hook that changed files) and leaves the rest for a person."""
from __future__ import annotations

import pytest

from test_precommit import _git, _pre_commit, hook_repo, hook_source  # noqa: F401  (hook_source is a fixture)

pytestmark = pytest.mark.slow


@pytest.fixture()
def fix_repo(tmp_path, hook_source):  # noqa: F811
    return hook_repo(tmp_path, hook_source, "lint-reports-fix")


def test_fix_hook_fixes_the_artifacts_and_reports_the_placeholder(fix_repo):
    report = fix_repo / "安排意见.txt"
    report.write_bytes("学习型党组织建设工作安排意见\r\n\r\n2024-11-25下载文档一键复制全文\r\n负责**县的学习工作。\r\n"
                       .encode("gbk"))
    _git("add", "-A", cwd=fix_repo)
    result = _pre_commit(fix_repo, "--all-files")
    assert result.returncode == 1, result.stdout + result.stderr
    assert report.read_bytes() == "学习型党组织建设工作安排意见\r\n\r\n负责**县的学习工作。\r\n".encode("gbk")
    assert "安排意见.txt:3:3: error placeholder-stars" in result.stdout
    assert "files were modified by this hook" in result.stdout
    # once the fix is staged, only the placeholder (for a person) keeps the commit back
    _git("add", "-A", cwd=fix_repo)
    again = _pre_commit(fix_repo, "--all-files")
    assert again.returncode == 1
    assert "files were modified by this hook" not in again.stdout
    assert report.read_bytes() == "学习型党组织建设工作安排意见\r\n\r\n负责**县的学习工作。\r\n".encode("gbk")
