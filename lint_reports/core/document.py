"""bytes -> Document: decoding, lines, offset <-> (line, column), Markdown masking.

A Document keeps the decoded text with line endings normalised to "\\n" (rules see one
newline), remembers how to write it back (encoding, BOM, newline), and offers `prose`:
the same text with everything that is not report prose (Markdown code, front matter,
HTML comments) blanked out by spaces, so offsets and line numbers stay the file's own.
"""
from __future__ import annotations

import bisect
import codecs
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Optional
from ..speed.lazyre import lazy_compile

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


class DecodeError(Exception):
    """The bytes are not text in any encoding we read."""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass
class Decoded:
    text: str
    encoding: str
    bom: bytes = b""
    # 1-based line numbers where undecodable bytes were replaced by U+FFFD
    damaged_lines: list = field(default_factory=list)


# Bytes that never occur in report text (C0 controls other than tab, newlines, form feed, ESC).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\x0b\x1b") + b"\x7f"
_SNIFF = 8192


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control bytes, outside UTF-16/32: an image, archive, .docx or
    other binary file. Random bytes carry about 12% control bytes; text almost none."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    head = data[:_SNIFF]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls * 20 > len(head)  # more than 5%


def _damaged_lines(text: str) -> list:
    """1-based lines (as the Document numbers them) holding a U+FFFD replacement."""
    if "\ufffd" not in text:
        return []
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    lines, line, position = set(), 1, 0
    for match in re.finditer("\ufffd", normalised):
        line += normalised.count("\n", position, match.start())
        position = match.start()
        lines.add(line)
    return sorted(lines)


def _replaced(data: bytes, encoding: str, bom: bytes = b"") -> Decoded:
    text = data.decode(encoding, errors="replace")
    return Decoded(text, encoding, bom, _damaged_lines(text))


@functools.lru_cache(maxsize=None)
def _private_use():
    """Compiled on first use: a big character class costs milliseconds to compile, and only
    text that is not valid UTF-8 needs it."""
    return re.compile("[\ue000-\uf8ff]")


def _clean_share(text: str) -> float:
    """Share of the non-ASCII characters that decoded to real text: neither U+FFFD nor a
    private-use code point (what GB18030 makes of Big5 or of random bytes)."""
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if not non_ascii:
        return 0.0
    return 1 - (text.count("\ufffd") + len(_private_use().findall(text))) / non_ascii


def _invalid_bytes(data: bytes, encoding: str) -> int:
    """How many bytes of `data` are not valid `encoding` (surrogateescape: one per byte)."""
    decoded = data.decode(encoding, errors="surrogateescape")
    return sum(1 for ch in decoded if "\udc80" <= ch <= "\udcff")


# Characters a Chinese report is made of, beyond ASCII: ideographs, CJK and general
# punctuation, full-width forms, circled numbers.
_REPORT_CHARS = lazy_compile("[\u2000-\u206f\u2460-\u24ff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]")


def _mostly_utf8(data: bytes) -> bool:
    """Damaged UTF-8 rather than another encoding: the valid UTF-8 in it spells Chinese
    (three-byte characters) and outweighs the invalid bytes. GBK text forms two-byte UTF-8
    sequences by chance (学习 = D1A7 CFB0), Chinese three-byte ones rarely."""
    decoded = data.decode("utf-8", errors="surrogateescape")
    invalid = sum(1 for ch in decoded if "\udc80" <= ch <= "\udcff")
    chinese = 3 * len(_REPORT_CHARS.findall(decoded))
    return invalid <= UTF8_DAMAGE_LIMIT * (chinese + invalid)


def _gbk_read_as_utf8(text: str, data: bytes) -> bool:
    """Valid UTF-8 by accident: a short GBK text whose byte pairs all happen to form
    two-byte UTF-8 characters (一些 = D2BB D0A9 reads as Cyrillic) and no Chinese."""
    if _REPORT_CHARS.search(text) or not any("\u0080" <= ch <= "\u07ff" for ch in text):
        return False
    if all(ch <= "\u00ff" for ch in text):
        return False  # Latin-1 text, or GBK once read as Latin-1 and saved (ÄãºÃ): a rule repairs that
    try:
        legacy = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return all(_REPORT_CHARS.match(ch) for ch in legacy if ord(ch) > 0x7f)


