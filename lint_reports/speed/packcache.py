"""Rule packs parsed once and kept between runs, as plain data only.

Parsing the YAML of the packs (with the line of every key, for error messages) costs more
than linting a small file, and a pre-commit hook starts on every commit. So the parsed
document of each pack is kept in the user's cache directory (`$XDG_CACHE_HOME/lint-reports`,
else `~/.cache/lint-reports`, files `pack-tree-*.json`): mappings, lists, strings, numbers,
booleans and the line numbers, nothing else. A later start reads that instead of the YAML
and hands it to the very validation freshly parsed YAML goes through (`packs.parse_pack`),
so a cache file can say nothing a pack could not say. The rules are then prepared on every
start, their patterns compiled by plain `re.compile`.

Nothing here is ever turned into code: no pickle, no compiled regex internals. A cache
directory is not trusted (CI restores `~/.cache` from a shared store, and a project cache
sits inside a repository): a file is read only if it is a regular file under
the size cap, it must name the key it was written for, and its contents must decode exactly
as this module writes them; anything else is a miss and the YAML is parsed again.

The key is the SHA-256 of the pack's text, the format, the package's version and its own
sources (an edited kind or parser invalidates), and the installed PyYAML. Files are written
to a temporary file and renamed, so concurrent runs never read half a file; a directory we
cannot write is no error. `LINT_REPORTS_PACK_CACHE=0` turns the cache off.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import re
import stat
from pathlib import Path

from .. import __version__
from ..config import yamlutil
from ..io.safeio import read_regular
from .usercache import cache_dir, replacing

FORMAT = 3  # 3: parsed YAML as JSON (1 and 2 were pickles, never read again)
PREFIX = "pack-tree-"
KEEP = 64  # tree files kept (the built-in packs, a few versions of them and of users' packs)
MAX_BYTES = 64 * 1024 * 1024  # a tree is a few times its pack (which is capped at 16 MB)
_OURS = re.compile(re.escape(PREFIX) + r"[0-9a-f]{32}\.json")
# What versions before the plain-data cache left in the same directory: ours by name, never
# read again, removed with the rest of the stale files.
_FORMER = re.compile(r"(?:prepared-packs|learned-patterns)-[0-9a-f]{32}\.pickle")


def enabled() -> bool:
    return os.environ.get("LINT_REPORTS_PACK_CACHE", "1").strip().lower() not in ("0", "no", "false", "off")


# --- the key --------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def sources_digest() -> str:
    """SHA-256 of the package's own sources, read once per process: the pack cache and the
    result cache (lint_reports.speed.result_cache) both key on it."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent  # the lint_reports package
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            pass
    return digest.hexdigest()


@functools.lru_cache(maxsize=None)
def _parser_identity() -> str:
    """Which PyYAML parses the packs, without importing it (that is what a warm start
    saves): where it is installed and when that file was written."""
    try:
        spec = importlib.util.find_spec("yaml")
        info = os.stat(spec.origin)
        return f"{spec.origin}\0{info.st_size}\0{info.st_mtime_ns}"
    except (ImportError, AttributeError, TypeError, ValueError, OSError):
        return "unknown"


def text_key(text: str) -> str:
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sources_digest()}\0{_parser_identity()}\0".encode())
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


# --- a parsed YAML document <-> JSON ---------------------------------------------------
#
# A mapping is {"m": its line, "k": [[key, the key's line, value], ...]} (keys in order);
# a list is a JSON array; a scalar is itself. The loader builds nothing else from a pack
# worth keeping: a document holding any other value (a date, bytes, a set, an infinite
# float) is simply not stored.

class Unstorable(ValueError):
    """A parsed document holding a value the JSON form cannot hold exactly."""


class Invalid(ValueError):
    """A stored tree that is not exactly what `encode` writes."""


_SCALARS = (str, int, float, bool, type(None))


