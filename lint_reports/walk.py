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
    stdin: bool = False  # the bytes come from standard input: never write to `path`


@dataclass
class WalkError:
    display: str
    message: str
    fatal: bool = True  # an error (exit 2); False: a warning, the run goes on unaffected


STDIN = "-"


def _is_virtualenv(path: Path) -> bool:
    try:
        return (path / "pyvenv.cfg").is_file()
    except OSError:  # an unreadable directory: the walk reports it when it gets there
        return False


def printable(text: str) -> str:
    """A path as it can be printed: bytes that are not UTF-8 (kept by the OS as surrogate
    escapes) shown as \\xNN rather than crashing the output."""
    return os.fsencode(text).decode("utf-8", "backslashreplace") if isinstance(text, str) else str(text)


def _display(path: Path) -> str:
    text = printable(str(path))
    return text[2:] if text.startswith("./") else text


def _rel(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return path.as_posix()


def _inside(path: Path, roots: tuple) -> bool:
    """Whether the real location of `path` (a symlink met while walking) lies under one of
    `roots`. A link out of the tree (`docs -> /`) would make a repository's run read, and
    quote in findings, files nobody asked to lint."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        return True  # a loop or a dangling link: handled where it is read
    return any(real == root or root in real.parents for root in roots)


def _walk(top: Path, errors: list, roots: tuple = ()):
    """(directory, sorted file names) depth-first like os.walk, but iterative (no recursion
    limit on very deep trees), each real directory once (symlink loops), unreadable
    directories reported instead of silently skipped, and symlinked directories followed
    only while they stay under `roots`."""
    visited: set = set()
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            info = os.stat(directory)  # (device, inode) names a directory whatever the path
            identity = (info.st_dev, info.st_ino)
        except OSError:
            identity = directory  # scandir below reports what is wrong with it
        if identity in visited:  # a symlink loop, or a directory reached twice
            continue
        visited.add(identity)
        try:
            with os.scandir(directory) as entries:
                entries = list(entries)
        except OSError as exc:
            errors.append(WalkError(_display(directory), f"cannot read directory: {exc.strerror or exc}"))
            continue
        files, subdirs = [], []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()  # follows symlinks
            except OSError:
                is_dir = False
            if is_dir:
                if entry.name in SKIP_DIRS or _is_virtualenv(directory / entry.name):
                    continue
                if roots and entry.is_symlink() and not _inside(directory / entry.name, roots):
                    errors.append(WalkError(_display(directory / entry.name),
                                            "skipped, a symbolic link out of the directory tree", fatal=False))
                    continue
                subdirs.append(entry.name)
            else:
                files.append(entry)
        yield directory, sorted(files, key=lambda e: e.name)
        stack.extend(directory / name for name in sorted(subdirs, reverse=True))


def _roots(path: Path, base: Path) -> tuple:
    """Where links met while walking `path` may lead: under `path` itself, or under the
    project (the config's directory) when `path` is inside it."""
    try:
        top = path.resolve()
        project = base.resolve()
    except (OSError, RuntimeError):
        return ()
    return (top, project) if top == project or project in top.parents else (top,)


def collect(paths, config, found=None) -> tuple:
    """(targets, errors). Directories are walked; files given explicitly are always linted
    unless excluded; hidden dirs, VCS dirs and virtualenvs are skipped; symlink loops and
    duplicates are visited once; `-` is standard input. Files met while walking that are not
    regular files (a FIFO, a device, a dangling or looping symlink) are skipped with a warning.
    `found(count)`, if given, is called after each directory (a progress display)."""
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
            return "seen"
        rel = _rel(path, base)
        if any(config.matches(p, rel) for p in config.exclude):
            return "excluded"
        if not explicit and not any(config.matches(p, rel) for p in config.include):
            return "not included"
        seen.add(key)
        targets.append(Target(path, _display(path), rel))
        return "added"

    for raw, path in _expand(paths, errors):
        try:
            is_dir = path.is_dir()
            present = is_dir or path.exists() or path.is_symlink()
        except OSError as exc:  # inside a directory we may not enter: this one only
            errors.append(WalkError(_display(path), f"cannot read: {exc.strerror or exc}"))
            continue
        if is_dir:
            before, excluded, reported = len(targets), 0, len(errors)
            roots = _roots(path, base)
            for directory, entries in _walk(path, errors, roots):
                for entry in entries:
                    file_path = directory / entry.name
                    try:
                        regular = entry.is_file()  # follows symlinks; False for FIFOs and devices
                    except OSError:
                        regular = False
                    if regular:
                        if entry.is_symlink() and not _inside(file_path, roots):
                            errors.append(WalkError(_display(file_path),
                                                    "skipped, a symbolic link out of the directory tree", fatal=False))
                            continue
                        excluded += add(file_path, explicit=False) == "excluded"
                        continue
                    rel = _rel(file_path, base)
                    if any(config.matches(p, rel) for p in config.include) and \
                            not any(config.matches(p, rel) for p in config.exclude):
                        reason = ("a dangling or looping symbolic link" if entry.is_symlink()
                                  else "not a regular file")
                        errors.append(WalkError(_display(file_path), f"skipped, {reason}", fatal=False))
                if found is not None:
                    found(len(targets))
            # nothing found, and no unreadable directory or odd file already says why
            if len(targets) == before and len(errors) == reported and not _holds_seen(path, seen):
                errors.append(WalkError(_display(path), _nothing_found(config, excluded), fatal=False))
        elif present:
            add(path, explicit=True)
        else:
            errors.append(WalkError(_display(path), "no such file or directory"))
    return targets, errors


# --- paths given as patterns, directories with nothing to lint -------------------------

_PATTERN_CHARS = frozenset("*?[")


def _expand(paths, errors: list):
    """(argument, Path) for each path to look at. An argument that names nothing but holds
    a pattern (`'docs/**/*.md'` quoted, or left as it is by a shell that found no match) is
    expanded here, as a shell would; one that matches nothing is a warning."""
    import glob

    for raw in paths:
        if raw == STDIN:
            continue  # the runner reads standard input itself
        if not str(raw):  # Path("") is ".": an empty argument would lint the whole directory
            errors.append(WalkError("''", "empty path"))
            continue
        text = str(raw)
        if _PATTERN_CHARS.isdisjoint(text) or os.path.lexists(text):
            yield raw, Path(raw)
            continue
        matches = sorted(glob.glob(text, recursive=True))
        if not matches:
            errors.append(WalkError(printable(text), "no file matches this pattern", fatal=False))
        for match in matches:
            yield match, Path(match)


def _holds_seen(directory: Path, seen: set) -> bool:
    """Whether a file already taken from an earlier argument lies in `directory`."""
    try:
        top = directory.resolve()
    except (OSError, RuntimeError):
        return False
    return any(top in key.parents for key in seen)


def _nothing_found(config, excluded: int) -> str:
    if excluded:
        return f"no file to lint in this directory ({excluded} excluded by files.exclude)"
    include = ", ".join(config.include) or "none"
    return f"no file to lint in this directory (files.include: {include})"
