"""Prepared rule packs kept between runs.

Reading the packs (YAML parsed with line numbers, every entry validated) and compiling
their rules costs more than linting a small file, and a pre-commit hook starts on every
commit. So the prepared rules are pickled once and loaded on later starts.

The key covers everything preparation depends on: every pack's path and bytes (built-in
packs with their data files, and the config's own packs), the package's version and its
own sources (an edited kind invalidates), and the exact Python (compiled patterns are
stored as the regex engine's code). A changed pack is never served from the cache. A
kind's `prepare()` must only fill `rule.state`.

The file lives in the user's cache directory (`$XDG_CACHE_HOME/lint-reports`, else
`~/.cache/lint-reports`), never in a project: a pickle must not come from a repository.
It is written to a temporary file and renamed, so concurrent runs never read half a file;
a missing, unreadable or corrupt file is a miss, and a directory we cannot write is no
error. `LINT_REPORTS_PACK_CACHE=0` turns the cache off.

Patterns the rules compile later, on first use (tables built from data, the heading
synonyms of a config, jieba's own), are learned too: a warm process keeps compiling from
the stored table, remembers the recipes of patterns it had to compile, and `save_learned()`
(called once a run is over) adds them in a second file next to the packs, so the next run
of a pre-commit hook compiles none of them (about a sixth of a warm one-file run).
"""
from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

from . import __version__
from .usercache import cache_dir, replacing
from .rules import kind_module

FORMAT = 2  # 2: a table of module-level regex recipes precedes the packs
KEEP = 8  # prepared-pack files kept; older ones (other pack versions) are removed
PREFIX = "prepared-packs-"
LEARNED_PREFIX = "learned-patterns-"


def enabled() -> bool:
    return os.environ.get("LINT_REPORTS_PACK_CACHE", "1").strip().lower() not in ("0", "no", "false", "off")


# --- compiled patterns: stored as engine code, restored without re-parsing -------------

try:  # Python 3.11+
    from re import _compiler as _sre_compile, _parser as _sre_parse
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_compile as _sre_compile  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]
import _sre


def _recipe(pattern: "re.Pattern") -> Optional[tuple]:
    """The arguments `_sre.compile` takes for `pattern`, checked to rebuild it exactly."""
    try:
        tree = _sre_parse.parse(pattern.pattern, pattern.flags)
        code = [int(op) for op in _sre_compile._code(tree, pattern.flags)]  # opcodes are int subclasses
        groupindex = tree.state.groupdict
        indexgroup = [None] * tree.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        recipe = (pattern.pattern, pattern.flags | tree.state.flags, code, tree.state.groups - 1,
                  groupindex, tuple(indexgroup))
        if _sre.compile(*recipe) != pattern:  # Pattern equality compares the engine code
            return None
        return recipe
    except Exception:  # any CPython difference: let pickle recompile it the usual way
        return None


def _restore_pattern(recipe):
    try:
        return _sre.compile(*recipe)
    except Exception:
        return re.compile(recipe[0], recipe[1])


class _RecordingSre:
    """Stands in for the `_sre` module inside `re`'s compiler while packs are prepared, and
    keeps the arguments of every `_sre.compile` call: the recipe of each new pattern comes
    for free instead of being derived again (parse + code generation) when storing, which
    was most of what a cold start paid for the cache. Everything else is the real `_sre`."""

    def __init__(self):
        self.recipes: dict = {}  # id(pattern) -> (pattern, recipe); the pattern keeps the id valid
        self.by_source: dict = {}  # (pattern source, flags) -> recipe: the table a warm start serves
        self.last = None

    def __getattr__(self, name):
        return getattr(_sre, name)

    def compile(self, pattern, flags, code, groups, groupindex, indexgroup):
        compiled = _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)
        self.last = (pattern, flags, [int(op) for op in code], groups, groupindex, indexgroup)
        self.recipes[id(compiled)] = (compiled, self.last)
        return compiled


_real_compile = getattr(_sre_compile, "compile", None)


@contextmanager
def _recording_compiles():
    """Recipes of the patterns compiled inside the block, by pattern object and by the
    (source, flags) that `re.compile` was given. Every pattern is compiled for real (not
    served from a table), so each is recorded; one served from `re`'s own cache is not
    seen: the pickler derives its recipe the slow way."""
    recorder = _RecordingSre()
    if getattr(_sre_compile, "_sre", None) is not _sre or _real_compile is None:  # another Python
        yield recorder
        return

    def recording_compile(source, flags=0):
        recorder.last = None
        compiled = _real_compile(source, flags)
        if recorder.last is not None and isinstance(source, (str, bytes)):
            recorder.by_source[(source, int(flags))] = recorder.last
        return compiled

    previous = _sre_compile.compile  # the real one, or the served table of an earlier load
    _sre_compile._sre, _sre_compile.compile = recorder, recording_compile
    try:
        yield recorder
    finally:
        _sre_compile._sre, _sre_compile.compile = _sre, previous


