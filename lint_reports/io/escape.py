"""Text that came from outside (a document, a file name, a config, a rule pack, an editor),
made safe to show.

- `visible(text)`: for every human-readable output (text and GitHub output, error lines,
  --diff headers, --explain, --verbose, HTML, language-server messages). A control
  character (C0, DEL, C1: the ESC of a terminal sequence, a newline that would forge
  another finding line), a bidirectional override or isolate, a line or paragraph
  separator, or a lone surrogate is shown as an escape (`\\x1b`, `\\u202e`) instead of
  acting on the terminal, the log or the page:

      visible("a\\x1b]0;owned\\x07b")  ->  "a\\\\x1b]0;owned\\\\x07b"
      visible("账单\\u202etxt.exe")     ->  "账单\\\\u202etxt.exe"

- `for_xml(text)`: the characters XML 1.0 cannot carry at all, even escaped, shown the
  same way; everything else is kept (JUnit stays lossless where XML allows it).
- `git_quoted(name)`: a file name in a diff header, quoted as git quotes it when needed.
- `key_name(value)`: a key or name read from a file, quoted only when it looks like one
  (`selct`, `my-rule`), else None: the first line of a file that is not a config (a
  password hash from a system file is a "key" to YAML) is never echoed in an error.
"""
from __future__ import annotations

import re

# C0 and DEL and C1; Arabic letter mark, LRM/RLM; line and paragraph separators;
# bidi embeddings/overrides (U+202A-202E) and isolates (U+2066-2069); lone surrogates;
# the noncharacters U+FFFE and U+FFFF (which XML, and so an HTML page read as XML, forbids).
_UNSAFE = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
_UNSAFE_CHAR = re.compile(f"[{_UNSAFE}]")
# the same, less tab and newline
UNSAFE_KEEPING_LAYOUT = re.compile(f"[\x00-\x08\x0b-\x1f{_UNSAFE[len(chr(0) + '-' + chr(0x1f)):]}]")
# XML 1.0: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_KEY_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")


def escape_char(char: str) -> str:
    """`\\x1b` for a character below U+0100, else `\\u202e`."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _escape(match) -> str:
    return escape_char(match.group())


def visible(text, keep_layout: bool = False) -> str:
    """`text` with every unsafe character shown as an escape; with `keep_layout`, tabs and
    newlines stay (for multi-line outputs such as --explain)."""
    text = str(text)
    pattern = UNSAFE_KEEPING_LAYOUT if keep_layout else _UNSAFE_CHAR
    return pattern.sub(_escape, text) if pattern.search(text) else text


def for_xml(text: str) -> str:
    """`text` with the characters XML 1.0 forbids shown as escapes."""
    return _NOT_XML.sub(_escape, text) if _NOT_XML.search(text) else text


def key_name(value):
    """`value` if it is a plausible key or name (ASCII letters, digits, `-` and `_`, at most
    40 characters), else None."""
    return value if isinstance(value, str) and _KEY_NAME.fullmatch(value) else None


def quoted_name(value, what: str) -> str:
    """`'my-rule'` for a value that looks like a name, else `(an id not shown)`."""
    name = key_name(value)
    return f"'{name}'" if name is not None else f"({what} not shown)"

_C_ESCAPES = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r",
              '"': '\\"', "\\": "\\\\"}


def git_quoted(name: str) -> str:
    """`name` as it is, or, when it holds an unsafe character (a newline would forge a
    `+++` header) or starts with a quote, in double quotes with C escapes and octal bytes
    for the rest, as git writes such names and `git apply` reads them back."""
    if not _UNSAFE_CHAR.search(name) and not name.startswith('"'):
        return name
    out = []
    for char in name:
        if char in _C_ESCAPES:
            out.append(_C_ESCAPES[char])
        elif _UNSAFE_CHAR.match(char):
            out.append("".join(f"\\{byte:03o}" for byte in char.encode("utf-8", "surrogatepass")))
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
