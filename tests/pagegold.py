"""Real pages with their furniture marked: the format, and how findings are scored against it.

A page fixture is two files in `tests/pages/`:

    NAME.txt         the page text as a clerk would paste it (a real excerpt; its source is named in
                     tests/pages/SOURCES.md)
    NAME.furniture   what on the page is not the report, one entry a line:
                         12            line 12 is furniture as a whole
                         3-9           lines 3 to 9 are
                         40 "（责任编辑：王五）"   a piece of line 40 is (the quoted text, exactly)
                         14 blank "___"   a blank left in the body on line 14 (a deleted name or
                                          number): it must have a placeholder finding, and that
                                          finding is no false alarm
                     blank lines and lines starting with # are comments. Several pieces of one
                     line are listed in the order they appear on it: each is looked for after
                     the one before (so a piece that occurs twice, like an escape, is listed twice).

Everything not listed is the report's body: published text, where a finding of the categories in
BODY_QUIET is a false alarm. The same format marks the team's corpus-web pages (gold in
tools/corpus-web-gold/, scored by tools/measure_pages.py); the tests use only tests/pages/.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# Categories that must stay silent inside a published report's body.
BODY_QUIET = ("artifact", "placeholder", "outdated", "repetition")

_ENTRY = re.compile(r'^(\d+)(?:-(\d+))?(?:\s+(blank\s+)?"(.*)")?\s*$')


@dataclass
class Gold:
    whole_lines: set = field(default_factory=set)   # 1-based line numbers
    pieces: list = field(default_factory=list)      # (line, text)
    blanks: list = field(default_factory=list)      # (line, text): placeholders the body keeps

    @property
    def furniture_lines(self) -> set:
        return self.whole_lines | {line for line, _ in self.pieces}


def read_gold(path: Path) -> Gold:
    gold = Gold()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        match = _ENTRY.match(entry)
        if not match:
            raise ValueError(f"{path}:{number}: expected N, N-M or N \"text\", got {entry!r}")
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if match.group(3) is not None:
            gold.blanks.append((first, match.group(4)))
        elif match.group(4) is not None:
            gold.pieces.append((first, match.group(4)))
        else:
            gold.whole_lines.update(range(first, last + 1))
    return gold


@dataclass
class Score:
    furniture_total: int = 0
    furniture_found: int = 0
    missed: list = field(default_factory=list)        # (line, text)
    missed_blanks: list = field(default_factory=list)  # (line, text)
    body_alarms: list = field(default_factory=list)   # findings inside the body

    @property
    def recall(self) -> float:
        return self.furniture_found / self.furniture_total if self.furniture_total else 1.0


def _end_line(finding) -> int:
    value = finding.get("end_line", 0) if isinstance(finding, dict) else getattr(finding, "end_line", 0)
    return max(value or 0, finding["line"] if isinstance(finding, dict) else finding.line)


def score(text: str, gold: Gold, findings) -> Score:
    """Score findings (objects or dicts with line, column, end_column, category) against gold.

    A whole furniture line counts as found when an artifact finding starts on it (or covers it:
    a finding about whole lines, a repeated copy, covers each line to its end_line); a piece, when an
    artifact finding on its line covers the piece's first character. A body alarm is a finding of a
    BODY_QUIET category on a line that is not furniture, and on a furniture-piece line a finding
    that starts outside every piece (a doubled name inside a dateline piece is the piece's, not
    the body's)."""
    lines = text.split("\n")
    def get(finding, key):
        return finding[key] if isinstance(finding, dict) else getattr(finding, key)
    by_line: dict = {}
    for finding in findings:
        by_line.setdefault(get(finding, "line"), []).append(finding)
        # a finding about whole lines (a repeated copy of the body) covers each of them whole
        first, last = get(finding, "line"), _end_line(finding)
        for line in range(first + 1, last + 1):
            by_line.setdefault(line, []).append(
                {"line": line, "column": 1, "end_column": len(lines[line - 1]) + 2 if line <= len(lines) else 2,
                 "category": get(finding, "category"), "rule": get(finding, "rule"),
                 "message": get(finding, "message")})
    result = Score()
    for line in sorted(gold.whole_lines):
        if line > len(lines) or not lines[line - 1].strip():
            continue  # a blank line is neither furniture nor body
        result.furniture_total += 1
        if any(get(f, "category") == "artifact" for f in by_line.get(line, ())):
            result.furniture_found += 1
        else:
            result.missed.append((line, lines[line - 1]))
    piece_spans: dict = {}
    for line, piece, start in _locate(lines, gold):
        result.furniture_total += 1
        piece_spans.setdefault(line, []).append((start + 1, start + 1 + len(piece)))
        covered = any(get(f, "category") == "artifact"
                      and get(f, "column") <= start + 1 < get(f, "end_column")
                      for f in by_line.get(line, ()))
        if covered:
            result.furniture_found += 1
        else:
            result.missed.append((line, piece))
    blank_spans: dict = {}
    for line, blank, start in _locate(lines, gold, gold.blanks):
        blank_spans.setdefault(line, []).append((start + 1, start + 1 + len(blank)))
        if not any(get(f, "category") == "placeholder" and get(f, "column") <= start + 1 < get(f, "end_column")
                   for f in by_line.get(line, ())):
            result.missed_blanks.append((line, blank))
    for line, found in sorted(by_line.items()):
        if line in gold.whole_lines:
            continue
        for finding in found:
            if get(finding, "category") not in BODY_QUIET:
                continue
            spans = piece_spans.get(line, ())
            if any(a <= get(finding, "column") < b for a, b in spans):
                continue  # inside a furniture piece: not the body's
            if get(finding, "category") == "placeholder" and any(
                    a <= get(finding, "column") < b for a, b in blank_spans.get(line, ())):
                continue  # a blank the gold says the body has
            result.body_alarms.append(finding)
    return result


def body_text(text: str, gold: Gold) -> list:
    """The body's lines, in order, with furniture pieces taken out: what --fix must leave."""
    lines = text.split("\n")
    pieces: dict = {}
    for line, piece, start in _locate(lines, gold):
        pieces.setdefault(line, []).append((start, start + len(piece)))
    kept = []
    for number, line in enumerate(lines, 1):
        if number in gold.whole_lines:
            continue
        for start, end in sorted(pieces.get(number, ()), reverse=True):
            line = line[:start] + line[end:]
        if line.strip():
            kept.append(line.strip())
    return kept


def _locate(lines: list, gold: Gold, entries=None) -> list:
    """(line, piece, 0-based start) of every piece: each looked for after the previous piece of
    its line, so pieces listed in order find their own occurrence."""
    located, after = [], {}
    for line, piece in (gold.pieces if entries is None else entries):
        text = lines[line - 1] if line <= len(lines) else ""
        start = text.find(piece, after.get(line, 0))
        if start < 0:
            raise ValueError(f"line {line} does not contain {piece!r}"
                             + (" after the piece listed before it" if piece in text else ""))
        after[line] = start + len(piece)
        located.append((line, piece, start))
    return located
