"""jieba's dictionary, looked up word by word instead of loaded whole.

The repetition rule segments a few short windows per document. jieba itself would first
load its whole dictionary (about 500,000 entries: a second or more) and, for part-of-speech
tags, parse its dictionary file a second time. Here the same dictionary (jieba's own
dict.txt: words, frequencies, tags, plus the zero-frequency prefixes jieba adds) is kept in
an SQLite index in the user's cache directory (`$XDG_CACHE_HOME/lint-reports`, else
`~/.cache/lint-reports`), built once per jieba version. A `jieba.Tokenizer` then
segments with a mapping that fetches only the words a window asks for, so segmentation is
jieba's own (same dictionary, same route) at a cost in proportion to the windows.

The index is written to a temporary file and renamed, so concurrent runs never read half of
it, and built under a lock file, so that the `--jobs` workers of a first run (or several
hooks at once) wait for one build instead of each paying for one (about 2 CPU seconds);
if the cache directory cannot be written, it is built in memory for the run.
A user dictionary (jieba's format) is added with jieba's own `load_userdict`.
"""
from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import sqlite3
import stat
import sys
import threading
from pathlib import Path
from typing import Optional

from ...core.budget import untimed
from ...speed.usercache import cache_dir, replacing

FORMAT = 1
_ASCII_WORD = re.compile(r"^[A-Za-z0-9]+$")
_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSEEN = object()
_LOCK = threading.Lock()
_LEXICONS: dict = {}


class _Frequencies(dict):
    """jieba's FREQ mapping, filled from the index on first use of each word (None marks a
    string that is not in the dictionary). jieba only uses `in`, `get`, `[]` and `[]=`."""

    def __init__(self, connection: sqlite3.Connection):
        super().__init__()
        self._connection = connection
        self.tags: dict = {}

    def _fetch(self, word: str):
        if _SURROGATE.search(word):  # (a lone surrogate from undecodable input) SQLite cannot take it
            dict.__setitem__(self, word, None)
            return None
        row = self._connection.execute("SELECT freq, tag FROM words WHERE word = ?", (word,)).fetchone()
        value = None if row is None else row[0]
        if row is not None and row[1]:
            self.tags[word] = row[1]
        dict.__setitem__(self, word, value)
        return value

    def prefetch(self, text: str, longest: int = 8) -> None:
        """One query for every substring of `text` up to `longest` characters not seen yet
        (what jieba's DAG will ask for); longer words are still fetched one by one."""
        wanted = {text[i:j] for i in range(len(text)) for j in range(i + 1, min(len(text), i + longest) + 1)}
        # (a lone surrogate, which SQLite cannot take, is looked for once in the text, not
        # in each of its substrings)
        damaged = _SURROGATE.search(text) is not None
        wanted = [w for w in wanted if dict.get(self, w, _UNSEEN) is _UNSEEN
                  and not (damaged and _SURROGATE.search(w))]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found = {word: (freq, tag) for word, freq, tag in self._connection.execute(
                f"SELECT word, freq, tag FROM words WHERE word IN ({marks})", chunk)}
            for word in chunk:
                freq, tag = found.get(word, (None, None))
                dict.__setitem__(self, word, freq)
                if tag:
                    self.tags[word] = tag

    def __contains__(self, word) -> bool:
        value = dict.get(self, word, _UNSEEN)
        if value is _UNSEEN:
            value = self._fetch(word)
        return value is not None

    def get(self, word, default=None):
        value = dict.get(self, word, _UNSEEN)
        if value is _UNSEEN:
            value = self._fetch(word)
        return default if value is None else value

    def __getitem__(self, word):
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value


class Lexicon:
    """Segmentation of short texts with jieba and its dictionary, tagged like jieba.posseg
    (HMM off): `segment(text) -> [(word, flag), ...]`."""

    def __init__(self, connection: sqlite3.Connection, user_dict: Optional[str] = None):
        jieba = import_jieba()
        jieba.setLogLevel(logging.WARNING)
        self.freq = _Frequencies(connection)
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.FREQ = self.freq
        self.tokenizer.total = connection.execute("SELECT value FROM meta WHERE key = 'total'").fetchone()[0]
        self.tokenizer.initialized = True
        if user_dict:
            self.tokenizer.load_userdict(io.BytesIO(_read_user_dict(user_dict)))

    def frequency(self, word: str) -> int:
        return self.freq.get(word) or 0

    def segment(self, text: str) -> list:
        self.freq.prefetch(text)
        user_tags = self.tokenizer.user_word_tag_tab
        tagged = []
        for word in self.tokenizer.cut(text, HMM=False):
            flag = user_tags.get(word) or self.freq.tags.get(word)
            if flag is None:
                flag = "eng" if _ASCII_WORD.match(word) else "x"
            tagged.append((word, flag))
        return tagged


def _read_user_dict(path: str) -> bytes:
    """The user dictionary's bytes, read by us rather than by jieba: a bounded read of a
    regular file (the config checked it, but a FIFO swapped in since would block jieba's
    `open` for ever, and `/dev/zero` would be read until the memory is gone)."""
    from ...config.settings import MAX_USER_DICT_BYTES
    from ...io.safeio import read_regular

    return read_regular(path, MAX_USER_DICT_BYTES).data


