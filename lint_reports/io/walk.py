"""Paths given on the command line -> the report files to lint, in a stable order, each
with the config that applies to it (the closest one, see lint_reports.config.settings).

A directory is walked; a folder that the config of its parent excludes is not entered
(so configs inside it are not read either), and each file is checked against the include
and exclude globs of its own config. A file named on the command line (or the name given
to standard input) is always linted, unless `--force-exclude` (pre-commit passes the
names of the staged files): then it obeys the excludes too, and a note says it was left out.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..config.settings import ConfigError, Resolver

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", "venv", ".venv", "env",
             "site-packages", ".tox", ".nox", ".mypy_cache", ".pytest_cache"}


@dataclass
class Target:
    path: Path  # as found on disk
    display: str  # as printed in findings
    rel: str  # relative to the directory of its config, for globs
    stdin: bool = False  # the bytes come from standard input: never write to `path`
    config: Optional[object] = None  # the Config that applies (None: the linter's own)


@dataclass
class WalkError:
    display: str
    message: str
    fatal: bool = True  # an error (exit 2); False: a warning, the run goes on unaffected

    @classmethod
    def line(cls, text: str, fatal: bool = True) -> "WalkError":
        """An error that is a whole line already (a config's: `file:line: problem`)."""
        display, _, message = text.partition(": ")
        return cls(display, message, fatal)


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


def _rel(path: Path, base: Path, real=None) -> str:
    """`path` relative to `base`, both resolved (by `real`, a walk's RealPaths, when given)."""
    try:
        if real is not None:
            return real(path).relative_to(real(base)).as_posix()
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


def _walk(top: Path, errors: list, roots: tuple = (), pruned=None):
    """(directory, sorted file names) depth-first like os.walk, but iterative (no recursion
    limit on very deep trees), each real directory once (symlink loops), unreadable
    directories reported instead of silently skipped, symlinked directories followed
    only while they stay under `roots`, and no directory for which `pruned(parent, name)`."""
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
                if pruned is not None and pruned(directory, entry.name):
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


class _Configs:
    """The config of each directory met, each broken config reported once."""

    def __init__(self, resolver: Resolver, errors: list):
        self.resolver, self.errors = resolver, errors
        self.by_directory: dict = {}
        self.reported: set = set()

    def of(self, directory: Path):
        """The Config for files in `directory`, or None (it is broken: said once)."""
        key = os.path.abspath(directory)
        if key in self.by_directory:
            return self.by_directory[key]
        try:
            config = self.resolver.for_directory(Path(directory))
            error = self.resolver.checked_error(config)
        except ConfigError as exc:
            config, error = None, str(exc)
        if error:
            config = None
            if error not in self.reported:
                self.reported.add(error)
                self.errors.append(WalkError.line(error))
        self.by_directory[key] = config
        return config


def _excluded_named(path: Path, configs: _Configs):
    """Why a file named on the command line is excluded (with --force-exclude), or None:
    its config's excludes, or a folder above it that the config of its parent excludes
    (as a walk from above would not have entered it)."""
    config = configs.of(path.parent)
    if config is None:
        return None
    pattern = config.excluded_by(_rel(path, config.base_dir))
    if pattern is not None:
        return config, pattern
    try:
        folder = path.resolve().parent
    except (OSError, RuntimeError):
        return None
    while folder.parent != folder:
        governing = configs.of(folder.parent)
        if governing is not None:
            base = Path(governing.base_dir).resolve()
            if base in folder.parents:  # only the folders its globs can name
                pattern = governing.excludes_directory(_rel(folder, base))
                if pattern is not None:
                    return governing, pattern
        folder = folder.parent
    return None


def _exclusion_note(display: str, config, pattern) -> "WalkError":
    where = f" of {config.path}" if config.path else ""
    return WalkError(display, f"not checked: excluded by files.exclude '{pattern}'{where} (--force-exclude)", fatal=False)


def collect(paths, config, stdin_filename: Optional[str] = None, found=None) -> tuple:
    """(targets, errors). Directories are walked; files given explicitly are always linted
    (with `force_exclude`, unless excluded); hidden dirs, VCS dirs and virtualenvs are
    skipped; symlink loops and duplicates are visited once; `-` is standard input (first,
    named `stdin_filename`); a path that names nothing but holds a pattern is expanded. Files
    met while walking that are not regular files (a FIFO, a device, a dangling or looping
    symlink) are skipped with a warning. `config`: a Resolver, or one Config for every file.
    `found(count)`, if given, is called after each directory (a progress display)."""
    resolver = Resolver.of(config)
    targets: list = []
    errors: list = []
    seen: set = set()
    configs = _Configs(resolver, errors)

    def add(path: Path, explicit: bool, owner=None):
        key = resolver.real(path)
        if key in seen:
            return "seen"
        owner = owner if owner is not None else configs.of(path.parent)
        if owner is None:
            return "broken config"  # reported once
        rel = _rel(path, owner.base_dir, resolver.real)
        if explicit:
            if resolver.force_exclude:
                excluded = _excluded_named(path, configs)
                if excluded is not None:
                    errors.append(_exclusion_note(_display(path), *excluded))
                    return "excluded"
        elif owner.excluded_by(rel) is not None:
            return "excluded"
        elif not owner.included(rel):
            return "not included"
        seen.add(key)
        target = Target(path, _display(path), rel, config=_own(owner, resolver))
        resolver.of_display[target.display] = owner
        targets.append(target)
        return "added"

    pruned_count = [0]

    def pruned(directory: Path, name: str) -> bool:
        owner = configs.of(directory)
        if owner is None:
            return True
        if owner.excludes_directory(_rel(directory / name, owner.base_dir, resolver.real)) is not None:
            pruned_count[0] += 1
            return True
        return False

    if STDIN in paths:
        target = _stdin_target(resolver, configs, stdin_filename, errors)
        if target is not None:
            targets.append(target)
    for _raw, path in _expand(paths, errors):
        try:
            is_dir = path.is_dir()
            present = is_dir or path.exists() or path.is_symlink()
        except OSError as exc:  # inside a directory we may not enter: this one only
            errors.append(WalkError(_display(path), f"cannot read: {exc.strerror or exc}"))
            continue
        if is_dir:
            top = configs.of(path)
            if top is None:
                continue
            before, excluded, reported, pruned_count[0] = len(targets), 0, len(errors), 0
            roots = _roots(path, top.anchor_base or top.base_dir)
            for directory, entries in _walk(path, errors, roots, pruned):
                owner = configs.of(directory)
                if owner is None:
                    continue
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
                        excluded += add(file_path, explicit=False, owner=owner) == "excluded"
                        continue
                    rel = _rel(file_path, owner.base_dir, resolver.real)
                    if owner.included(rel) and owner.excluded_by(rel) is None:
                        reason = ("a dangling or looping symbolic link" if entry.is_symlink()
                                  else "not a regular file")
                        errors.append(WalkError(_display(file_path), f"skipped, {reason}", fatal=False))
                if found is not None:
                    found(len(targets))
            # nothing found, and no unreadable directory or odd file already says why
            if len(targets) == before and len(errors) == reported and not _holds_seen(path, seen):
                errors.append(WalkError(_display(path), _nothing_found(top, excluded + pruned_count[0]),
                                        fatal=False))
        elif present:
            add(path, explicit=True)
        else:
            errors.append(WalkError(_display(path), "no such file or directory"))
    return targets, errors


def _own(config, resolver: Resolver):
    """A target's config, None when it is the run's own (the Linter's, already in the cache's
    environment key): only files under another config carry theirs to workers and the cache key."""
    return None if config is resolver.run_config else config


def _stdin_target(resolver: Resolver, configs: _Configs, stdin_filename: Optional[str], errors: list):
    """The Target standing for standard input: reported as `stdin_filename`, which also picks
    its config (the closest to that name), the per-file settings and .md/.txt; else
    `<stdin>`, with the config of the current directory."""
    if not stdin_filename:
        owner = configs.of(resolver.cwd)
        return Target(Path(STDIN), "<stdin>", "<stdin>", stdin=True, config=_own(owner, resolver)) \
            if owner is not None else None
    path = Path(stdin_filename)
    owner = configs.of(path.parent)
    if owner is None:
        return None
    if resolver.force_exclude:
        excluded = _excluded_named(path, configs)
        if excluded is not None:
            errors.append(_exclusion_note(_display(path), *excluded))
            return None
    target = Target(path, _display(path), _rel(path, owner.base_dir), stdin=True, config=_own(owner, resolver))
    resolver.of_display[target.display] = owner
    return target


def stdin_target(config, stdin_filename: Optional[str]) -> Optional[Target]:
    """The Target for standard input alone (see collect)."""
    resolver = Resolver.of(config)
    errors: list = []
    return _stdin_target(resolver, _Configs(resolver, errors), stdin_filename, errors)


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
