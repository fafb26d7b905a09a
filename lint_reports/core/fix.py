"""`--fix` and `--diff`: apply the unambiguous edits findings carry, and write safely.

What is fixed: an `Edit` (offsets into Document.text) from a finding whose category a
machine can repair without knowing the facts — artifact lines and fragments removed,
mojibake and traditional characters replaced, broken lines joined, doubled words
reduced, punctuation width. Never a placeholder, an outdated reference or a missing
section: only a human knows the county, the date or the current wording, so edits from
rules in NEVER_FIXED are ignored whatever a rule pack says.

How: lint, take the edits (overlapping ones: the first wins, the rest wait), apply them,
lint again, until nothing is left to fix (at most MAX_ROUNDS rounds), so a second run
changes nothing. The bytes are rebuilt from the original ones: same encoding, same BOM
and the same line ending on every line that keeps its newline (mixed CRLF/LF files stay
mixed); a file that would not round-trip byte for byte (undecodable bytes) is not touched.
The write is a temporary file in the same directory, fsynced, given the old owner and then
the old mode (setuid, setgid and sticky bits included), then renamed over the original: a
crash leaves the old file or the new one, never half of one. Just before the rename the file
is checked to be still what was read (size, mtime, inode, SHA-256 of its bytes): a line
saved by an editor while a long fix ran is never lost, the file is left alone and named in
an error instead.
"""
from __future__ import annotations

import bisect
import difflib
import hashlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .document import DecodeError, Document, decode
from .finding import Edit
from ..io.safeio import read_regular

NEVER_FIXED = frozenset({"placeholder", "outdated", "section"})
MAX_ROUNDS = 10
_LINE_END = re.compile(r"\r\n|\r|\n")


class FixError(Exception):
    """This file cannot be fixed (read-only, not round-trippable); one line, names no path."""


@dataclass
class Source:
    """A file's text with what `Document` normalises away: each newline's own bytes."""

    text: str  # newlines normalised to "\n", as Document.text
    endings: list  # the original terminator of each "\n" in `text`, in order
    encoding: str
    bom: bytes
    default_ending: str = "\n"

    @classmethod
    def from_bytes(cls, data: bytes, default_ending: str = "\n") -> "Source":
        decoded = decode(data)
        endings = [m.group(0) for m in _LINE_END.finditer(decoded.text)]
        text = _LINE_END.sub("\n", decoded.text)
        return cls(text, endings, decoded.encoding, decoded.bom, default_ending)

    def render(self) -> bytes:
        pieces = self.text.split("\n")
        out = [pieces[0]]
        for ending, piece in zip(self.endings, pieces[1:]):
            out.append(ending)
            out.append(piece)
        return self.bom + "".join(out).encode(self.encoding)

    def apply(self, edits: list) -> "Source":
        """A new Source with non-overlapping `edits` applied; a removed newline takes its
        ending with it, an inserted one gets the ending of one it replaces or the file's own.
        One pass in text order: the cost grows with the text and the edits, not with their
        product (a big file with thousands of fixes)."""
        text, endings = self.text, self.endings
        pieces, new_endings = [], []
        position = newlines = 0  # where the unchanged text resumes; newlines before it
        for edit in sorted(edits, key=lambda e: (e.start, e.end)):
            first = newlines + text.count("\n", position, edit.start)
            removed = text.count("\n", edit.start, edit.end)
            new_endings += endings[newlines:first]
            added = edit.replacement.count("\n")
            new_endings += (endings[first:first + removed] + [self.default_ending] * added)[:added]
            pieces += (text[position:edit.start], edit.replacement)
            position, newlines = edit.end, first + removed
        pieces.append(text[position:])
        new_endings += endings[newlines:]
        return Source("".join(pieces), new_endings, self.encoding, self.bom, self.default_ending)


def _inside_own_lines(doc: Document, edit, start: int, end: int) -> bool:
    """Whether `edit` stays within the lines of text[start:end] and the newlines around them:
    the narrowest window `_lines_window` gives, so inside it means inside that window too."""
    starts = doc.line_starts
    first = bisect.bisect_right(starts, start) - 1
    low = starts[first] - 1
    if edit.start < low:
        return False
    last = bisect.bisect_right(starts, max(start, end - 1), first) - 1
    high = starts[last + 1] if last + 1 < len(starts) else len(doc.text)  # the line's newline included
    return edit.end <= high


def _lines_window(doc: Document, start: int, end: int) -> tuple:
    """Offsets an edit for the finding text[start:end] may touch: the finding's own lines,
    plus the newline before and after them (deleting or joining those lines), and the blank
    lines next to them (a deleted line may take its gap along, so no gap of blank lines grows)."""
    first_line, _ = doc.position(start)
    last_line, _ = doc.position(max(start, end - 1))
    lines = doc.lines
    while first_line > 1 and not lines[first_line - 2].strip():
        first_line -= 1
    while last_line < len(doc.line_starts) and not lines[last_line].strip():
        last_line += 1
    low = doc.line_starts[first_line - 1]
    high = doc.line_span(last_line)[1]
    return max(0, low - 1), min(len(doc.text), high + 1)


def fixable_edits(doc: Document, findings: list) -> list:
    """The edits to apply now: from fixable categories, inside the lines of their finding,
    and not overlapping an earlier one (those wait for the next round)."""
    candidates = [finding.fix for finding in findings if is_fixable(doc, finding)]
    return _without_emptied_lines(doc, _first_of_overlapping(candidates))


def is_fixable(doc: Document, finding) -> bool:
    """Whether --fix would apply this finding's edit were it the only one: it has an edit,
    of a fixable category, inside the lines it flagged, that changes something. (Alone, an
    edit `fixable_edits` keeps is never dropped: at most it is widened to its whole line.)"""
    edit = finding.fix
    if edit is None or finding.category in NEVER_FIXED:
        return False
    if not 0 <= edit.start <= edit.end <= len(doc.text):
        return False
    if finding.whole_document:  # about the document from its line on (a page converted as a whole)
        low, high = doc.line_starts[finding.line - 1], len(doc.text)
    elif _inside_own_lines(doc, edit, finding.start, finding.end):
        return doc.text[edit.start:edit.end] != edit.replacement  # (the common case: no blank lines to look at)
    else:
        low, high = _lines_window(doc, finding.start, finding.end)
    if edit.start < low or edit.end > high:
        return False  # a rule may not change a line it did not flag
    return doc.text[edit.start:edit.end] != edit.replacement


def _first_of_overlapping(candidates) -> list:
    chosen: list = []
    last_start = last_end = -1
    for edit in sorted(set(candidates), key=lambda e: (e.start, e.end, e.replacement)):
        if edit.start < last_end:
            continue
        if edit.start == edit.end == last_start == last_end:
            continue  # two insertions at one place: order would be a guess
        chosen.append(edit)
        last_start, last_end = edit.start, edit.end
    return chosen


def _without_emptied_lines(doc: Document, edits: list) -> list:
    """Lines that the edits remove whole go as one plan (pattern.lines_edits), whichever rules
    flagged them: a line whose every character the edits remove (an escape, a pagination widget
    and a stray `|<<`, each flagged by its own rule) goes as a whole line, not as a blank one,
    and lines deleted by different rules around a blank line do not leave two blank lines where
    there was one."""
    by_line: dict = {}
    whole: dict = {}  # edit -> the non-blank lines it deletes, when that is all it does
    for edit in edits:
        line, _ = doc.position(edit.start)
        if "\n" not in doc.text[edit.start:edit.end] and "\n" not in edit.replacement:
            by_line.setdefault(line, []).append(edit)
        elif not edit.replacement:
            deleted = _whole_lines_deleted(doc, edit)
            if deleted:
                whole[id(edit)] = deleted
    emptied = [line for line, line_edits in by_line.items() if _empties_line(doc, line, line_edits)]
    if not emptied and len(whole) < 2:
        return edits  # one whole-line deletion alone is already planned by its rule
    from ..kinds.pattern import lines_edits

    gone = {id(edit) for line in emptied for edit in by_line[line]} | set(whole)
    lines = emptied + [line for deleted in whole.values() for line in deleted]
    kept = [edit for edit in edits if id(edit) not in gone]
    return _first_of_overlapping(kept + lines_edits(doc, lines))


_NON_SPACE = re.compile(r"\S")


def _empties_line(doc: Document, line: int, edits: list) -> bool:
    """Whether the (non-overlapping) edits leave only spaces of a line that had text. Searched
    in place from gap to gap, never copied: a long line with a finding every few characters
    must cost in proportion to its length, not to its length times its findings."""
    start, end = doc.line_span(line)
    text = doc.text
    if not _NON_SPACE.search(text, start, end):
        return False  # a blank line is not emptied by an edit
    position = start
    for edit in sorted(edits, key=lambda e: e.start):
        if _NON_SPACE.search(text, position, edit.start) or edit.replacement.strip():
            return False
        position = max(position, edit.end)
    return not _NON_SPACE.search(text, position, end)


