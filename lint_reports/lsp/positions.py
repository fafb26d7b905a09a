"""Character columns <-> LSP positions.

Findings count columns in characters (code points). LSP counts in the code units of the
negotiated position encoding: UTF-16 by default, where a character outside the BMP (𠮷,
emoji) takes two units. Lines are the Document's lines: the text split on "\\n" after CRLF
and CR were normalised, which are exactly LSP's line breaks."""
from __future__ import annotations

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def _units(char: str, encoding: str) -> int:
    code = ord(char)
    if encoding == UTF32:
        return 1
    if encoding == UTF8:
        return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
    return 2 if code >= 0x10000 else 1


def to_client(line: str, column: int, encoding: str = UTF16) -> int:
    """Code units before 0-based character `column` of `line` (clamped to the line)."""
    if encoding not in (UTF8, UTF16, UTF32):
        raise ValueError(f"unknown position encoding {encoding!r}")
    prefix = line[:column]
    if encoding == UTF32 or prefix.isascii():
        return len(prefix)
    if encoding == UTF16:  # a lone surrogate (JSON allows "\ud800") is one code unit
        return len(prefix.encode("utf-16-le", "surrogatepass")) // 2
    return len(prefix.encode("utf-8", "surrogatepass"))


def from_client(line: str, units: int, encoding: str = UTF16) -> int:
    """0-based character column at `units` code units into `line`; a position inside a
    character (half a surrogate pair) counts as that character's start; past the end clamps."""
    if encoding == UTF32 or line.isascii():
        return min(max(units, 0), len(line))
    seen = 0
    for index, char in enumerate(line):
        width = _units(char, encoding)
        if seen + width > units:
            return index
        seen += width
    return len(line)
