"""What `--fix` would do, told before it does it: the `[*]` mark of the text format, the
"N fixable with --fix" of its summary, `--show-fixes`, JSON's `fixable` and SARIF's `fixes`.

The engine calls `locate` once per linted document: each finding whose edit `--fix` would
apply (lint_reports.core.fix decides, with the same test it applies when fixing) gets its
`fix_region`, the edit's place in lines and columns and the text it replaces, so every
output can describe the fix without the document (which a format never holds, and the
cache does not keep).

    全年完成投资、投资5亿元。  ->  repetition-word [*], fix_region (1, 7, 1, 10, "投资、")
    今年**县完成投资。          ->  placeholder-stars, no fix_region: a person must fill it in
"""
from __future__ import annotations

import unicodedata


def locate(doc, findings) -> None:
    """Set `fix_region` on each finding --fix would repair."""
    if doc.markup == "docx":
        return  # --fix never rewrites a Word file
    candidates = [f for f in findings if f.fix is not None]
    if not candidates:
        return
    from .fix import is_fixable  # only a document with a fix needs it

    text = doc.text
    for finding in candidates:
        # One finding at a time: an edit overlapping another one's only waits for the next
        # round of --fix, it is still applied (is_fixable: what fixable_edits keeps of it alone).
        if not is_fixable(doc, finding):
            continue
        edit = finding.fix
        line, column = doc.position(edit.start)
        end_line, end_column = doc.position(edit.end)
        finding.fix_region = (line, column, end_line, end_column, kept_text(text, edit.start, edit.end))


# Characters of a replaced text kept whole; of a longer one (a repeated copy of a page's body,
# deleted whole) only what `describe` reads, so that a finding and its cache entry do not
# carry a copy of the text it deletes.
KEPT_CHARS = 256


def kept_text(text: str, start: int, end: int) -> str:
    """text[start:end], or for a long span its head, its last character and as many newlines
    between (up to two) as it holds: what `describe` says of it is the same."""
    if end - start <= KEPT_CHARS:
        return text[start:end]
    head_end = start + KEPT_CHARS // 2
    newlines = min(2, text.count("\n", head_end, end - 1))
    return text[start:head_end] + "\n" * newlines + "…" + text[end - 1]


def _shown_char(char: str) -> str:
    """A character as it reads in a description: a newline as ⏎, a space other than the
    ASCII one or an invisible format character as its escape (a fix of U+00A0 to a space
    must not read as “ ” to “ ”)."""
    if char == "\n":
        return "⏎"
    if char != " " and unicodedata.category(char) in ("Zs", "Cf", "Cc", "Co"):
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return char


def _quote(text: str, limit: int = 40) -> str:
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    return "“" + "".join(_shown_char(c) for c in text) + "”"


def describe(finding) -> str:
    """The fix in words, in the language of the messages: 删除“…” / 将“…”改为“…” / 插入“…”."""
    old = finding.fix_region[4]
    new = finding.fix.replacement
    if old == "\n" and not new:
        return "把下一行接到这一行后面"
    if not new:
        if old.endswith("\n") and old.count("\n") == 1:
            return f"删除这一行{_quote(old[:-1])}"
        return f"删除{_quote(old)}"
    if not old:
        return f"插入{_quote(new)}"
    return f"将{_quote(old)}改为{_quote(new)}"