def _whole_lines_deleted(doc: Document, edit) -> list:
    """The non-blank lines `edit` (a deletion) removes whole, if besides them it removes only
    newlines and blank lines; else []."""
    first, _ = doc.position(edit.start)
    last, _ = doc.position(max(edit.start, edit.end - 1))
    deleted, rest = [], []
    position = edit.start
    for line in range(first, last + 1):
        start, end = doc.line_span(line)
        if not doc.text[start:end].strip():
            continue
        if start < edit.start or end > edit.end:
            return []
        rest.append(doc.text[position:start])
        position = end
        deleted.append(line)
    rest.append(doc.text[position:edit.end])
    return deleted if not "".join(rest).strip() else []


@dataclass
class FixResult:
    original: bytes
    fixed: bytes
    findings: list  # what remains after fixing
    applied: int = 0  # edits applied over all rounds
    source: Source = None
    copied_hits: tuple = ()  # the passage hits the remaining findings were linted with

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def _document_like(doc: Document, text: str) -> Document:
    fixed = Document(doc.path, text, encoding=doc.encoding, bom=doc.bom, newline=doc.newline,
                     markup=doc.markup, year=doc.configured_year, year_reason=doc.configured_year_reason)
    if doc.copied_hits:  # the run's passage index is not built again: its hits move with their sentences
        from .passages import relocate

        fixed.copied_hits = relocate(doc.copied_hits, fixed)
    return fixed


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def fix_document(linter, doc: Document, rel: str, data: bytes, findings=None) -> FixResult:
    """Fix `doc` (decoded from `data`) until stable. Raises FixError if it cannot be
    written back byte for byte."""
    if findings is None:
        findings = linter.lint(doc, rel)
    source = Source.from_bytes(data, doc.newline)
    if source.render() != data or source.text != doc.text:
        lines = ", ".join(str(n) for n in doc.damaged_lines[:5])
        why = f"undecodable bytes on line {lines}" if lines else "its bytes do not survive decoding"
        raise FixError(f"not fixed: {why}; repair the encoding first")
    applied = 0
    seen = {_digest(source.text)}  # digests: ten rounds of a big file must not keep ten copies
    original_text = source.text
    for _ in range(MAX_ROUNDS):
        edits = fixable_edits(doc, findings)
        if not edits:
            break
        source = source.apply(edits)
        source = source.apply(exposed_blank_ends(original_text, source.text))
        applied += len(edits)
        doc = _document_like(doc, source.text)
        findings = linter.lint(doc, rel)
        if _digest(source.text) in seen:
            break  # two rules undoing each other: stop rather than loop
        seen.add(_digest(source.text))
    fixed = source.render()
    if fixed != data:
        try:
            reread = decode(fixed)
        except DecodeError:  # deleting the text around stray control bytes left only them
            raise FixError("not fixed: what would remain does not read as text; edit it by hand") from None
        if reread.encoding != source.encoding:
            # A short remainder can read as another encoding (UTF-8 "¡" as GB18030 "隆"): the
            # next run would see other text, and a fix must be stable.
            raise FixError(f"not fixed: what would remain would read as {reread.encoding}, "
                           f"not {source.encoding}; edit it by hand")
    return FixResult(data, fixed, findings, applied, source, doc.copied_hits)


_BLANK_HEAD = re.compile(r"(?:[ \t\u3000]*\n)*")


def _blank_lines_at_head(text: str) -> tuple:
    """How many blank lines open `text`, and where each ends (after its newline)."""
    ends = [i + 1 for i, ch in enumerate(_BLANK_HEAD.match(text).group()) if ch == "\n"]
    return len(ends), ends


def _newlines_at_tail(text: str) -> list:
    """Where the newlines after the last non-blank character of `text` stand."""
    end = len(text.rstrip())
    return [end + i for i, ch in enumerate(text[end:]) if ch == "\n"]


def exposed_blank_ends(original: str, text: str) -> list:
    """Edits taking away the blank lines that deletions left at the start or the end of `text`
    beyond those `original` had there: furniture deleted above a title leaves the blank line
    that followed it, furniture deleted at the foot the blank lines above it. A fix must not
    give a file a blank first line or blank lines at its end that it did not have."""
    if not text.strip():
        return []
    edits = []
    had, _ = _blank_lines_at_head(original)
    has, ends = _blank_lines_at_head(text)
    if has > had:
        edits.append(Edit(0, ends[has - had - 1], ""))
    newlines = _newlines_at_tail(text)
    keep = len(_newlines_at_tail(original))
    if len(newlines) > keep:
        edits.append(Edit(newlines[keep], len(text), ""))
    return edits