def encode(node):
    if type(node) is yamlutil.LineDict:
        items = []
        for key, value in node.items():
            if type(key) not in _SCALARS:
                raise Unstorable(key)
            items.append([key, node.key_lines.get(key, node.line), encode(value)])
        return {"m": node.line, "k": items}
    if type(node) is list:
        return [encode(item) for item in node]
    if type(node) in _SCALARS:
        return node
    raise Unstorable(type(node).__name__)


def _refuse(constant):
    raise Invalid(constant)  # NaN, Infinity: JSON extensions `store_tree` never writes


def _line(value) -> int:
    if type(value) is not int or value < 0:
        raise Invalid("line")
    return value


def decode(node):
    """The document `encode` was given; raises Invalid for anything it would not write."""
    if type(node) is dict:
        if node.keys() != {"m", "k"} or type(node["k"]) is not list:
            raise Invalid("mapping")
        mapping = yamlutil.LineDict()
        mapping.line = _line(node["m"])
        mapping.key_lines = {}
        for item in node["k"]:
            if type(item) is not list or len(item) != 3:
                raise Invalid("item")
            key, line, value = item
            if type(key) not in _SCALARS or key in mapping:
                raise Invalid("key")
            mapping[key] = decode(value)
            mapping.key_lines[key] = _line(line)
        return mapping
    if type(node) is list:
        return [decode(item) for item in node]
    if type(node) in _SCALARS:
        return node
    raise Invalid(type(node).__name__)


# --- load / store ---------------------------------------------------------------------

def _path(key: str) -> Path:
    return cache_dir() / f"{PREFIX}{key[:32]}.json"


def load_tree(key: str):
    """The parsed document stored under `key`, or None (missing, not a regular file,
    oversized, not JSON, another key, not exactly what `store_tree` writes)."""
    path = _path(key)
    try:
        record = json.loads(read_regular(path, MAX_BYTES, follow_symlinks=False).data, parse_constant=_refuse)
        if type(record) is not dict or record.keys() != {"key", "tree"} or record["key"] != key:
            return None
        tree = decode(record["tree"])
    except (OSError, ValueError, RecursionError):  # (Invalid and JSON errors are ValueErrors)
        return None
    try:
        os.utime(path, follow_symlinks=False)  # in use: kept by the prune
    except OSError:
        pass
    return tree


def store_tree(key: str, document) -> None:
    """Keep `document` (never an error: a read-only home or a full disk just keeps nothing)."""
    try:
        payload = json.dumps({"key": key, "tree": encode(document)}, ensure_ascii=False, allow_nan=False)
    except (ValueError, RecursionError):  # Unstorable, an infinite float: parse it every time
        return
    try:
        with replacing(_path(key), ".pack-tree.") as temp:
            temp.write_bytes(payload.encode("utf-8", "surrogatepass"))
        _prune(cache_dir())
    except (OSError, UnicodeError):
        pass


def kept_document(text: str):
    """The parsed document an earlier run kept for this very text, or None."""
    return load_tree(text_key(text)) if enabled() else None


def parse_and_keep(text: str):
    """`yamlutil.load(text)`, kept for the next run. Raises yamlutil.YamlError exactly as
    `yamlutil.load` does (a pack that does not parse keeps nothing)."""
    document = yamlutil.load(text)
    if enabled():
        store_tree(text_key(text), document)
    return document


def _prune(directory: Path) -> None:
    """Keep the KEEP most recently used tree files; remove older ones and the pickles of
    former versions. Only regular files named as this module names them (never a link,
    never anything else in the directory)."""
    ours = []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                former = _FORMER.fullmatch(entry.name)
                if not (former or _OURS.fullmatch(entry.name)):
                    continue
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode):
                    ours.append((former is None, info.st_mtime, entry.name))
    except OSError:
        return
    ours.sort(reverse=True)  # current-format files first, newest first
    kept = [item for item in ours if item[0]][:KEEP]
    for item in ours:
        if item not in kept:
            try:
                os.unlink(directory / item[2])
            except OSError:
                pass


def clear_process_caches() -> None:
    """Forget what this process read (tests that change the sources or the packs; the regex
    facts keyed on the sources have their own `regexfacts.forget`)."""
    sources_digest.cache_clear()
    _parser_identity.cache_clear()