# Damaged UTF-8 may have at most this share of bad bytes among its CJK-bearing bytes.
UTF8_DAMAGE_LIMIT = 0.3


def decode(data: bytes) -> Decoded:
    """Decode report bytes: BOM first, then UTF-8, then GB18030 (covers GBK/GB2312) or Big5.

    A UTF-8 file with a few damaged bytes stays UTF-8: the damage is replaced by U+FFFD and
    its lines are listed in `damaged_lines` (a rule reports them). A file that is mostly not
    UTF-8 is read as whichever of GB18030 and Big5 gives real text, again with any damage
    replaced and listed. Binary files and byte soup raise DecodeError.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            try:
                return Decoded(body.decode(encoding), encoding, bom)
            except UnicodeDecodeError as exc:
                if encoding != "utf-8" and len(body) % (4 if "32" in encoding else 2):
                    raise DecodeError(f"starts with a {encoding.upper()} byte-order mark but has an odd "
                                      f"number of bytes: {exc.reason}") from None
                return _replaced(body, encoding, bom)
    if looks_binary(data):
        raise DecodeError("binary file (not text)")
    try:
        text = data.decode("utf-8")
        if not _gbk_read_as_utf8(text, data):
            return Decoded(text, "utf-8")
        return Decoded(data.decode("gb18030"), "gb18030")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return _replaced(data, "utf-8")
    # GB18030 decodes almost any byte pair, Big5 too: the candidate that reads as real
    # Chinese (no U+FFFD, no private-use code points) wins, GB18030 first.
    candidates = [_replaced(data, encoding) for encoding in ("gb18030", "big5")]
    shares = [_clean_share(candidate.text) for candidate in candidates]
    for candidate, share in zip(candidates, shares):
        if share >= 0.8:
            return candidate
    if max(shares) >= 0.5:  # badly damaged text, but text: read it and report the damage
        return candidates[shares.index(max(shares))]
    as_utf8 = _replaced(data, "utf-8")
    if as_utf8.text.count("\ufffd") * 100 <= len(as_utf8.text):
        return as_utf8  # ASCII text with a stray byte or two
    raise DecodeError("not text in UTF-8, UTF-16, GB18030/GBK or Big5")


def dominant_newline(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    best = max((lf, "\n"), (crlf, "\r\n"), (cr, "\r"))
    return best[1] if best[0] else "\n"


_FENCE = lazy_compile(r"^ {0,3}(`{3,}|~{3,})")
_HTML_COMMENT = lazy_compile(r"<!--.*?-->", re.S)
_EMPHASIS = lazy_compile(r"(?<![*_\\])(\*\*|__)(?=[^\s*_])([^*_\n]{1,40}?)(?<=[^\s*_])\1(?![*_])")
# Bold pasted into a plain-text file (from a Markdown page or a chatbot: `**一、加强领导**`,
# `一是**压实责任**，`): a pair around a phrase that starts and ends with a word and is
# followed by a mark or the line end. A slot's stars touch a unit or a name after them
# (`**县…20**年`, `**个村`), follow a digit or `《“`, or enclose only marks (`：**，电话：**`).
_TEXT_BOLD = lazy_compile(r"(?<![*_\\\d《“‘（(])(\*\*)(?=[^\s*_，。；：、,;:])([^*_\n]{2,40}?)"
                        r"(?<=[^\s*_\d，。；：、,;:])\*\*(?![*_])(?=$|[\s:：，,。；;、！!？?)）.．])", re.M)


def _blank(text: str, start: int, end: int, chars: list) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


_LIST_ITEM = lazy_compile(r"^([-+*]|\d{1,9}[.)])( {1,4}(?=\S)|\t|$)")
_ATX_HEADING = lazy_compile(r"^#{1,6}(?:\s|$)")
_FRONT_MATTER_KEY = lazy_compile(r"^[A-Za-z_][\w-]*\s*:")


@functools.lru_cache(maxsize=None)
def _cjk():
    """Compiled on first use (only Markdown with indented lines needs it): see _private_use."""
    return re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def _indent(line: str) -> int:
    """Width of the leading whitespace, tabs to the next multiple of 4 (CommonMark)."""
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _mostly_chinese(line: str) -> bool:
    """Chinese prose indented by four spaces (a first-line indent pasted from Word), not code."""
    visible = "".join(line.split())
    return bool(visible) and len(_cjk().findall(visible)) * 2 >= len(visible)


def _front_matter(lines: list) -> tuple:
    """(mapping, index of the closing line) for a YAML front matter block, else ({}, None)."""
    if not lines or lines[0].rstrip() != "---":
        return {}, None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            import yaml  # only Markdown with front matter needs it

            block = "\n".join(lines[1:i])
            try:
                loaded = yaml.safe_load(block)
            except yaml.YAMLError:
                loaded = None
                if not _FRONT_MATTER_KEY.match(lines[1] if i > 1 else ""):
                    return {}, None  # a thematic break followed by prose, not front matter
            if loaded is None or isinstance(loaded, dict):
                return loaded or {}, i
            return {}, None
    return {}, None


def markdown_prose(text: str) -> tuple[str, dict, Optional[int]]:
    """Blank out front matter, fenced and indented code, and HTML comments.

    Follows CommonMark where it matters for line-based rules: an indented line continues a
    paragraph or a list item instead of starting code; a fence may sit inside a list item.
    One deliberate difference: a four-space-indented line that is mostly Chinese is prose
    (a first-line indent pasted from Word), not code.

    Returns (prose, front_matter, front_matter_end_line)."""
    chars = list(text)
    lines = text.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    front, closing = _front_matter(lines)
    fm_end_line = None
    start_line = 0
    if closing is not None:
        _blank(text, 0, offsets[closing] + len(lines[closing]), chars)
        fm_end_line = start_line = closing + 1
    fence = None  # (char, length) of the open fence
    paragraph_open = False  # the previous line was paragraph text: an indented line continues it
    blank_before = True
    list_indent = None  # content column of the current list item
    for i in range(start_line, len(lines)):
        line = lines[i]
        begin, end = offsets[i], offsets[i] + len(line)
        stripped = line.strip()
        if fence is not None:
            _blank(text, begin, end, chars)
            if _indent(line) - (list_indent or 0) <= 3 and stripped.startswith(fence[0] * fence[1]) \
                    and not stripped.strip(fence[0]):
                fence = None
            continue
        if not stripped:
            paragraph_open, blank_before = False, True
            continue
        indent = _indent(line)
        base = list_indent if list_indent is not None and indent >= list_indent else 0
        if base == 0 and list_indent is not None and blank_before:
            list_indent = None  # a block at the left margin after a blank line ends the list
        relative = indent - base
        content = line.lstrip(" \t")
        m = _FENCE.match(content)
        if relative <= 3 and m:
            fence = (m.group(1)[0], len(m.group(1)))
            _blank(text, begin, end, chars)
            paragraph_open, blank_before = False, False
            continue
        if relative >= 4 and not paragraph_open and not _mostly_chinese(line):
            _blank(text, begin, end, chars)  # indented code block
            blank_before = False
            continue
        item = _LIST_ITEM.match(content) if relative <= 3 else None
        if item:
            list_indent = indent + len(item.group(0)) if item.group(2).strip(" ") != "\t" else indent + len(item.group(1)) + 4
        paragraph_open = not (relative <= 3 and _ATX_HEADING.match(content))
        blank_before = False
    masked = "".join(chars)
    # No comment closes after the last "-->": searching only up to it keeps each unclosed
    # "<!--" from scanning to the end of the text (thousands of them: quadratic).
    closes = masked.rfind("-->") + 3
    for m in _HTML_COMMENT.finditer(masked, 0, closes if closes > 2 else 0):
        _blank(text, m.start(), m.end(), chars)
    return "".join(chars), front, fm_end_line


class Lines(Sequence):
    """The lines of a text, without their newlines, as a read-only list: indexing, slicing,
    len, iteration and comparison with a list work as on `text.split("\\n")`.

    Each line is cut from the text when it is asked for, not kept: the line strings of a
    big file took more memory than its text (17 MB beside 13 MB for a 20 MB file) for as long
    as it was linted. Iteration splits the text a block at a time, at C speed."""

    __slots__ = ("_text", "_starts")
    BLOCK = 1 << 16  # characters split at a time while iterating

    def __init__(self, text: str, starts: list):
        self._text = text
        self._starts = starts  # offset where each line starts (Document.line_starts)

    def __len__(self) -> int:
        return len(self._starts)

    def _end(self, index: int) -> int:
        return self._starts[index + 1] - 1 if index + 1 < len(self._starts) else len(self._text)

    def __getitem__(self, index):
        starts = self._starts
        if isinstance(index, slice):
            first, stop, step = index.indices(len(starts))
            if step != 1:
                return [self[i] for i in range(first, stop, step)]
            return self._text[starts[first]:self._end(stop - 1)].split("\n") if first < stop else []
        if index < 0:
            index += len(starts)
            if index < 0:
                raise IndexError("line index out of range")
        start = starts[index]  # (IndexError past the end, as a list's)
        return self._text[start:starts[index + 1] - 1 if index + 1 < len(starts) else len(self._text)]

    def __iter__(self):
        return self._split(0, len(self._text))

    def between(self, first: int, stop: int):
        """self[first:stop], one line at a time."""
        first, stop, _ = slice(first, stop).indices(len(self._starts))
        return self._split(self._starts[first], self._end(stop - 1)) if first < stop else iter(())

    def _split(self, pos: int, end: int):
        """text[pos:end].split("\\n"), a block at a time."""
        text, block = self._text, self.BLOCK
        while pos + block < end:
            cut = text.find("\n", pos + block, end)
            if cut == -1:
                break
            yield from text[pos:cut].split("\n")
            pos = cut + 1
        yield from text[pos:end].split("\n")

    def __eq__(self, other):
        if isinstance(other, Lines):
            return self._text == other._text
        if isinstance(other, list):
            return len(other) == len(self) and list(self) == other
        return NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        return f"Lines({len(self)} lines)"


class Document:
    """One report, decoded. Rules read `text`/`prose`/`lines`; never the file."""

    def __init__(self, path: str, text: str, *, encoding: str = "utf-8", bom: bytes = b"",
                 newline: str = "\n", markup: Optional[str] = None, damaged_lines=(),
                 year: Optional[int] = None, year_reason: str = ""):
        self.path = path
        self.newline = newline
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.encoding = encoding
        self.bom = bom
        self.markup = markup or ("markdown" if path.lower().endswith(MARKDOWN_SUFFIXES) else "text")
        self.damaged_lines = list(damaged_lines)
        self.heading_levels: dict = {}  # line -> level, from Word styles (.docx)
        # A year fixed from outside (--year, config); inference lives in lint_reports.core.year.
        self.configured_year = year
        self.configured_year_reason = year_reason
        # Set while the engine lints it: the suppression comments found (core.suppress, for the
        # suppression kinds), the era mentions scanned once per era knowledge (kinds.era), and
        # the sentences other reports of the run share with it (core.runner's passage index,
        # for kinds.copied) and its own sentences as that index has them (read once per file).
        # What applies to the file (its settings, a kind's options) is not the document's: a
        # kind reads it from its core.context.RuleContext.
        self.suppressions: list = []
        self.era_scans: dict = {}  # id(Knowledge) -> Scan
        self.copied_hits: tuple = ()  # core.passages.Hit
        self.copied_record = None  # core.passages.Record of its substantial sentences, built once
        if self.markup == "markdown":
            self.prose, self.front_matter, self.front_matter_end = markdown_prose(self.text)
        else:
            self.prose, self.front_matter, self.front_matter_end = self.text, {}, None

    @classmethod
    def from_bytes(cls, path: str, data: bytes, **kwargs) -> "Document":
        decoded = decode(data)
        return cls(path, decoded.text, encoding=decoded.encoding, bom=decoded.bom,
                   newline=dominant_newline(decoded.text), damaged_lines=decoded.damaged_lines,
                   **kwargs)

    def encode(self, text: Optional[str] = None) -> bytes:
        """Bytes for `text` (default: this document) in the file's own encoding, BOM and newline."""
        body = self.text if text is None else text
        if self.newline != "\n":
            body = body.replace("\n", self.newline)
        return self.bom + body.encode(self.encoding)

    @cached_property
    def emphasis_marks(self) -> frozenset:
        """Offsets of Markdown `**`/`__` emphasis delimiters (not placeholders).

        A pair counts as emphasis unless it reads like a slot: `20**年`, `**县…20**年`.
        In plain text only bold set apart from the words around it counts (`_TEXT_BOLD`)."""
        if self.markup != "markdown":
            return self._text_bold_marks()
        marks = set()
        for m in _EMPHASIS.finditer(self.prose):
            inner = m.group(2)
            before = self.prose[m.start() - 1] if m.start() else ""
            after = self.prose[m.end()] if m.end() < len(self.prose) else ""
            if inner[-1].isdigit() or before.isdigit() or after in "年月日号":
                continue
            marks.update(range(m.start(), m.start() + 2))
            marks.update(range(m.end() - 2, m.end()))
        return frozenset(marks)

    def _text_bold_marks(self) -> frozenset:
        text = self.prose
        if "**" not in text:
            return frozenset()
        marks: set = set()
        position = text.find("**")
        while position != -1:  # only the lines holding two pairs of stars are searched
            end = text.find("\n", position)
            end = len(text) if end == -1 else end
            if text.find("**", position + 2, end) != -1:
                start = text.rfind("\n", 0, position) + 1
                for m in _TEXT_BOLD.finditer(text, start, end):
                    marks.update((m.start(1), m.start(1) + 1, m.end() - 2, m.end() - 1))
            position = text.find("**", end)
        return frozenset(marks)

    @cached_property
    def lines(self) -> "Lines":
        return Lines(self.text, self.line_starts)

    @cached_property
    def prose_lines(self) -> "Lines":
        if self.prose is self.text:  # nothing masked (a .txt file): the same lines
            return self.lines
        return Lines(self.prose, self.line_starts)  # prose keeps every newline where it was

    @cached_property
    def line_starts(self) -> list:
        starts = [0]
        find = self.text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        return starts

    def position(self, offset: int) -> tuple:
        """(line, column), both 1-based, for an offset into text."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def offset(self, line: int, column: int = 1) -> int:
        return self.line_starts[line - 1] + column - 1

    def line_end(self, line: int) -> int:
        """Offset of the end of a 1-based line: its newline, or the end of the text."""
        starts = self.line_starts
        return starts[line] - 1 if line < len(starts) else len(self.text)

    def line_span(self, line: int) -> tuple:
        """(start, end) offsets of a 1-based line, without its newline."""
        return self.line_starts[line - 1], self.line_end(line)

    @cached_property
    def structure(self):
        from .structure import Structure

        return Structure(self)

    def forget_rule_caches(self) -> None:
        """Drop what the rules built on this document (its structure, the era mentions, its
        sentence record) once they have all run: the steps after them (anchors, fix regions,
        the output) need only the text and its lines, and on a big file those caches are a
        third of its memory. Asked for again, each is built again."""
        self.__dict__.pop("structure", None)
        self.era_scans = {}
        self.copied_record = None
