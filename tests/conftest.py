from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# What the tests read lives in tests/data (copied from the team's shared material, sources in
# tests/data/README.md), so a fresh clone passes on its own.
DATA = ROOT / "tests" / "data"
CORPUS = DATA / "corpus"          # clean published reports: any finding of most categories is a false alarm
KNOWLEDGE = DATA / "knowledge"    # the checked, dated facts the era and sections packs are built from
SCHEMAS = DATA / "schemas"        # the SARIF 2.1.0 schema


@pytest.fixture(scope="session")
def linter():
    from lint_reports.config.settings import Config
    from lint_reports.core.engine import Linter

    return Linter(Config())


def lint_text(text: str, *, path: str = "example.txt", select=None, year=None, config=None):
    """Findings for `text` as if it were a file at `path`."""
    from lint_reports.config.settings import Config
    from lint_reports.core.document import Document
    from lint_reports.core.engine import Linter

    linter = Linter(config or Config(), select=select, year=year)
    return linter.lint(Document(path, text), path)


def run_cli(*args, cwd=None, input=None, env=None):
    """Run `python -m lint_reports` as a user would; returns CompletedProcess (text)."""
    import os

    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "lint_reports", *args], cwd=cwd or ROOT,
                          input=input, capture_output=True, text=True, env=full_env, timeout=120)


def cli_json(*args, **kwargs):
    result = run_cli("--format", "json", *args, **kwargs)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["findings"]


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory):
    """Keep the result cache of CLI runs in the tests' own temporary directory."""
    import os

    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous
