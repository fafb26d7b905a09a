"""Results of unchanged files, kept between runs so a pre-commit or CI run on a big
repository only lints what changed.

An entry is keyed on the file's bytes and path plus an environment key: the effective
configuration and command-line selection, the rule packs' contents, every file the config
names (a user dictionary), the package's own code and version, and the current year (the
year a report speaks from may default to it). Change any of them and every entry misses.

Where: `$LINT_REPORTS_CACHE_DIR`, else `.lint-reports-cache/` beside the config file (not
when it is a symbolic link: then the user cache), else `$XDG_CACHE_HOME/lint-reports`
(`~/.cache/lint-reports`). Entries are JSON (never pickle: a cache directory checked into a
repository must not be able to run code), name the key they were written for, and are
checked field by field when read; written to a temporary file and renamed. A missing,
unreadable, oversized, non-regular or invalid entry is a miss (the file is linted again),
never an error. Environments unused for 30 days are deleted, and only what the cache can
prove it made (see `Cache._prune`).
"""
from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import os
import re
import stat
import time
from pathlib import Path
from typing import Optional

from .. import __version__
from ..core.finding import CATEGORIES, SEVERITIES, Edit, Finding, RelatedLocation
from ..core.fingerprint import Anchor
from ..io.safeio import FileTooLarge, read_regular
from .usercache import cache_dir, replacing

CACHE_DIR_NAME = ".lint-reports-cache"
FORMAT = 3  # 2: entries name their key, environments carry a marker; 3: findings carry `related`
STALE_AFTER = 30 * 24 * 3600  # environments unused this long are deleted


def default_directory(config) -> Path:
    override = os.environ.get("LINT_REPORTS_CACHE_DIR")
    if override:
        return Path(override)
    if config.path:
        project = Path(config.base_dir) / CACHE_DIR_NAME
        if not project.is_symlink():
            return project
        # A link in a repository (`.lint-reports-cache -> ..`) is not followed: writing and
        # pruning there would touch whatever it points at. The user's cache serves instead.
    return cache_dir()


def _code_fingerprint(digest) -> None:
    """The package's own sources: an edited rule kind invalidates results even without a
    version bump (a development checkout). Hashed once per process, shared with the pack cache."""
    from .packcache import sources_digest

    digest.update(sources_digest().encode())


def _referenced_files(value, base: Path, found: set) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _referenced_files(item, base, found)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _referenced_files(item, base, found)
    elif isinstance(value, (str, Path)) and 0 < len(str(value)) < 4096:
        try:
            candidate = (base / value)
            if candidate.is_file():
                found.add(candidate.resolve())
        except (OSError, ValueError):
            pass


def environment_key(linter) -> str:
    from ..config.packs import builtin_pack_files

    config = linter.config
    digest = hashlib.sha256()
    fields = {f.name: getattr(config, f.name) for f in dataclasses.fields(config) if f.name != "lines"}
    settings = {
        "format": FORMAT, "version": __version__, "config": fields,
        "options": linter.options.key(),
        "today": datetime.date.today().year,
    }
    digest.update(json.dumps(settings, sort_keys=True, default=str, ensure_ascii=False).encode())
    _code_fingerprint(digest)
    if config.use_default_packs:
        for entry in builtin_pack_files():
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    referenced: set = set()
    _referenced_files(fields, Path(config.base_dir), referenced)
    referenced.update(p.resolve() for p in config.named_files())  # every file of a folder of templates
    for path in sorted(referenced):
        digest.update(os.fsencode(path))
        try:
            try:
                digest.update(read_regular(path, MAX_ENTRY_BYTES).data)
            except FileTooLarge:  # a config string that happens to name a disk image: its stat will do
                info = path.stat()
                digest.update(f"{info.st_size}:{info.st_mtime_ns}".encode())
        except OSError:
            pass
    return digest.hexdigest()


def finding_to_json(finding: Finding) -> dict:
    """Every field, nested dataclasses (Edit, the baseline anchor) as mappings."""
    return dataclasses.asdict(finding)


