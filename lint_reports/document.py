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


def looks_binary(data: bytes) -> bool:
    """NUL bytes outside UTF-16/32 mean an image, archive or other binary file."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    head = data[:8192]
    return b"\x00" in head


def decode(data: bytes) -> Decoded:
    """Decode report bytes: BOM first, then UTF-8, then GB18030 (covers GBK/GB2312).

    A UTF-8 file with a few damaged bytes stays UTF-8 (damage replaced by U+FFFD and
    reported by the caller); a file that is mostly not UTF-8 is read as GB18030.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(encoding), encoding, bom)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {encoding} BOM but is not {encoding}: {exc.reason}") from None
    if looks_binary(data):
        raise DecodeError("binary file (contains NUL bytes)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    non_ascii = sum(1 for byte in data if byte >= 0x80)
    if bad * 20 > non_ascii:  # mostly not UTF-8: try the Chinese legacy encodings
        for encoding in ("gb18030", "big5"):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                continue
        raise DecodeError("not UTF-8, UTF-16 or GB18030/GBK text")
    damaged = sorted({replaced.count("\n", 0, m.start()) + 1 for m in re.finditer("\ufffd", replaced)})
    return Decoded(replaced, "utf-8", b"", damaged)


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
                import yaml  # only Markdown with front matter needs it

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
