"""What the `pattern` kind learns of each regular expression once, kept between runs as
plain data: that it compiles, and its prefilter plan (lint_reports.speed.prefilter.search_plan:
whether its matches stay on one line, its literal factors, the line-bound form to search).

Working that out parses every pattern of every pack (sre_parse) and compiles it and its
line-bound form: more than linting a small file, on every start. With the facts known, a
rule's regexes are compiled only when a document holds a candidate line for them (see
rules/pattern.py), so a one-line clean file compiles almost none.

The store is one JSON file in the user's cache directory (`regex-facts-<key>.json`), keyed
on this format, the package's version and sources (an edited prefilter invalidates) and
the Python version (whose `re` does the parsing): a mapping from "flags, source" to
[single line, factors or null, searched source or null, its flags or null]. Nothing in it
is ever turned into code: it holds strings, booleans and integers, is read only as a
regular file under a size cap, must name the key it was written for and must decode
exactly as this module writes it; anything else is a miss and the facts are worked out
afresh. A regex is compiled from its pack's own text, never from the store: a store that
lied about one could at worst make it compile later (where a failure is one error line
of that rule) or search fewer lines. `LINT_REPORTS_PACK_CACHE=0` turns it off with the
pack cache.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import stat
import sys
from pathlib import Path
from typing import NamedTuple, Optional

FORMAT = 1
PREFIX = "regex-facts-"
MAX_BYTES = 16 * 1024 * 1024
MAX_ENTRIES = 20_000  # beyond this the store keeps only what the last run used
KEEP = 8  # store files kept (versions of the package side by side)
_OURS = re.compile(re.escape(PREFIX) + r"[0-9a-f]{32}\.json")


class Facts(NamedTuple):
    single_line: bool  # no match (nor lookaround) of the searched regex can hold a newline
    factors: Optional[frozenset]  # literals one of which every match contains, or None
    searched: Optional[str]  # the line-bound source searched instead of the regex, or None
    searched_flags: int

    @property
    def plan(self) -> tuple:
        return self.single_line, self.factors


class _Store:
    def __init__(self):
        self.loaded = False
        self.entries: dict = {}  # "flags\0source" -> Facts
        self.used: set = set()
        self.changed = False


_store = _Store()


def _enabled() -> bool:
    from .packcache import enabled

    return enabled()


@functools.lru_cache(maxsize=None)
def _key() -> str:
    from .. import __version__
    from .packcache import sources_digest

    text = f"regex-facts\0{FORMAT}\0{__version__}\0{sources_digest()}\0{sys.version}"
    return hashlib.sha256(text.encode()).hexdigest()


def _path() -> Path:
    from .usercache import cache_dir

    return cache_dir() / f"{PREFIX}{_key()[:32]}.json"


def _entry_key(source: str, flags: int) -> str:
    return f"{int(flags)}\0{source}"


def _decode(value) -> Facts:
    """The Facts `_encode` wrote; ValueError for anything else."""
    if type(value) is not list or len(value) != 4:
        raise ValueError("entry")
    single_line, factors, searched, searched_flags = value
    if type(single_line) is not bool:
        raise ValueError("single_line")
    if factors is not None:
        if type(factors) is not list or not factors or \
                not all(type(f) is str and f and "\n" not in f for f in factors):
            raise ValueError("factors")
        factors = frozenset(factors)
    if searched is None:
        if searched_flags is not None:
            raise ValueError("searched_flags")
        searched_flags = 0
    elif type(searched) is not str or type(searched_flags) is not int or searched_flags < 0:
        raise ValueError("searched")
    return Facts(single_line, factors, searched, searched_flags)


def _encode(facts: Facts) -> list:
    return [facts.single_line, sorted(facts.factors) if facts.factors else None,
            facts.searched, facts.searched_flags if facts.searched is not None else None]


def _load() -> None:
    _store.loaded = True
    if not _enabled():
        return
    from ..io.safeio import read_regular

    try:
        record = json.loads(read_regular(_path(), MAX_BYTES, follow_symlinks=False).data,
                            parse_constant=_refuse)
        if type(record) is not dict or record.keys() != {"key", "facts"} or record["key"] != _key() \
                or type(record["facts"]) is not dict:
            return
        entries = {}
        for key, value in record["facts"].items():
            flags, sep, source = key.partition("\0")
            if not sep or not flags.isdigit():
                return
            entries[key] = _decode(value)
    except (OSError, ValueError, RecursionError):  # missing, foreign, not JSON, not ours: a miss
        return
    _store.entries = entries


def _refuse(constant):
    raise ValueError(constant)


def facts(source: str, flags: int, compile_checked) -> Facts:
    """The facts of `re.compile(source, flags)`. On a miss `compile_checked(source, flags)`
    compiles it (raising the kind's error for a bad one) and the prefilter works them out."""
    if not _store.loaded:
        _load()
    key = _entry_key(source, flags)
    _store.used.add(key)
    found = _store.entries.get(key)
    if found is not None:
        return found
    from . import prefilter

    regex = compile_checked(source, flags)
    searched, (single_line, factors) = prefilter.search_plan(regex)
    if searched is regex:
        found = Facts(single_line, factors, None, 0)
    else:
        found = Facts(single_line, factors, searched.pattern, int(searched.flags & ~re.UNICODE))
    _store.entries[key] = found
    _store.changed = True
    return found


def flush() -> None:
    """Write the store if this process learned something (never an error)."""
    if not _store.changed or not _enabled():
        return
    _store.changed = False
    entries = _store.entries
    if len(entries) > MAX_ENTRIES:
        entries = {key: value for key, value in entries.items() if key in _store.used}
    try:
        payload = json.dumps({"key": _key(), "facts": {key: _encode(value) for key, value in entries.items()}},
                             ensure_ascii=False, allow_nan=False)
    except (ValueError, RecursionError):
        return
    from .usercache import replacing

    path = _path()
    try:
        with replacing(path, ".regex-facts.") as temp:
            temp.write_bytes(payload.encode("utf-8", "surrogatepass"))
        _prune(path.parent)
    except (OSError, UnicodeError):
        pass


def _prune(directory: Path) -> None:
    """Keep the KEEP most recently written stores: only regular files named as ours."""
    ours = []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if _OURS.fullmatch(entry.name):
                    info = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(info.st_mode):
                        ours.append((info.st_mtime, entry.name))
    except OSError:
        return
    for _, name in sorted(ours, reverse=True)[KEEP:]:
        try:
            os.unlink(directory / name)
        except OSError:
            pass


def forget() -> None:
    """Drop what this process read or learned (tests that change the cache directory)."""
    global _store
    _store = _Store()
    _key.cache_clear()
