"""Sentences as hashes, and the index of a run's sentences: what `copied` compares.

A sentence is a stretch of one line ending at 。！？；!?; (or at the end of the line). It is
compared *normalised*: NFKC (full-width letters and digits become half-width), then without
white space, punctuation or invisible characters. Numbers stay exactly as written: a
sentence whose figures were updated is a new sentence, not a copy.

Each normalised sentence is one blake2b digest. The run's index maps a digest to where it
occurs ((path, line, year) per report), so a run of N reports is one pass over their
sentences, never a comparison of every pair. A file's Record (its year and the digests of
its sentences with their places) is plain data: the result cache keeps it between runs, so
an unchanged file is not read again to take part in the index.
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Optional
from ..speed.lazyre import lazy_compile

DIGEST_BYTES = 12  # 96 bits: no two different sentences of any repository collide
_SENTENCE_END = lazy_compile(r"[。！？；!?;]+")
_DROPPED_CATEGORIES = ("P", "Z", "C")  # punctuation, separators (spaces), controls and format marks
_KEPT = frozenset("%‰‱.")  # part of a number (Unicode counts them as punctuation): 3.5% is not 35


_LITERAL_ESCAPE = lazy_compile(r"<U\+([0-9A-Fa-f]{4,6})>")  # a scraper's <U+00A0> for a space
_NOT_CJK = lazy_compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


# A document's sentences are read up to three times (its record for the run's index, the
# template comparison, the pieces of a compilation) and many recur across the reports of one
# repository: their normal forms and verdicts are kept for a while.
_MEMO = 1 << 14


@functools.lru_cache(maxsize=_MEMO)
def normalise(text: str) -> str:
    """What two sentences must share to be the same: widths, spaces and punctuation aside."""
    if "<U+" in text:
        text = _LITERAL_ESCAPE.sub(lambda m: " " if int(m.group(1), 16) > 0x10FFFF else chr(int(m.group(1), 16)), text)
    # Most report text is already in NFKC form once its punctuation and spaces are out:
    # then that is the answer, and NFKC (the costly step) is not run. Exact: what is taken
    # out first is only what NFKC would turn into characters dropped anyway, and no dropped
    # character composes with another or has a combining class (tests/test_copied.py checks
    # both against unicodedata), so NFKC of the rest equals the rest of NFKC.
    kept = text.translate(_DROPPED_BEFORE_NFKC)
    if unicodedata.is_normalized("NFKC", kept):
        return kept
    return unicodedata.normalize("NFKC", text).translate(_DROPPED)


class _DroppedTable(dict):
    """str.translate's table: None for a character `normalise` drops, the character for
    one it keeps; filled as characters are met (a character at a time in Python was the
    slow part of hashing a repository; a table of every code point costs a start-up)."""

    def __missing__(self, code: int):
        ch = chr(code)
        value = None if ch not in _KEPT and (ch.isspace() or unicodedata.category(ch)[0] in _DROPPED_CATEGORIES) \
            else ch
        self[code] = value
        return value


_DROPPED = _DroppedTable()


class _DroppedBeforeNfkcTable(dict):
    """str.translate's table: None for a starter character whose NFKC form is only
    characters `normalise` drops (a full-width comma, an ideographic space), the character
    for any other."""

    def __missing__(self, code: int):
        ch = chr(code)
        gone = not unicodedata.combining(ch) and all(_DROPPED[ord(c)] is None for c in unicodedata.normalize("NFKC", ch))
        self[code] = None if gone else ch
        return self[code]


_DROPPED_BEFORE_NFKC = _DroppedBeforeNfkcTable()


def digest(normal: str) -> str:
    return hashlib.blake2b(normal.encode("utf-8", "surrogatepass"), digest_size=DIGEST_BYTES).hexdigest()


@dataclass(frozen=True)
class Sentence:
    line: int  # 1-based
    start: int  # offsets into Document.text
    end: int
    normal: str


def sentences(doc, first_line: int = 1, last_line: Optional[int] = None):
    """The sentences of `doc` (its prose: Markdown markup and front matter masked), in order."""
    lines = doc.prose_lines
    starts = doc.line_starts
    last = len(lines) if last_line is None else min(last_line, len(lines))
    for number in range(first_line, last + 1):
        text = lines[number - 1]
        base = starts[number - 1]
        position = 0
        for end_mark in _SENTENCE_END.finditer(text):
            yield from _piece(text, base, number, position, end_mark.end())
            position = end_mark.end()
        if position < len(text):
            yield from _piece(text, base, number, position, len(text))


def _piece(text: str, base: int, number: int, begin: int, end: int):
    raw = text[begin:end]
    stripped = raw.strip()
    if not stripped:
        return
    lead = len(raw) - len(raw.lstrip())
    normal = normalise(stripped)
    if normal:
        yield Sentence(number, base + begin + lead, base + begin + lead + len(stripped), normal)


def weight(normal: str) -> int:
    """Chinese characters: what makes a sentence worth comparing (a row of page numbers,
    a date stamp or a URL is long but says nothing)."""
    return len(_NOT_CJK.sub("", normal))  # (one string left, not a list of every character)


def formula_remainder(normal: str, formulae) -> int:
    """Chinese characters of `normal` left once every formula (a compiled pattern) it
    contains is taken out."""
    for formula in formulae:
        normal = formula.sub("", normal)
    return weight(normal)


def is_substantial(normal: str, min_chars: int, formulae) -> bool:
    """Long enough, and not (or not only) the wording every report shares."""
    return len(normal) >= min_chars and _substantial(normal, min_chars, tuple(formulae))


@functools.lru_cache(maxsize=_MEMO)
def _substantial(normal: str, min_chars: int, formulae: tuple) -> bool:
    return weight(normal) >= min_chars and formula_remainder(normal, formulae) >= min_chars


# --- a file's record and the run's index ---------------------------------------------

@dataclass
class Record:
    """One file's part of the index: its year (None if unknown) and its substantial
    sentences as (digest, line, start, end, column, end column), each where it stands."""

    year: Optional[int] = None
    sentences: list = field(default_factory=list)

    def as_json(self) -> dict:
        return {"year": self.year, "sentences": [list(s) for s in self.sentences]}

    @classmethod
    def from_json(cls, value) -> "Record":
        """The record `as_json` wrote, checked field by field; ValueError for anything else."""
        if type(value) is not dict or set(value) != {"year", "sentences"}:
            raise ValueError("not a passage record")
        year = value["year"]
        if year is not None and (type(year) is not int or not 0 < year < 10000):
            raise ValueError("year")
        if type(value["sentences"]) is not list:
            raise ValueError("sentences")
        rows = []
        for row in value["sentences"]:
            if type(row) is not list or len(row) != 6 or type(row[0]) is not str \
                    or not re.fullmatch(r"[0-9a-f]{%d}" % (2 * DIGEST_BYTES), row[0]) \
                    or not all(type(n) is int and n >= 0 for n in row[1:]):
                raise ValueError("sentence")
            rows.append(tuple(row))
        return cls(year, rows)


def record_of(doc, min_chars: int, formulae, year: Optional[int],
              first_line: int = 1, last_line: Optional[int] = None) -> Record:
    """The substantial sentences of `doc` (of its lines first_line..last_line: one piece of
    a compilation), each where it stands: a sentence twice is listed twice (a template's
    sentence is reported at each place; the index counts a report once, where it first has
    the sentence).

    The same sentences as `sentences` gives, filtered by `is_substantial`, without making a
    Sentence of each: a run reads every sentence of every report here. A stretch shorter
    than `min_chars` that is already in NFKC form cannot normalise to `min_chars`
    characters (NFKC of such text never grows, and `normalise` only drops characters after
    it), so it is passed over unread."""
    formulae = tuple(formulae)
    lines = doc.prose_lines
    starts = doc.line_starts
    last = len(lines) if last_line is None else min(last_line, len(lines))
    rows = []
    for number in range(first_line, last + 1):
        text = lines[number - 1]
        if len(text) < min_chars and _cannot_grow(text):
            continue
        base = starts[number - 1]
        position = 0
        ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        if not ends or ends[-1] < len(text):
            ends.append(len(text))
        for end in ends:
            raw = text[position:end]
            begin, position = position, end
            stripped = raw.strip()
            if len(stripped) < min_chars and _cannot_grow(stripped):
                continue
            normal = normalise(stripped)
            if len(normal) < min_chars or not _substantial(normal, min_chars, formulae):
                continue
            first = base + begin + len(raw) - len(raw.lstrip())
            rows.append((digest(normal), number, first, first + len(stripped),
                         first - base + 1, first - base + 1 + len(stripped)))
    return Record(year, rows)


def _cannot_grow(text: str) -> bool:
    """`normalise(text)` is no longer than `text` (a <U+XXXX> escape may stand for a
    character NFKC expands)."""
    return "<U+" not in text and unicodedata.is_normalized("NFKC", text)


def piece_record(record: Record, first_line: int, last_line: int, year: Optional[int]) -> Record:
    """The part of a file's record on lines first_line..last_line (a compilation's piece)."""
    return Record(year, [row for row in record.sentences if first_line <= row[1] <= last_line])


def first_places(record: Record):
    """The rows of `record`, a sentence it has twice only where it first stands."""
    seen = set()
    for row in record.sentences:
        if row[0] not in seen:
            seen.add(row[0])
            yield row


@dataclass(frozen=True)
class Hit:
    """A sentence of a report that another report has too (plain data: sent to workers)."""

    line: int
    start: int
    end: int
    column: int
    end_column: int
    digest: str
    year: Optional[int]  # of the report the sentence is in
    others: tuple  # ((path, line, year), ...) of the other reports


class PassageIndex:
    """digest -> [(path, line, year)], one entry per report the sentence occurs in."""

    def __init__(self):
        self.places: dict = {}
        self.records: dict = {}  # path -> Record

    def add(self, path: str, record: Record) -> None:
        self.records[path] = record
        places = self.places
        for key, line, *_ in first_places(record):
            found = places.get(key)
            if found is None:
                places[key] = [(path, line, record.year)]
            else:
                found.append((path, line, record.year))

    def hits(self, path: str, max_reports: int) -> list:
        """The sentences of `path` that other reports have too. A sentence in more than
        `max_reports` reports is the wording reports share, not a copy. A report is told of
        a copy only when it is not older than the other one: last year's report is the
        source, this year's the copy (same or unknown years: both are told)."""
        record = self.records.get(path)
        if record is None:
            return []
        return _hits(record, path, max_reports, lambda key, _line: self.places.get(key, ()))

    def hits_of(self, path: str, record: Record, max_reports: int, leave_out=frozenset()) -> list:
        """The hits `record` (of `path`, not in this index) would get were it added, the
        places of the paths in `leave_out` not counted: an editor's buffer against the
        index of a repository's saved reports, its own saved copy left out."""
        def places(key, line):
            kept = [p for p in self.places.get(key, ()) if p[0] != path and p[0] not in leave_out]
            return kept + [(path, line, record.year)]
        return _hits(record, path, max_reports, places)


