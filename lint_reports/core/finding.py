"""The one thing every rule produces and every formatter consumes."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

SEVERITIES = ("info", "warning", "error")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}

CATEGORIES = (
    "placeholder",
    "artifact",
    "outdated",
    "section",
    "repetition",
    "charset",
    "linebreak",
    "punctuation",
    "numbering",
    "copied",
    "date",
)


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] (offsets into Document.text) with `replacement`."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class RelatedLocation:
    """Another place a finding points to ("the same passage as b.md line 12"): 1-based line
    and column, and what that place is, in words. A place that is no file (a passage a rule
    pack ships) has the path "": formats show its message alone."""

    path: str
    line: int
    column: int = 1
    message: str = ""


@dataclass
class Finding:
    path: str
    line: int  # 1-based
    column: int  # 1-based, in characters
    end_column: int  # 1-based, exclusive end on the same line
    rule: str
    category: str
    severity: str
    message: str
    # Offsets into Document.text of the flagged span; used by baseline, suppression and fix.
    start: int = 0
    end: int = 0
    fix: Optional[Edit] = None
    # Suggested replacement in words, for formats that show one (html, lsp).
    suggestion: Optional[str] = field(default=None)
    # About the whole document (or a part from `line` on), not a span: html shows a banner.
    whole_document: bool = False
    # fingerprint.Anchor (rule, path, flagged text with context), set by the engine; what
    # baselines and CI fingerprints match on instead of the line number.
    anchor: Optional[object] = field(default=None, repr=False, compare=False)
    # Where `fix` applies, set by the engine only when --fix would apply it (a fixable
    # category, inside the finding's lines, a real change, not a .docx):
    # (line, column, end_line, end_column, text it replaces), 1-based, end exclusive.
    # What the text mark [*], --show-fixes, JSON `fixable` and SARIF `fixes` read.
    fix_region: Optional[tuple] = field(default=None, repr=False, compare=False)
    # Other places the finding names (RelatedLocation), in the order the message names them.
    related: tuple = ()
    # The last line of a finding about several whole lines (a repeated copy of the body);
    # 0 for one on its own line. Its column and end_column stay those of its first line.
    end_line: int = 0

    @property
    def last_line(self) -> int:
        return max(self.line, self.end_line)

    @property
    def fixable(self) -> bool:
        """--fix would repair this finding."""
        return self.fix_region is not None

    def sort_key(self):
        return (self.path, self.line, self.column, self.rule)

    def as_json(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_column": self.end_column,
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "fixable": self.fixable,
            **({"end_line": self.end_line} if self.end_line > self.line else {}),
            **({"related": [{"path": place.path, "line": place.line, "column": place.column,
                             "message": place.message} for place in self.related]} if self.related else {}),
        }
