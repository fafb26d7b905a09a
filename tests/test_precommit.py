"""The hook through real pre-commit, as a user's .pre-commit-config.yaml would run it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


@pytest.fixture(scope="module")
def hook_source(tmp_path_factory):
    """This working tree as a git repository pre-commit can clone (uncommitted changes included)."""
    if not PRE_COMMIT.exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    source = tmp_path_factory.mktemp("hook-src") / "lint-reports"
    ignore = shutil.ignore_patterns(".git", ".venv", "*.egg-info", "__pycache__", ".pytest_cache",
                                    ".hypothesis", "build", "bench")
    shutil.copytree(ROOT, source, ignore=ignore)
    _git("init", "-q", cwd=source)
    _git("add", "-A", cwd=source)
    _git("commit", "-q", "-m", "snapshot", cwd=source)
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=source, capture_output=True, text=True).stdout.strip()
    return source, rev


def hook_repo(tmp_path, hook_source, hook_id: str):
    """A documents repository whose .pre-commit-config.yaml uses `hook_id` from this tree."""
    source, rev = hook_source
    repo = tmp_path / "docs"
    repo.mkdir()
    _git("init", "-q", cwd=repo)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {rev}\n    hooks:\n      - id: {hook_id}\n",
        encoding="utf-8")
    return repo


@pytest.fixture()
def docs_repo(tmp_path, hook_source):
    return hook_repo(tmp_path, hook_source, "lint-reports")


def _pre_commit(repo, *args):
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home")}
    env.pop("NO_COLOR", None)
    return subprocess.run([str(PRE_COMMIT), "run", *args], cwd=repo, capture_output=True, text=True,
                          env=env, timeout=600)


def test_bad_report_fails_the_commit_hook_with_findings(docs_repo):
    (docs_repo / "2022年安排意见.txt").write_text(
        "学习型党组织建设工作安排意见\n\n2024-11-25下载文档一键复制全文\n由x任组长，负责**县的学习工作。\n",
        encoding="utf-8")
    _git("add", "-A", cwd=docs_repo)
    result = _pre_commit(docs_repo, "--all-files")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "artifact-download" in result.stdout
    assert "placeholder-x" in result.stdout and "placeholder-stars" in result.stdout
    assert "2022年安排意见.txt:3:1:" in result.stdout


def test_clean_report_passes(docs_repo):
    (docs_repo / "summary.md").write_text(
        "# 2023年度学习情况\n\n全年组织集中学习12次，交流研讨4次。\n", encoding="utf-8")
    (docs_repo / "notes.py").write_text("x = '**县'\n", encoding="utf-8")  # not a report: not checked
    _git("add", "-A", cwd=docs_repo)
    result = _pre_commit(docs_repo, "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
