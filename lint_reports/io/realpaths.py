"""Real paths (symbolic links resolved) of the directories a walk meets, each found from its
parent's.

`Path.resolve()` asks the system about every component of a path, and the system walks the
path again for each question: resolving every directory of a tree a thousand levels deep that
way costs the cube of its depth (a minute of system time for one file at the bottom). A
directory whose parent's real path is known is that real path plus its own name, unless it is
a symbolic link itself: one `lstat` instead of a whole resolve.

    real = RealPaths()
    real(Path("reports"))           # resolved in full, remembered
    real(Path("reports/2024"))      # reports' real path + "2024" (not a link)

The answers are remembered for the life of the object (a walk's, a resolver's): a directory
turned into a link afterwards is not noticed, as the resolver's config lookup does not notice
either.
"""
from __future__ import annotations

import os
from pathlib import Path


def resolved(path: Path) -> Path:
    """The real absolute path, or the absolute one where that fails (a loop, no permission)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


class RealPaths:
    def __init__(self):
        self._known: dict = {}  # absolute path (as given, no "..") -> its real path

    def __call__(self, path) -> Path:
        path = Path(path)
        if ".." in path.parts:  # `link/..` is not the link's folder: only a full resolve says
            return resolved(path)
        absolute = path if path.is_absolute() else Path(os.getcwd()) / path
        key = str(absolute)
        real = self._known.get(key)
        if real is None:
            parent = self._known.get(str(absolute.parent))
            if parent is not None and absolute.parent != absolute and not os.path.islink(key):
                real = parent / absolute.name
            else:
                real = resolved(absolute)
            self._known[key] = real
        return real