def _hits(record: Record, path: str, max_reports: int, places_of) -> list:
    """PassageIndex.hits: `places_of(key, line)` lists the reports holding a sentence, `path`
    among them."""
    found = []
    for key, line, start, end, column, end_column in first_places(record):
        places = places_of(key, line)
        if len(places) < 2 or len(places) > max_reports:
            continue
        others = tuple(p for p in places if p[0] != path and not _newer(p[2], record.year))
        if others:
            found.append(Hit(line, start, end, column, end_column, key, record.year, others))
    return found


def relocate(hits, doc) -> tuple:
    """`hits` (of an earlier text of `doc`: before a --fix round) where `doc` now has their
    sentences (first place of each), and without those it no longer has."""
    if not hits:
        return ()
    wanted = {hit.digest: hit for hit in hits}
    starts = doc.line_starts
    moved = []
    for sentence in sentences(doc):
        key = digest(sentence.normal)
        hit = wanted.pop(key, None)
        if hit is None:
            continue
        line_start = starts[sentence.line - 1]
        moved.append(Hit(sentence.line, sentence.start, sentence.end, sentence.start - line_start + 1,
                         sentence.end - line_start + 1, key, hit.year, hit.others))
        if not wanted:
            break
    return tuple(moved)


def _newer(year: Optional[int], than: Optional[int]) -> bool:
    return year is not None and than is not None and year > than


def hits_digest(hits) -> str:
    """What a file's findings depend on beyond its own content: part of its cache key."""
    payload = repr([(h.line, h.start, h.end, h.digest, h.year, h.others) for h in hits])
    return hashlib.blake2b(payload.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