_real_optimise = getattr(_sre_compile, "_optimize_charset", None)
_optimised: dict = {}


def _optimise_once(charset, iscased=None, fixup=None, fixes=None):
    try:
        entry = (tuple(charset), iscased, fixup, id(fixes))  # `fixes`: a module constant of re
        done = _optimised.get(entry)
    except TypeError:
        return _real_optimise(charset, iscased, fixup, fixes)
    if done is None:
        done = _optimised[entry] = _real_optimise(charset, iscased, fixup, fixes)
    return done


def share_charsets() -> None:
    """From now on this process's regex compiler optimises each distinct character class
    once. The optimiser steps through every code point of a range in Python: a CJK class
    (`[\u3400-\u9fff]`, 27 000 points) costs about 2 ms, and the packs, the rule modules and
    the tables they build repeat a few such classes in many patterns. The optimised class is
    only read by its callers, so sharing it changes no compiled pattern (tested)."""
    if _real_optimise is not None:  # another Python: compile as usual
        _sre_compile._optimize_charset = _optimise_once


LEARNED_LIMIT = 1000  # recipes learned per pack key: patterns built from a document's own words must not pile up


class _Served:
    """The table a warm process compiles from, and what it learned since it was loaded."""

    def __init__(self, key: str, table: dict):
        self.key, self.table, self.learned = key, table, {}


_served: Optional[_Served] = None


def _compile_served(source, flags=0):
    """`re`'s compiler while a table is served: a pattern of the table is rebuilt from its
    engine code (big character classes parsed and optimised: most of a start's time), any
    other is compiled and its recipe learned."""
    served = _served
    entry = (source, int(flags)) if served is not None and isinstance(source, (str, bytes)) else None
    if entry is None or int(flags) & re.DEBUG:
        return _real_compile(source, flags)
    recipe = served.table.get(entry)
    if recipe is not None:
        try:
            return _sre.compile(*recipe)
        except Exception:  # not this engine's code after all: compile it the usual way
            pass
    if len(served.learned) >= LEARNED_LIMIT or _sre_compile._sre is not _sre:  # full, or a store is recording
        return _real_compile(source, flags)
    recorder = _RecordingSre()
    _sre_compile._sre = recorder
    try:
        compiled = _real_compile(source, flags)
    finally:
        _sre_compile._sre = _sre
    if recorder.last is not None:
        served.learned[entry] = served.table[entry] = recorder.last
    return compiled


def _serve(key: str, table: dict) -> None:
    """From now on this process compiles from `table` (and learns what it lacks). The table
    comes from the same Python and the same sources (both are in the key)."""
    global _served
    if _real_compile is None or getattr(_sre_compile, "_sre", None) is not _sre:  # another Python
        return
    _served = _Served(key, dict(table))
    _sre_compile.compile = _compile_served