class Invalid(ValueError):
    """A cache entry that is not exactly what `put` writes: a miss, never an error."""


def _int(value, low: int = 0) -> int:
    if type(value) is not int or value < low:  # (bool is an int subclass: refused)
        raise Invalid(value)
    return value


def _str(value) -> str:
    if type(value) is not str:
        raise Invalid(value)
    return value


def _optional_str(value) -> Optional[str]:
    return None if value is None else _str(value)


def finding_from_json(record) -> Finding:
    """The Finding `finding_to_json` wrote, checked field by field: plain values of the
    right types and ranges (any other field, type or value raises Invalid)."""
    if type(record) is not dict or set(record) - _FINDING_FIELDS:
        raise Invalid("not a finding")
    fix = record.get("fix")
    if fix is not None:
        if type(fix) is not dict or set(fix) != {"start", "end", "replacement"}:
            raise Invalid("fix")
        fix = Edit(_int(fix["start"]), _int(fix["end"], _int(fix["start"])), _str(fix["replacement"]))
    anchor = record.get("anchor")
    if anchor is not None:
        if type(anchor) is not dict or set(anchor) != _ANCHOR_FIELDS:
            raise Invalid("anchor")
        anchor = Anchor(**{name: _str(anchor[name]) for name in _ANCHOR_FIELDS})
    if record.get("category") not in CATEGORIES or record.get("severity") not in SEVERITIES:
        raise Invalid("category or severity")
    whole = record.get("whole_document", False)
    if type(whole) is not bool:
        raise Invalid("whole_document")
    line, column = _int(record.get("line"), 1), _int(record.get("column"), 1)
    start = _int(record.get("start", 0))
    finding = Finding(_str(record.get("path")), line, column, _int(record.get("end_column"), column),
                      _str(record.get("rule")), record["category"], record["severity"],
                      _str(record.get("message")), start, _int(record.get("end", 0), start), fix,
                      _optional_str(record.get("suggestion")), whole)
    finding.anchor = anchor
    finding.fix_region = _fix_region(record.get("fix_region"))
    finding.related = _related(record.get("related", []))
    finding.end_line = _int(record.get("end_line", 0), 0)
    return finding


def _related(value) -> tuple:
    """The RelatedLocations `dataclasses.asdict` wrote (a list of mappings once in JSON)."""
    if type(value) is not list:
        raise Invalid("related")
    places = []
    for place in value:
        if type(place) is not dict or set(place) != _RELATED_FIELDS:
            raise Invalid("related")
        places.append(RelatedLocation(_str(place["path"]), _int(place["line"], 1), _int(place["column"], 1),
                                      _str(place["message"])))
    return tuple(places)


def _fix_region(value) -> Optional[tuple]:
    """(line, column, end_line, end_column, replaced text) as fixhints.locate sets it."""
    if value is None:
        return None
    if type(value) is not list or len(value) != 5:
        raise Invalid("fix_region")
    line, column, end_line, end_column = (_int(number, 1) for number in value[:4])
    return (line, column, end_line, end_column, _str(value[4]))


_FINDING_FIELDS = frozenset(f.name for f in dataclasses.fields(Finding))
_ANCHOR_FIELDS = frozenset(f.name for f in dataclasses.fields(Anchor))
_RELATED_FIELDS = frozenset(f.name for f in dataclasses.fields(RelatedLocation))


