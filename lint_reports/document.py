"""bytes -> Document: decoding, lines, offset <-> (line, column), Markdown masking.

A Document keeps the decoded text with line endings normalised to "\\n" (rules see one
newline), remembers how to write it back (encoding, BOM, newline), and offers `prose`:
the same text with everything that is not report prose (Markdown code, front matter,
HTML comments) blanked out by spaces, so offsets and line numbers stay the file's own.
"""
from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Optional

import yaml

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


_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _clean_share(text: str) -> float:
    """Share of the non-ASCII characters that decoded to real text: neither U+FFFD nor a
    private-use code point (what GB18030 makes of Big5 or of random bytes)."""
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if not non_ascii:
        return 0.0
    return 1 - (text.count("\ufffd") + len(_PRIVATE_USE.findall(text))) / non_ascii


def decode(data: bytes) -> Decoded:
    """Decode report bytes: BOM first, then UTF-8, then GB18030 (covers GBK/GB2312) or Big5.

    A UTF-8 file with a few damaged bytes stays UTF-8: the damage is replaced by U+FFFD and
    its lines are listed in `damaged_lines` (a rule reports them). A file that is mostly not
    UTF-8 is read as whichever of GB18030 and Big5 gives real text, again with any damage
    replaced and listed. Binary files and byte soup raise DecodeError.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _replaced(data[len(bom):], encoding, bom)
    if looks_binary(data):
        raise DecodeError("binary file (not text)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    # Multi-byte UTF-8 sequences almost never occur by chance in GBK text, so the first
    # candidate that reads as real text wins; UTF-8 first.
    candidates = [_replaced(data, encoding) for encoding in ("utf-8", "gb18030", "big5")]
    shares = [_clean_share(candidate.text) for candidate in candidates]
    for candidate, share in zip(candidates, shares):
        if share >= 0.8:
            return candidate
    if max(shares) >= 0.5:  # badly damaged text, but text: read it and report the damage
        return candidates[shares.index(max(shares))]
    as_utf8 = candidates[0]
    if as_utf8.text.count("\ufffd") * 100 <= len(as_utf8.text):
        return as_utf8  # ASCII text with a stray byte or two
    raise DecodeError("not text in UTF-8, UTF-16 or GB18030/GBK")


def dominant_newline(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    best = max((lf, "\n"), (crlf, "\r\n"), (cr, "\r"))
    return best[1] if best[0] else "\n"


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_EMPHASIS = re.compile(r"(?<![*_\\])(\*\*|__)(?=[^\s*_])([^*_\n]{1,40}?)(?<=[^\s*_])\1(?![*_])")


def _blank(text: str, start: int, end: int, chars: list) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def markdown_prose(text: str) -> tuple[str, dict, Optional[int]]:
    """Blank out front matter, fenced and indented code, and HTML comments.

    Returns (prose, front_matter, front_matter_end_line)."""
    chars = list(text)
    front: dict = {}
    fm_end_line = None
    lines = text.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    start_line = 0
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                block = "\n".join(lines[1:i])
                try:
                    loaded = yaml.safe_load(block)
                    front = loaded if isinstance(loaded, dict) else {}
                except yaml.YAMLError:
                    front = {}
                _blank(text, 0, offsets[i] + len(lines[i]), chars)
                fm_end_line = i + 1
                start_line = i + 1
                break
    fence = None
    previous_blank = True
    for i in range(start_line, len(lines)):
        line = lines[i]
        begin, end = offsets[i], offsets[i] + len(line)
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)[0] * len(m.group(1))
            _blank(text, begin, end, chars)
        elif fence is not None:
            _blank(text, begin, end, chars)
            if line.strip().startswith(fence) and line.strip().strip(fence[0]) == "":
                fence = None
        elif previous_blank and (line.startswith("    ") or line.startswith("\t")) and line.strip():
            _blank(text, begin, end, chars)  # indented code block
            continue
        previous_blank = not line.strip()
    prose = "".join(chars)
    for m in _HTML_COMMENT.finditer(prose):
        _blank(prose, m.start(), m.end(), chars)
    return "".join(chars), front, fm_end_line


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
        # A year fixed from outside (--year, config); inference lives in lint_reports.year.
        self.configured_year = year
        self.configured_year_reason = year_reason
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

        A pair counts as emphasis unless it reads like a slot: `20**年`, `**县…20**年`."""
        if self.markup != "markdown":
            return frozenset()
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

    @cached_property
    def lines(self) -> list:
        return self.text.split("\n")

    @cached_property
    def prose_lines(self) -> list:
        return self.prose.split("\n")

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

    def line_span(self, line: int) -> tuple:
        """(start, end) offsets of a 1-based line, without its newline."""
        start = self.line_starts[line - 1]
        return start, start + len(self.lines[line - 1])

    @cached_property
    def structure(self):
        from .structure import Structure

        return Structure(self)
