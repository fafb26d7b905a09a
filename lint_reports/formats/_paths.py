"""Paths as CI systems want them: relative to the directory lint-reports ran in (the
repository root in CI), with forward slashes."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional


def relative_to_root(path: str, root: Optional[Path] = None) -> Optional[str]:
    """`path` relative to `root` (default: the current directory) in POSIX form, or None when
    the file lies outside it."""
    root = (root or Path.cwd()).resolve()
    candidate = Path(path)
    absolute = candidate if candidate.is_absolute() else root / candidate
    try:
        relative = Path(os.path.relpath(absolute, root)).as_posix()
    except ValueError:  # another drive on Windows
        return None
    return None if relative == ".." or relative.startswith("../") else relative


def ci_path(path: str) -> str:
    """For annotations and reports: relative when possible, else as given."""
    return relative_to_root(path) or path.replace("\\", "/")
