"""Results of unchanged files, kept between runs so a pre-commit or CI run on a big
repository only lints what changed.

An entry is keyed on the file's bytes and path plus an environment key: the effective
configuration and command-line selection, the rule packs' contents, every file the config
names (a user dictionary), the package's own code and version, and the current year (the
year a report speaks from may default to it). Change any of them and every entry misses.

Where: `$LINT_REPORTS_CACHE_DIR`, else `.lint-reports-cache/` beside the config file, else
`$XDG_CACHE_HOME/lint-reports` (`~/.cache/lint-reports`). Entries are JSON (never pickle:
a cache directory checked into a repository must not be able to run code), written to a
temporary file and renamed. A missing, unreadable or corrupt entry is a miss, never an error.
"""
from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Optional

from . import __version__
from .finding import Edit, Finding
from .usercache import cache_dir, replacing

CACHE_DIR_NAME = ".lint-reports-cache"
FORMAT = 1
STALE_AFTER = 30 * 24 * 3600  # environments unused this long are deleted


def default_directory(config) -> Path:
    override = os.environ.get("LINT_REPORTS_CACHE_DIR")
    if override:
        return Path(override)
    if config.path:
        return Path(config.base_dir) / CACHE_DIR_NAME
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
    from .packs import builtin_pack_files
    from .runner import linter_options

    config = linter.config
    digest = hashlib.sha256()
    fields = {f.name: getattr(config, f.name) for f in dataclasses.fields(config) if f.name != "lines"}
    settings = {
        "format": FORMAT, "version": __version__, "config": fields,
        "options": linter_options(linter),
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
    for path in sorted(referenced):
        digest.update(str(path).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            pass
    return digest.hexdigest()


def finding_to_json(finding: Finding) -> dict:
    """Every field, nested dataclasses (Edit, the baseline anchor) as mappings."""
    return dataclasses.asdict(finding)


_FINDING_FIELDS = frozenset(f.name for f in dataclasses.fields(Finding))


def finding_from_json(record: dict) -> Finding:
    names = _FINDING_FIELDS
    values = {key: value for key, value in record.items() if key in names}
    if values.get("fix") is not None:
        values["fix"] = Edit(**values["fix"])
    return Finding(**values)


class Cache:
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
            fresh = not self.directory.exists()
            self.root.mkdir(parents=True, exist_ok=True)
            if fresh or not (self.directory / ".gitignore").exists():
                (self.directory / ".gitignore").write_text("# created by lint-reports\n*\n", encoding="utf-8")
                (self.directory / "CACHEDIR.TAG").write_text(
                    "Signature: 8a477f597d28d172789f06886806bc55\n# lint-reports cache\n", encoding="utf-8")
            os.utime(self.root)
            self._prune()
        except OSError:
            self.enabled = False  # read-only checkout, full disk: run without a cache

    def _prune(self) -> None:
        now = time.time()
        for entry in self.directory.iterdir():
            if entry.is_dir() and entry != self.root:
                try:
                    if now - entry.stat().st_mtime > STALE_AFTER:
                        shutil.rmtree(entry, ignore_errors=True)
                except OSError:
                    pass

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
        if not self.enabled:
            return None
        try:
            record = json.loads(self._path(key).read_text(encoding="utf-8"))
            findings = [finding_from_json(item) for item in record["findings"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.misses += 1
            return None
        self.hits += 1
        return findings

    def put(self, key: str, findings: list) -> None:
        if not self.enabled:
            return
        try:
            # ASCII escapes: a file name that is not UTF-8 carries lone surrogates
            payload = json.dumps({"findings": [finding_to_json(f) for f in findings]})
        except (TypeError, ValueError):
            return  # a field JSON cannot hold: just do not cache this file
        try:
            with replacing(self._path(key), ".entry.") as temp:
                temp.write_text(payload, encoding="utf-8")
        except OSError:
            self.enabled = False