class Cache:
    """The result cache of one environment: `directory/<environment[:24]>/<key[:2]>/<key>.json`.

    What it deletes, it can prove it made (see `_prune`): an environment directory is ours
    by its name and by the marker file we wrote into it, and inside it only files and
    directories named as we name them are removed, through directory descriptors that never
    follow a symbolic link. A directory we did not create (a shared LINT_REPORTS_CACHE_DIR)
    gets no .gitignore, and nothing in it but our own marked directories is ever touched."""

    def __init__(self, directory: Path, environment: str):
        self.directory = Path(directory)
        self.environment = environment
        self.root = self.directory / environment[:24]
        self.enabled = True
        self.hits = self.misses = 0

    @classmethod
    def open(cls, linter, directory: Optional[Path] = None) -> "Cache":
        cache = cls(directory or default_directory(linter.config), environment_key(linter))
        cache._prepare()
        return cache

    def _prepare(self) -> None:
        try:
            self._make_directory()
            self._make_root()
            os.utime(self.root / ENVIRONMENT_MARKER, follow_symlinks=False)  # in use: not stale
            self._prune()
        except OSError:
            self.enabled = False  # read-only checkout, full disk, a link where a directory goes

    def _make_directory(self) -> None:
        """Create the cache directory, marked as a cache, unless it exists: an existing
        directory may be anybody's (LINT_REPORTS_CACHE_DIR=/tmp) and is left as it is."""
        self.directory.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.directory.mkdir()
        except FileExistsError:
            if not self.directory.is_dir():
                raise
            return
        (self.directory / ".gitignore").write_text("# created by lint-reports\n*\n", encoding="utf-8")
        (self.directory / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n# lint-reports cache\n", encoding="utf-8")

    def _make_root(self) -> None:
        """Our environment's directory, with the marker that makes it provably ours. A
        symbolic link in its place is refused (OSError): entries are never written elsewhere."""
        try:
            self.root.mkdir()
        except FileExistsError:
            if self.root.is_symlink() or not self.root.is_dir():
                raise OSError(f"{self.root}: not a directory") from None
        marker = self.root / ENVIRONMENT_MARKER
        if _marker_text(self.root.name) != _read_small(marker):
            with replacing(marker, ".marker.") as temp:
                temp.write_text(_marker_text(self.root.name), encoding="utf-8")

    def _prune(self) -> None:
        """Delete the environments unused for STALE_AFTER (another config, an older version).
        Only what this class creates: an environment directory named as we name them and
        holding our marker, and in it the buckets and entries named as we name them; what
        anybody else put there stays, and so does the directory that holds it."""
        if not _CAN_PRUNE:  # no directory descriptors (Windows): keep everything
            return
        now = time.time()
        top = os.open(self.directory, os.O_RDONLY | os.O_DIRECTORY)  # the directory itself may be a link the user set
        try:
            for entry in list(os.scandir(top)):
                if entry.name == self.root.name or not _ENVIRONMENT_NAME.fullmatch(entry.name):
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        _prune_environment(top, entry.name, now)
                except OSError:
                    pass  # in use by another run, or not ours after all: leave it
        finally:
            os.close(top)

    @staticmethod
    def key(rel: str, display: str, data: bytes) -> str:
        digest = hashlib.sha256()
        digest.update(json.dumps([rel, display], ensure_ascii=False).encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> Optional[list]:
        """The findings stored under `key`, or None: missing, unreadable, not a regular file
        (a link or a FIFO planted in the cache is neither followed nor waited for), over the
        size cap, not JSON, written for another key or not exactly what `put` writes."""
        if not self.enabled:
            return None
        try:
            data = read_regular(self._path(key), MAX_ENTRY_BYTES, follow_symlinks=False).data
            record = json.loads(data)
            if type(record) is not dict or record.get("key") != key or type(record.get("findings")) is not list:
                raise Invalid("not an entry for this key")
            findings = [finding_from_json(item) for item in record["findings"]]
        except (OSError, ValueError, RecursionError):  # (Invalid and JSON errors are ValueErrors)
            self.misses += 1
            return None
        self.hits += 1
        return findings

    def put(self, key: str, findings: list) -> None:
        if not self.enabled:
            return
        try:
            # ASCII escapes: a file name that is not UTF-8 carries lone surrogates
            payload = json.dumps({"key": key, "findings": [finding_to_json(f) for f in findings]})
        except (TypeError, ValueError):
            return  # a field JSON cannot hold: just do not cache this file
        try:
            with replacing(self._path(key), ".entry.") as temp:
                temp.write_text(payload, encoding="utf-8")
        except OSError:
            self.enabled = False

    def get_passages(self, key: str):
        """The passage record (passages.Record) stored under `key`, or None, like `get`."""
        if not self.enabled:
            return None
        from ..core.passages import Record

        try:
            data = read_regular(self._path(key), MAX_ENTRY_BYTES, follow_symlinks=False).data
            entry = json.loads(data)
            if type(entry) is not dict or set(entry) != {"key", "passages"} or entry["key"] != key:
                raise Invalid("not a passage entry for this key")
            return Record.from_json(entry["passages"])
        except (OSError, ValueError, RecursionError):
            return None

    def put_passages(self, key: str, record) -> None:
        if not self.enabled:
            return
        try:
            payload = json.dumps({"key": key, "passages": record.as_json()})
            with replacing(self._path(key), ".entry.") as temp:
                temp.write_text(payload, encoding="utf-8")
        except (TypeError, ValueError):
            return
        except OSError:
            self.enabled = False


# --- what the cache creates, and so may delete ----------------------------------------

ENVIRONMENT_MARKER = "lint-reports-environment"
_ENVIRONMENT_NAME = re.compile(r"[0-9a-f]{24}")
_BUCKET_NAME = re.compile(r"[0-9a-f]{2}")
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.json|\.entry\.[A-Za-z0-9_]+\.tmp")  # entries, and temporaries left by a kill
_MARKER_TEMPORARY = re.compile(r"\.marker\.[A-Za-z0-9_]+\.tmp")
_DIRECTORY_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
_CAN_PRUNE = (os.open in os.supports_dir_fd and os.unlink in os.supports_dir_fd
              and os.rmdir in os.supports_dir_fd and os.stat in os.supports_dir_fd
              and os.scandir in os.supports_fd and hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY"))
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # an entry holds one file's findings


def _marker_text(name: str) -> str:
    return f"lint-reports result cache {name}\n"


def _read_small(path: Path) -> Optional[str]:
    try:
        return read_regular(path, 256, follow_symlinks=False).data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _names(directory_fd: int) -> list:
    with os.scandir(directory_fd) as entries:
        return [(entry.name, entry.is_dir(follow_symlinks=False), entry.is_file(follow_symlinks=False))
                for entry in entries]


def _prune_environment(top: int, name: str, now: float) -> None:
    """Empty and remove the environment `name` (in the directory `top`) if it carries our
    marker and was last used more than STALE_AFTER ago. Every step goes through a directory
    descriptor opened with O_NOFOLLOW: a directory swapped for a link mid-way is not followed."""
    environment = os.open(name, _DIRECTORY_FLAGS, dir_fd=top)
    try:
        marker = os.stat(ENVIRONMENT_MARKER, dir_fd=environment, follow_symlinks=False)
        if not stat.S_ISREG(marker.st_mode) or now - marker.st_mtime <= STALE_AFTER:
            return
        fd = os.open(ENVIRONMENT_MARKER, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0),
                     dir_fd=environment)
        try:
            if os.read(fd, 256) != _marker_text(name).encode():
                return
        finally:
            os.close(fd)
        for bucket, is_dir, _ in _names(environment):
            if not (is_dir and _BUCKET_NAME.fullmatch(bucket)):
                continue
            bucket_fd = os.open(bucket, _DIRECTORY_FLAGS, dir_fd=environment)
            try:
                for entry, _, is_file in _names(bucket_fd):
                    if is_file and _ENTRY_NAME.fullmatch(entry):
                        os.unlink(entry, dir_fd=bucket_fd)
            finally:
                os.close(bucket_fd)
            try:
                os.rmdir(bucket, dir_fd=environment)
            except OSError:
                pass  # something of somebody else's inside: it stays
        left = [entry for entry, _, _ in _names(environment)
                if entry != ENVIRONMENT_MARKER and not _MARKER_TEMPORARY.fullmatch(entry)]
        if left:
            return  # not only ours: the marker stays too, so a later run can tell
        for entry, _, is_file in _names(environment):
            if is_file and _MARKER_TEMPORARY.fullmatch(entry):
                os.unlink(entry, dir_fd=environment)
        os.unlink(ENVIRONMENT_MARKER, dir_fd=environment)
    finally:
        os.close(environment)
    os.rmdir(name, dir_fd=top)