def save_learned() -> None:
    """Store the recipes this process learned (once a run is over; never an error)."""
    served = _served
    if served is None or not served.learned:
        return
    path = cache_dir() / f"{LEARNED_PREFIX}{served.key[:32]}.pickle"
    learned = dict(_read_learned(path, served.key))
    for entry, recipe in served.learned.items():
        if len(learned) >= LEARNED_LIMIT:
            break
        learned[entry] = recipe
    try:
        with replacing(path, ".learned.") as temp:
            temp.write_bytes(pickle.dumps((served.key, learned), protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PickleError):
        pass
    served.learned = {}


def _read_learned(path: Path, key: str) -> dict:
    try:
        with open(path, "rb") as handle:
            stored_key, learned = pickle.load(handle)
        return learned if stored_key == key and isinstance(learned, dict) else {}
    except Exception:  # missing, truncated, another version: nothing learned yet
        return {}


class _Pickler(pickle.Pickler):
    def __init__(self, *args, recipes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.recipes = recipes or {}

    def reducer_override(self, obj):
        if isinstance(obj, re.Pattern):
            recorded = self.recipes.get(id(obj))
            recipe = recorded[1] if recorded is not None and recorded[0] is obj else _recipe(obj)
            if recipe is not None:
                return _restore_pattern, (recipe,)
        return NotImplemented


# --- key ------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def sources_digest() -> str:
    """SHA-256 of the package's own sources, read once per process: the pack cache and the
    result cache (lint_reports.cache) both key on it."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            pass
    return digest.hexdigest()


def _code_digest(digest) -> None:
    digest.update(sources_digest().encode())


def _builtin_files() -> list:
    """(name, bytes) of every file of the built-in packs, data files included."""
    import lint_reports.rulepacks as rulepacks

    files = []
    for root in rulepacks.__path__:
        base = Path(root)
        if not base.is_dir():  # not a plain directory (a zip): only resources can read it
            return _resource_files()
        for path in sorted(base.rglob("*")):
            rel = path.relative_to(base).as_posix()
            if path.is_file() and not any(part.startswith((".", "__")) for part in rel.split("/")):
                files.append((rel, path.read_bytes()))
    return files


def _resource_files() -> list:
    from importlib import resources

    files = []

    def walk(node, prefix):
        for entry in sorted(node.iterdir(), key=lambda e: e.name):
            if entry.name.startswith((".", "__")):
                continue
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            else:
                files.append((prefix + entry.name, entry.read_bytes()))

    walk(resources.files("lint_reports.rulepacks"), "")
    return files


def cache_key(config) -> Optional[str]:
    """The key for this config's packs, or None when a pack cannot be read (the plain
    path then reports the error)."""
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}\0{_sre.MAGIC}\0".encode())
    _code_digest(digest)
    if config.use_default_packs:
        for name, data in _builtin_files():
            digest.update(f"\0builtin:{name}\0{len(data)}\0".encode())
            digest.update(data)
    for path in config.packs:
        try:
            data = Path(path).read_bytes()
        except OSError:
            return None
        digest.update(f"\0pack:{path}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


# --- load / store ---------------------------------------------------------------------

def load(key: str) -> Optional[tuple]:
    try:
        with open(cache_dir() / f"{PREFIX}{key[:32]}.pickle", "rb") as handle:
            stored_key, table = pickle.load(handle)
            if stored_key != key:
                return None
            _serve(key, {**_read_learned(cache_dir() / f"{LEARNED_PREFIX}{key[:32]}.pickle", key), **table})
            packs, rules = pickle.load(handle)
            for kind in sorted({rule.kind for rule in rules}):
                kind_module(kind)  # import them now: their module-level patterns come from the table
            return packs, rules
    except Exception:  # missing, truncated, from another version: a miss
        return None


def store(key: str, value, recorder: Optional[_RecordingSre] = None) -> None:
    """`recorder`: from `_recording_compiles`, with the patterns compiled while preparing."""
    directory = cache_dir()
    try:
        buffer = io.BytesIO()
        table = recorder.by_source if recorder is not None else {}
        pickle.dump((key, table), buffer, protocol=pickle.HIGHEST_PROTOCOL)
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL,
                 recipes=recorder.recipes if recorder is not None else None).dump(value)
    except Exception:  # a kind keeps something unpicklable in its state: no cache
        return
    try:
        with replacing(directory / f"{PREFIX}{key[:32]}.pickle", ".packs.") as temp:
            temp.write_bytes(buffer.getvalue())
        _prune(directory)
    except OSError:
        pass  # read-only home, full disk: just run without a cache


def _prune(directory: Path) -> None:
    for prefix in (PREFIX, LEARNED_PREFIX):
        try:
            entries = sorted(directory.glob(f"{prefix}*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        except OSError:
            return
        for old in entries[KEEP:]:
            try:
                old.unlink()
            except OSError:
                pass


def load_prepared(config) -> tuple:
    """(packs, rules) for `config`: from the cache when its packs are unchanged, else read,
    prepared and stored. Pack errors are raised exactly as without a cache."""
    from .packs import load_builtin_packs, load_pack_file, prepare_rules

    key = cache_key(config) if enabled() else None
    if key is not None:
        cached = load(key)
        if cached is not None:
            return cached
    share_charsets()  # a cold start compiles hundreds of patterns, now and while linting
    if key is None:
        packs = load_builtin_packs() if config.use_default_packs else []
        packs += [load_pack_file(path) for path in config.packs]
        return packs, prepare_rules(packs)
    with _recording_compiles() as recorder:
        packs = load_builtin_packs() if config.use_default_packs else []
        packs += [load_pack_file(path) for path in config.packs]
        rules = prepare_rules(packs)
    store(key, (packs, rules), recorder)
    _serve(key, recorder.by_source)  # learn what the rules compile later, for the next start
    return packs, rules
