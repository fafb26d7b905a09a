"""The user's cache directory, and the one safe way to write a file into a cache.

Prepared rule packs, jieba's dictionary index and (without a project config) the result
cache live in `$XDG_CACHE_HOME/lint-reports` (when it is an absolute path), else
`~/.cache/lint-reports`. Every file there is written to a temporary file beside its target
and renamed over it: a reader never sees half a file, and runs started together never mix
their writes.
"""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


def cache_dir() -> Path:
    xdg = os.environ.get("XDG_CACHE_HOME")
    if not xdg or not os.path.isabs(xdg):
        # The XDG spec makes a relative path invalid, to be ignored: taken as it is, it would
        # put the cache (which a run reads back) inside whatever checkout the run starts in.
        xdg = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(xdg) / "lint-reports"


@contextmanager
def replacing(path: Path, prefix: str):
    """Yield a temporary path beside `path`; rename it over `path` when the block ends,
    delete it if the block fails. Raises OSError where the directory cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(temp)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