def unpatchable_encoding(data: bytes) -> Optional[str]:
    """The encoding of a file no text patch can carry (UTF-16/32: every byte of a newline is
    one of two, and `git apply` takes the file for binary), else None. A hunk of such a file
    would make `git apply` refuse the whole patch, the other files' hunks with it."""
    encoding = decode(data).encoding
    return encoding.upper() if encoding.startswith(("utf-16", "utf-32")) else None


def unified_diff(display: str, before: bytes, after: bytes) -> bytes:
    """A unified diff of the file's own bytes, as `git apply` and `patch -p1` apply it: each
    line in the file's encoding, with its own line ending (CRLF stays CRLF) and the BOM on
    the first line, so applying it gives exactly what --fix writes. The names in the headers
    are UTF-8, quoted as git quotes them (a newline in a name would forge a header).
    Not for a file of an `unpatchable_encoding`."""
    from ..io.escape import git_quoted

    name = display.lstrip("/")
    old_name, new_name = git_quoted(f"a/{name}").encode("utf-8"), git_quoted(f"b/{name}").encode("utf-8")
    # UTF-8, GB18030, Big5: a 0x0A byte is a newline and nothing else
    old, new = _lines_ending_in_lf(before), _lines_ending_in_lf(after)
    lines = []
    for line in difflib.diff_bytes(difflib.unified_diff, old, new, old_name, new_name):
        lines.append(line if line.endswith(b"\n") else line + b"\n\\ No newline at end of file\n")
    return b"".join(lines)


def _lines_ending_in_lf(data: bytes) -> list:
    """Lines as `patch` and `git apply` cut them: after each LF only (a CR stays in the line)."""
    lines = data.split(b"\n")
    last = lines.pop()
    out = [line + b"\n" for line in lines]
    if last:
        out.append(last)
    return out


def check_writable(path: Path) -> None:
    """Refuse a file its owner marked read-only (root could write it, we still do not)."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise FixError(f"cannot fix: {exc.strerror or exc}") from None
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise FixError("cannot fix: the file is read-only (left untouched)")


@dataclass(frozen=True)
class Snapshot:
    """What the file was when it was read: a fix replaces only that file."""

    size: int
    mtime_ns: int
    inode: int
    digest: bytes

    @classmethod
    def of(cls, info: os.stat_result, data: bytes) -> "Snapshot":
        return cls(info.st_size, info.st_mtime_ns, info.st_ino, hashlib.sha256(data).digest())

    def still(self, path: Path) -> bool:
        """Whether `path` still holds exactly what was read (an editor that saved it in the
        meantime changed its size, its mtime, its inode or at least its bytes)."""
        try:
            info = path.stat()
            if (info.st_size, info.st_mtime_ns, info.st_ino) != (self.size, self.mtime_ns, self.inode):
                return False
            return hashlib.sha256(read_regular(path, self.size).data).digest() == self.digest
        except OSError:
            return False


CHANGED = "not fixed: the file changed while it was being fixed; it is left as it is now (run --fix again)"


def _keep_owner_and_mode(temp: str, info: os.stat_result) -> None:
    """Give the new file the old one's owner, then its mode: chown clears setuid/setgid, so
    the mode comes second. Where the owner cannot be given back (not root), the file becomes
    ours, as with any editor, and loses setuid/setgid: they would now grant our identity."""
    mode = stat.S_IMODE(info.st_mode)
    if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
        try:
            os.chown(temp, info.st_uid, info.st_gid)
        except OSError:
            mode &= ~(stat.S_ISUID | stat.S_ISGID)
    os.chmod(temp, mode)


def write_atomic(path: Path, data: bytes, expected: Optional[Snapshot] = None) -> None:
    """Replace the file's content with `data`: old or new content, never a mix. With
    `expected`, only if the file is still what was read: an edit saved while the fix ran
    is never overwritten (FixError instead)."""
    real = Path(os.path.realpath(path))  # write through a symlink, do not replace the link
    check_writable(real)
    info = real.stat()
    if not stat.S_ISREG(info.st_mode):
        raise FixError("cannot fix: not a regular file (left untouched)")
    if expected is not None and not expected.still(real):
        raise FixError(CHANGED)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".lint-reports-tmp", dir=real.parent)
    except OSError as exc:
        raise FixError(f"cannot fix: cannot create a file beside it: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _keep_owner_and_mode(temp, info)
        if expected is not None and not expected.still(real):  # once more, as late as we can
            raise FixError(CHANGED)
        os.replace(temp, real)
    except BaseException as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise FixError(f"cannot fix: {exc.strerror or exc} (left untouched)") from None
        raise
    try:  # make the rename itself durable
        directory = os.open(real.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except OSError:
        pass
