"""Paths given on the command line -> the report files to lint, in a stable order."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", "venv", ".venv", "env",
             "site-packages", ".tox", ".nox", ".mypy_cache", ".pytest_cache"}


@dataclass
class Target:
    path: Path  # as found on disk
    display: str  # as printed in findings
    rel: str  # relative to the config's directory, for globs


@dataclass
class WalkError:
    display: str
    message: str


def _is_virtualenv(path: Path) -> bool:
    return (path / "pyvenv.cfg").is_file()


def _display(path: Path) -> str:
    text = str(path)
    return text[2:] if text.startswith("./") else text


def _rel(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def collect(paths, config) -> tuple:
    """(targets, errors). Directories are walked; files given explicitly are always linted
    unless excluded; hidden dirs, VCS dirs and virtualenvs are skipped; symlink loops and
    duplicates are visited once."""
    targets: list = []
    errors: list = []
    seen: set = set()
    base = config.base_dir

    def add(path: Path, explicit: bool):
        try:
            key = path.resolve()
        except (OSError, RuntimeError):
            key = path.absolute()
        if key in seen:
            return
        rel = _rel(path, base)
        if any(config.matches(p, rel) for p in config.exclude):
            return
        if not explicit and not any(config.matches(p, rel) for p in config.include):
            return
        seen.add(key)
        targets.append(Target(path, _display(path), rel))

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            visited_dirs = set()
            for root, dirs, files in os.walk(path, followlinks=True, onerror=None):
                root_path = Path(root)
                try:
                    real = root_path.resolve()
                except (OSError, RuntimeError):
                    dirs[:] = []
                    continue
                if real in visited_dirs:  # symlink loop or a directory reached twice
                    dirs[:] = []
                    continue
                visited_dirs.add(real)
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS
                                 and not _is_virtualenv(root_path / d))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    add(root_path / name, explicit=False)
        elif path.exists() or path.is_symlink():
            add(path, explicit=True)
        else:
            errors.append(WalkError(_display(path), "no such file or directory"))
    return targets, errors