def import_jieba():
    """`import jieba`, without the setuptools `pkg_resources` it imports only to open its
    own data files (about 0.15 s of the 0.2 s jieba takes to import, and a deprecation
    warning on newer setuptools; jieba falls back to plain `open`, see fxsjy/jieba#1044)."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba
        return jieba
    sys.modules["pkg_resources"] = None  # makes `import pkg_resources` raise ImportError
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
    return jieba


def lexicon(user_dict: Optional[str] = None) -> Lexicon:
    """The process's lexicon for `user_dict` (None: jieba's dictionary alone), built once."""
    key = user_dict or ""
    with _LOCK:
        if key not in _LEXICONS:
            _LEXICONS[key] = Lexicon(_connect(), user_dict)
        return _LEXICONS[key]


# --- the index --------------------------------------------------------------------------

def _dictionary_path() -> Path:
    jieba = import_jieba()
    return Path(jieba.__file__).resolve().parent / jieba.DEFAULT_DICT_NAME


def _index_name(dictionary: Path) -> str:
    jieba = import_jieba()
    stat = dictionary.stat()
    key = f"{FORMAT}|{jieba.__version__}|{dictionary}|{stat.st_size}|{stat.st_mtime_ns}"
    return f"jieba-words-{hashlib.sha256(key.encode()).hexdigest()[:16]}.sqlite"


_connection: Optional[sqlite3.Connection] = None


def _connect() -> sqlite3.Connection:
    global _connection
    if _connection is not None:
        return _connection
    with untimed():  # the first run builds the index: set-up, not the rule's time
        dictionary = _dictionary_path()
        path = cache_dir() / _index_name(dictionary)
        connection = None
        for attempt in range(2):
            try:
                if attempt or not path.exists():
                    _build_once(dictionary, path, rebuild=bool(attempt))  # missing, or (second attempt) unreadable
                connection = _open(path)
                break
            except (OSError, sqlite3.Error, TypeError):
                connection = None
        if connection is None:  # the cache directory cannot be written: for this run only
            connection = sqlite3.connect(":memory:", check_same_thread=False)
            _fill(connection, dictionary)
    _connection = connection
    return connection


def _open(path: Path) -> sqlite3.Connection:
    if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO planted here would block SQLite's open for ever
        raise OSError(f"{path}: not a regular file")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    try:
        # Plain tables only: a view planted under these names (a recursive query without
        # end) would hang this untimed open, or every look-up after it.
        kinds = dict(connection.execute(
            "SELECT name, type FROM sqlite_master WHERE name IN ('words', 'meta')").fetchall())
        if kinds != {"words": "table", "meta": "table"}:
            raise sqlite3.DatabaseError("not a jieba-words index")
        connection.execute("SELECT value FROM meta WHERE key = 'total'").fetchone()[0]
    except BaseException:
        connection.close()
        raise
    return connection


def _build_once(dictionary: Path, path: Path, rebuild: bool) -> None:
    """Build the index, unless another process built it while this one waited for the lock."""
    try:
        import fcntl
    except ImportError:  # (Windows) no lock: at worst two processes build the same index
        _build_file(dictionary, path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    # Never truncated, never through a link, never waiting on a FIFO: a lock file planted in
    # the cache (a symlink to a file of the user's) must not be emptied by opening it "wb".
    fd = os.open(path.with_name(path.name + ".lock"),
                 os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
                 | getattr(os, "O_CLOEXEC", 0), 0o644)
    with os.fdopen(fd, "wb") as lock:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError("the index lock is not a regular file")
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if rebuild or not path.exists():
            _build_file(dictionary, path)


def _build_file(dictionary: Path, path: Path) -> None:
    with replacing(path, ".jieba-words.") as temp:
        connection = sqlite3.connect(temp)
        try:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            _fill(connection, dictionary)
        finally:
            connection.close()


def _fill(connection: sqlite3.Connection, dictionary: Path) -> None:
    """jieba's dictionary as jieba loads it (Tokenizer.gen_pfdict): every word with its
    frequency, every prefix of a word with frequency 0; and the tag jieba.posseg reads."""
    entries: dict = {}
    total = 0
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        fields = line.split(" ")
        if len(fields) < 2:
            continue
        word, freq = fields[0], int(fields[1])
        total += freq
        entries[word] = (freq, fields[2] if len(fields) > 2 else None)
        for end in range(1, len(word)):
            prefix = word[:end]
            if prefix not in entries:
                entries[prefix] = (0, None)
    connection.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER, tag TEXT) WITHOUT ROWID")
    connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID")
    connection.executemany("INSERT INTO words VALUES (?, ?, ?)",
                           ((word, freq, tag) for word, (freq, tag) in entries.items()))
    connection.execute("INSERT INTO meta VALUES ('total', ?)", (total,))
    connection.commit()
